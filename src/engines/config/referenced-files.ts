// Config files that component flags name (--encryption-provider-config, --audit-policy-file,
// --admission-control-config-file, --authentication-config, kubelet --config ...), found among
// the inventory's items: read from a node root (location = that root + the path) or given on
// the command line.

import { cleanNodePath, nodePathOf } from '../../inventory/host.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Item } from '../../inventory/types.js';
import { hostOfFile } from './runs.js';

export type ReferencedFile =
  | { found: true; item: Item }
  | { found: false; reason: string };

/**
 * The item of `kind` read from the file at `hostPath`. When the input holds no file at that path
 * (a manifests-only scan) but exactly one object of that kind, that one is taken: the user gave
 * the file on the command line.
 */
export function findReferencedFile(inventory: Inventory, kind: string, hostPath: string): ReferencedFile {
  const candidates = inventory.ofKind(kind);
  // As the node reader records it: `..` applied, never above the root (/../../etc/x is /etc/x).
  const normalized = hostPath.startsWith('/') ? cleanNodePath(hostPath) : hostPath.replace(/\/+$/, '');
  const atPath = candidates.find((item) => {
    const host = hostOfFile(inventory, item.location.file);
    return host ? nodePathOf(host, item.location.file) === normalized : item.location.file === normalized || item.location.file.endsWith(normalized);
  });
  if (atPath) return { found: true, item: atPath };
  if (candidates.length === 1 && !inventory.hosts.length) return { found: true, item: candidates[0]! };
  return {
    found: false,
    reason: `${kind} file ${hostPath} is not in the input (scan the node with --node-root, or give the file)`,
  };
}
