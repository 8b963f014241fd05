// kubeward's own version, read once from package.json.
import { readFileSync } from 'node:fs';

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The image `kubeward install` and `kubeward webhook manifests` run (built from the Dockerfile). */
export const DEFAULT_IMAGE = `ghcr.io/kubeward/kubeward:${TOOL_VERSION}`;
