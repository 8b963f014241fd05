// The state read once from manifests, folders or snapshots (--state): the offline and CI
// form of the webhook ("would this change be admitted against last night's snapshot?").

import type { InputError } from '../inventory/types.js';
import { loadPaths } from '../sources/files.js';
import { validateItems } from '../inventory/validate.js';
import type { ClusterState } from './state.js';

/** Reads the paths into the state and marks it synced; returns what could not be read (the rest is used). */
export async function loadStateFiles(state: ClusterState, paths: string[]): Promise<InputError[]> {
  const load = await loadPaths(paths);
  const { valid, errors } = validateItems(load.items);
  state.replaceAll(valid.map((i) => i.object), paths.join(','));
  state.markSynced();
  return [...load.errors, ...errors];
}
