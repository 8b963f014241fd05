// What the engine commands (podsecurity, rbac, netpol, review) share: read the manifests they are
// given, print each input error on stderr naming file and line, and build the inventory.

import { UsageError } from '../errors.js';
import type { Inventory } from '../inventory/inventory.js';
import { terminalLines } from '../report/terminal.js';
import { buildInventory } from '../scan/run.js';
import { loadPaths } from '../sources/files.js';
import type { LoadResult } from '../sources/types.js';
import { fileLine } from '../inventory/types.js';

export interface Manifests {
  load: LoadResult;
  inventory: Inventory;
  /** Some input could not be read or parsed: the command exits 2 after answering from the rest. */
  incomplete: boolean;
}

export async function readManifests(command: string, paths: string[], options: { whenNone: string; namespace?: string | undefined }): Promise<Manifests> {
  if (paths.length === 0) throw new UsageError(options.whenNone);
  const load = await loadPaths(paths);
  // Built first: objects of the wrong shape are input errors too.
  const inventory = buildInventory(load, options.namespace);
  process.stderr.write(terminalLines(load.errors.map((e) => `kubeward ${command}: ${fileLine(e.source, e.line)}: ${e.message}`)));
  return { load, inventory, incomplete: load.errors.length > 0 };
}
