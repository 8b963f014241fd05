// What the NetworkPolicy checks (network-access, cloud-metadata) share: one engine per scan, and
// how a namespace is named in a finding.

import { NetpolGraph } from '../../engines/netpol/index.js';
import type { Endpoint } from '../../engines/netpol/index.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Item } from '../../inventory/types.js';
import type { CheckContext, Subject } from '../types.js';

export function netpolGraph(ctx: CheckContext): NetpolGraph {
  return ctx.shared('netpol-graph', () => new NetpolGraph(ctx.inventory, { k8sVersion: ctx.k8sVersion }));
}

/** The Namespace object, or a reference to the namespace when the input has none. */
export function namespaceSubject(inventory: Inventory, namespace: string): Item | Subject {
  return inventory.get('Namespace', undefined, namespace) ?? { ref: { apiVersion: 'v1', kind: 'Namespace', name: namespace } };
}

/** Endpoints per namespace outside the system namespaces, namespaces sorted. */
export function endpointsByNamespace(inventory: Inventory, graph: NetpolGraph): Map<string, Endpoint[]> {
  const out = new Map<string, Endpoint[]>();
  for (const endpoint of graph.endpoints) {
    if (inventory.isSystemNamespace(endpoint.namespace)) continue;
    const list = out.get(endpoint.namespace);
    if (list) list.push(endpoint);
    else out.set(endpoint.namespace, [endpoint]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Why a check cannot be evaluated: a resource the source could not list (gap scopes are plural
 * resource names, as the cluster source records them).
 */
export function unseen(inventory: Inventory, ...resources: string[]): string | undefined {
  for (const resource of resources) {
    const reason = inventory.gap(resource);
    if (reason) return `${resource}: ${reason}`;
  }
  return undefined;
}

/** "a, b, c and 4 more". */
export function listNames(names: string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
