// The `yaml` library, loaded on first use: loading it takes longer than `kubeward explain` or a
// small scan takes to run, and most inputs are read by the fast reader (sources/documents.ts).
// A synchronous require keeps its callers synchronous; its "node" export is CommonJS anyway.

import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

let library: YamlLibrary | undefined;

export function yamlLibrary(): YamlLibrary {
  return (library ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}
