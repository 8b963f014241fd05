// Loads one check, or one section's checks, without importing all 100-odd check modules and
// their engines: `kubeward explain` starts about as fast as node itself. A check lives at
// checks/<section>/<id> and default-exports itself; a test keeps every check so.

import { existsSync } from 'node:fs';
import { SECTIONS, type SectionSlug } from './sections.js';
import type { Check } from './types.js';

export async function loadCheck(id: string): Promise<Check | undefined> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return undefined;
  for (const section of SECTIONS) {
    const url = new URL(`./${section.slug}/${id}.js`, import.meta.url);
    if (existsSync(url)) return ((await import(url.href)) as { default: Check }).default;
  }
  return undefined;
}

export async function loadSectionChecks(slug: SectionSlug): Promise<readonly Check[]> {
  return ((await import(`./${slug}/index.js`)) as { checks: readonly Check[] }).checks;
}
