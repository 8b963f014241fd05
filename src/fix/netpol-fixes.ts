// NetworkPolicy ingress rules that let every namespace (or every address) in, narrowed to the
// pods of the policy's own namespace: a rule with no peers gets `from: [{podSelector: {}}]`, and
// a peer of every pod of every namespace (`namespaceSelector: {}` with no pod selector or an empty
// one) or of every address (an ipBlock /0 without except) becomes `podSelector: {}`. Every other
// peer and the rule's ports stay, so what the namespace's own pods could reach they still reach;
// the re-scan (the NetworkPolicy engine) decides whether the namespace is isolated again.
// A namespace with no policy at all gets one that takes nothing from the pods that run there.

import type { FailResult } from '../checks/types.js';
import { parseCidr } from '../engines/netpol/index.js';
import type { Item } from '../inventory/types.js';
import { failingNamespaces, fieldPath, namespacedObject, plannedSpec } from './helpers.js';
import { denyMetadataEgress, podsByNamespace } from './namespace-fixes.js';
import type { FixContext } from './types.js';

interface RawPeer {
  podSelector?: unknown;
  namespaceSelector?: unknown;
  ipBlock?: { cidr?: unknown; except?: unknown };
}

interface RawRule {
  from?: RawPeer[];
  ports?: unknown[];
}

/** A selector that selects everything: {} with no labels and no expressions. */
function selectsAll(selector: unknown): boolean {
  if (selector === null || typeof selector !== 'object') return false;
  const { matchLabels, matchExpressions } = selector as { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] };
  return Object.keys(matchLabels ?? {}).length === 0 && (matchExpressions ?? []).length === 0;
}

/**
 * A peer that admits every pod of every namespace, or every address. A peer that picks pods by
 * label in every namespace (a monitoring agent wherever it runs) is a choice someone made: kept.
 */
function opensToEveryNamespace(peer: RawPeer): boolean {
  if (!peer || typeof peer !== 'object') return false;
  if (peer.ipBlock) {
    const cidr = typeof peer.ipBlock.cidr === 'string' ? parseCidr(peer.ipBlock.cidr) : undefined;
    return cidr !== undefined && cidr.prefix === 0 && (!Array.isArray(peer.ipBlock.except) || peer.ipBlock.except.length === 0);
  }
  return peer.namespaceSelector !== undefined && selectsAll(peer.namespaceSelector) && (peer.podSelector === undefined || selectsAll(peer.podSelector));
}

/** The peer narrowed to every pod of the policy's namespace. */
function narrowPeer(peer: RawPeer): RawPeer {
  return opensToEveryNamespace(peer) ? { podSelector: {} } : peer;
}

/** Whether an ingress rule admits traffic from every namespace (no peers, or a peer of every namespace). */
function ruleOpensToEveryNamespace(rule: RawRule | undefined): boolean {
  if (!rule || typeof rule !== 'object') return false;
  return !Array.isArray(rule.from) || rule.from.length === 0 || rule.from.some(opensToEveryNamespace);
}

/** Narrows spec.ingress[index] of a policy (as planned so far) to its own namespace; false when it is not open. */
function narrowIngressRule(ctx: FixContext, item: Item, index: number): boolean {
  const edit = ctx.edit(item);
  const rule = (edit.object.spec as { ingress?: RawRule[] } | undefined)?.ingress?.[index];
  if (!ruleOpensToEveryNamespace(rule)) return false;
  const peers = Array.isArray(rule!.from) && rule!.from.length > 0 ? rule!.from.map(narrowPeer) : [{ podSelector: {} }];
  const seen = new Set<string>();
  const unique = peers.filter((p) => {
    const key = JSON.stringify(p);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  edit.set(['spec', 'ingress', index, 'from'], unique);
  return true;
}

/** The open ingress rules of a namespace's policies, by policy, as the input or the plan holds them. */
function openIngressRules(ctx: FixContext, namespace: string, planned: boolean): { item: Item; index: number }[] {
  return ctx.check.inventory.inNamespace(namespace, 'NetworkPolicy').flatMap((item) => {
    const rules = ((planned ? ctx.planned(item) : item.object).spec as { ingress?: RawRule[] } | undefined)?.ingress;
    return Array.isArray(rules) ? rules.flatMap((rule, index) => (ruleOpensToEveryNamespace(rule) ? [{ item, index }] : [])) : [];
  });
}

/** allow-all-rule-undoes-default-deny: each failing ingress rule narrowed; egress is left to a person. */
export function narrowAllowAllRules(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const failure of failures) {
    const [, direction, index] = fieldPath(failure.field ?? '');
    const item = ctx.check.inventory.get('NetworkPolicy', failure.subject.ref.namespace, failure.subject.ref.name);
    if (!item || typeof index !== 'number') continue;
    if (direction !== 'ingress') {
      ctx.manual(failure, 'an allow-all egress rule: which destinations the pods need (DNS, services outside the namespace, the internet) is for a person to list; narrowing it to the namespace would cut them off');
      continue;
    }
    narrowIngressRule(ctx, item, index);
  }
}

/** namespace-reachable-from-every-namespace: every ingress rule of the namespace that lets every namespace in, narrowed. */
export function narrowNamespaceIngress(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    const open = openIngressRules(ctx, namespace, true);
    for (const { item, index } of open) narrowIngressRule(ctx, item, index);
    // Nothing open now nor in the input: what lets every namespace in is not a rule this can narrow.
    if (open.length === 0 && openIngressRules(ctx, namespace, false).length === 0) {
      ctx.manual(failure, `no ingress rule of namespace "${namespace}" admits every namespace outright: pods no policy isolates, or selectors that happen to match every namespace, let them in; a person narrows those (namespace-pods-not-isolated-for-ingress covers the unisolated pods)`);
    }
  }
}

const DEFAULT_DENY_INGRESS = 'kubeward-default-deny-ingress';

/**
 * namespace-without-network-policy. A namespace with a pod the input holds that NetworkPolicies
 * apply to (not on the host network as planned so far; a workload scaled to zero counts, its pods
 * run when it scales up) gets the cloud-metadata egress policy: no policy isolates its pods yet,
 * so they lose the metadata addresses and nothing else. In a system namespace, where the cloud's
 * own controllers read the metadata service, only with --unsafe-fixes. A namespace without such a
 * pod gets a default-deny ingress policy: it selects no pod that runs. Egress stays open there:
 * denying it would cut DNS for the pods created later, and their egress is judged when they run.
 */
export function addFirstNetworkPolicy(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    const governed = (podsByNamespace(ctx).get(namespace) ?? []).some((pod) => plannedSpec(ctx, pod).hostNetwork !== true);
    if (!governed) {
      ctx.add(namespacedObject('networking.k8s.io/v1', 'NetworkPolicy', namespace, DEFAULT_DENY_INGRESS, { spec: { podSelector: {}, policyTypes: ['Ingress'] } }));
    } else if (!ctx.check.inventory.isSystemNamespace(namespace)) {
      denyMetadataEgress(ctx, [failure]);
    } else {
      const risk = `pods of namespace "${namespace}" that read the cloud metadata service lose it (a cloud-controller-manager, CSI driver, load-balancer controller or cluster-autoscaler that takes its region, instance identity or node credentials from there)`;
      ctx.withSafety('unsafe', risk, () => denyMetadataEgress(ctx, [failure]), failure);
    }
  }
}
