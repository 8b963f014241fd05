// What the NetworkPolicy checks (network-access, cloud-metadata) share: one engine per scan, and
// how a namespace is named in a finding.

import { NetpolGraph } from '../../engines/netpol/index.js';
import type { Direction, Endpoint } from '../../engines/netpol/index.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Item } from '../../inventory/types.js';
import { fail, notEvaluated, pass } from '../define.js';
import type { CheckContext, CheckResult, Subject } from '../types.js';

export function netpolGraph(ctx: CheckContext): NetpolGraph {
  return ctx.shared('netpol-graph', () => new NetpolGraph(ctx.inventory, { k8sVersion: ctx.k8sVersion }));
}

/** The Namespace object, or a reference to the namespace when the input has none. */
export function namespaceSubject(inventory: Inventory, namespace: string): Item | Subject {
  return inventory.get('Namespace', undefined, namespace) ?? { ref: { apiVersion: 'v1', kind: 'Namespace', name: namespace } };
}

/** Endpoints per namespace outside the system namespaces, namespaces sorted; built once per scan. */
export function endpointsByNamespace(ctx: CheckContext): Map<string, Endpoint[]> {
  return ctx.shared('netpol-endpoints-by-namespace', () => groupByNamespace(ctx.inventory, netpolGraph(ctx)));
}

function groupByNamespace(inventory: Inventory, graph: NetpolGraph): Map<string, Endpoint[]> {
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

/** How many names a message lists before "and N more". */
export const LISTED_NAMES = 5;

/** "a, b, c and 4 more"; `total` when `names` holds only the first of them. */
export function listNames(names: string[], max = LISTED_NAMES, total = names.length): string {
  const shown = names.slice(0, max).join(', ');
  return total > max ? `${shown} and ${total - max} more` : shown;
}

/** What a check decides about one namespace; undefined: nothing to judge there. */
export type NamespaceVerdict = { status: 'pass' } | { status: 'fail'; message: string } | { status: 'not-evaluated'; reason: string } | undefined;

export const NAMESPACE_PASSES: NamespaceVerdict = { status: 'pass' };

/**
 * The loop of the checks that judge the pods of each namespace outside the system namespaces:
 * not evaluated when pods or NetworkPolicies could not be listed, else one result per namespace
 * that `judge` has a verdict for, on the Namespace.
 */
export function* judgeNamespaces(
  ctx: CheckContext,
  judge: (namespace: string, endpoints: Endpoint[], graph: NetpolGraph, byNamespace: Map<string, Endpoint[]>) => NamespaceVerdict,
): Generator<CheckResult> {
  const gap = unseen(ctx.inventory, 'networkpolicies', 'pods');
  if (gap) {
    yield notEvaluated({ ref: { kind: 'NetworkPolicy', name: '*' } }, gap);
    return;
  }
  const graph = netpolGraph(ctx);
  const byNamespace = endpointsByNamespace(ctx);
  for (const [namespace, endpoints] of byNamespace) {
    const verdict = judge(namespace, endpoints, graph, byNamespace);
    if (!verdict) continue;
    const subject = namespaceSubject(ctx.inventory, namespace);
    if (verdict.status === 'pass') yield pass(subject);
    else if (verdict.status === 'fail') yield fail(subject, verdict.message);
    else yield notEvaluated(subject, verdict.reason);
  }
}

/**
 * Which pods of a namespace no policy isolates for a direction (hostNetwork pods are left to the
 * cloud-metadata checks: policies do not apply to them).
 */
export function isolationVerdict(graph: NetpolGraph, namespace: string, endpoints: Endpoint[], direction: Direction, unselected: string): NamespaceVerdict {
  const governed = endpoints.filter((e) => !e.hostNetwork);
  if (governed.length === 0) return undefined;
  const open = governed.filter((e) => !graph.isIsolated(e, direction));
  if (open.length === 0) return NAMESPACE_PASSES;
  return { status: 'fail', message: `namespace "${namespace}": ${open.length} of ${governed.length} pods/workloads are not isolated for ${direction} (${unselected}): ${listNames(open.map((e) => e.id))}` };
}

/** The workload most examples of these checks start from. */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}`;

/** The same workload as a running pod. */
export const WEB_POD = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: nginx:1.27}]}`;
