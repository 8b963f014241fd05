// The release and CVE data shipped in data/ (dated snapshots, see their "sources"), read once when
// first asked for. Engines take these values as arguments; only this module reads the files.

import { readFileSync } from 'node:fs';
import type { CveFeed, ReleaseData } from './model.js';

// dist/src/engines/releases/ -> the package root, where data/ is shipped.
const DATA_DIR = new URL('../../../../data/', import.meta.url);

let releases: ReleaseData | undefined;
let cves: CveFeed | undefined;

export function releaseData(): ReleaseData {
  releases ??= JSON.parse(readFileSync(new URL('kubernetes-releases.json', DATA_DIR), 'utf8')) as ReleaseData;
  return releases;
}

export function cveFeed(): CveFeed {
  cves ??= JSON.parse(readFileSync(new URL('kubernetes-cves.json', DATA_DIR), 'utf8')) as CveFeed;
  return cves;
}
