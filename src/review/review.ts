// kubeward review: what a third-party integration could do once installed, from its rendered
// manifests. Pure: an inventory in, a review out (formatting is in format.ts).

import { describeRule } from '../engines/rbac/compact.js';
import { EscalationGraph, clusterFactsOf, isWildcardRule, nodeIdOf, type Edge, type Target } from '../engines/rbac/escalation.js';
import { RbacIndex, describeSubject, resolveSubject } from '../engines/rbac/index.js';
import { describePath } from '../engines/rbac/paths.js';
import { effectivePermissions, type NamespacePermissions } from '../engines/rbac/permissions.js';
import { ResourceScopes } from '../engines/rbac/resources.js';
import type { PolicyRule, SubjectId } from '../engines/rbac/types.js';
import { evaluatePod, forbiddenDetail, LATEST } from '../engines/podsecurity/index.js';
import type { Inventory } from '../inventory/inventory.js';
import { isEmptySelector, type LabelSelector } from '../inventory/labels.js';
import { containersOf } from '../inventory/pod.js';
import type { ResourceRef } from '../inventory/types.js';

export const RISKS = ['critical', 'high', 'medium', 'low'] as const;
export type Risk = (typeof RISKS)[number];

export interface AccountReview {
  serviceAccount: { namespace: string; name: string };
  /** Plain-words capabilities, one sentence each. */
  can: string[];
  permissions: NamespacePermissions[];
  /** Shortest path to each target it reaches, in words. */
  escalation: { target: Target; path: string }[];
  /** Where cluster-wide grants could be namespaced. */
  alternatives: string[];
}

export interface WorkloadReview {
  ref: ResourceRef;
  serviceAccount: string;
  /** Pod Security baseline violations (privileged, host namespaces, hostPath, ...). */
  hostAccess: string;
}

export interface WebhookReview {
  ref: ResourceRef;
  webhook: string;
  sees: string;
  scope: string;
  failurePolicy: string;
  /** Every rule is about API groups of CRDs the integration itself ships. */
  ownResourcesOnly: boolean;
}

export interface IntegrationReview {
  kind: 'IntegrationReview';
  risk: Risk;
  /** Why the risk is what it is, most serious first. */
  reasons: string[];
  serviceAccounts: AccountReview[];
  workloads: WorkloadReview[];
  webhooks: WebhookReview[];
  customResourceDefinitions: { name: string; group: string; scope: string }[];
  kubeSystemObjects: ResourceRef[];
  clusterScopedObjects: ResourceRef[];
}

const rank = (r: Risk) => RISKS.length - RISKS.indexOf(r);

export function reviewIntegration(inventory: Inventory): IntegrationReview {
  const index = new RbacIndex(inventory.items);
  const graph = new EscalationGraph(index, clusterFactsOf(inventory.items, inventory.podSpecs(), index));
  const scopes = new ResourceScopes(inventory.items);
  const reasons: { risk: Risk; text: string }[] = [];
  const raise = (risk: Risk, text: string) => reasons.push({ risk, text });

  const accounts = integrationAccounts(inventory, index);
  const nextByTarget = new Map<Target, Map<string, Edge | null>>();
  const next = (t: Target) => {
    let n = nextByTarget.get(t);
    if (!n) nextByTarget.set(t, (n = graph.shortestPaths(t)));
    return n;
  };
  const serviceAccounts: AccountReview[] = accounts.map((sa) => {
    const subject: SubjectId = { kind: 'ServiceAccount', ...sa };
    const id = nodeIdOf(subject);
    const can = [...new Set(graph.outgoing(id).filter((e) => e.type !== 'member-of').map((e) => e.description))];
    const escalation: AccountReview['escalation'] = [];
    for (const target of ['cluster-admin', 'nodes', 'secrets'] as const) {
      const edges = EscalationGraph.pathFrom(id, next(target));
      if (edges && edges.length > 0) escalation.push({ target, path: describePath(graph, { subject, target, edges }) });
    }
    const permissions = effectivePermissions(index, subject, { includeBuiltin: false });
    // A wildcard holder can do everything else on the list; say it once.
    if (permissions[0]!.rules.some(isWildcardRule)) can.splice(0, can.length, 'does anything to anything in the cluster ("*" on every resource): it is cluster-admin');
    const name = describeSubject(subject);
    const admin = escalation.find((e) => e.target === 'cluster-admin');
    if (admin) raise('critical', `${name} can become cluster-admin: ${admin.path}`);
    else if (escalation.length > 0) raise('high', `${name} reaches ${escalation[0]!.target}: ${escalation[0]!.path}`);
    const clusterWrites = permissions[0]!.rules.filter(isWrite);
    if (clusterWrites.length > 0) raise('medium', `${name} can write cluster-wide: ${clusterWrites.slice(0, 3).map(describeRule).join('; ')}${clusterWrites.length > 3 ? '; ...' : ''}`);
    return { serviceAccount: sa, can, permissions, escalation, alternatives: alternativesFor(index, scopes, subject) };
  });

  const workloads: WorkloadReview[] = [];
  for (const pod of inventory.podSpecs()) {
    const result = evaluatePod('baseline', LATEST, pod.podMetadata, pod.spec);
    if (result.allowed) continue;
    const hostAccess = forbiddenDetail(result.violations);
    workloads.push({ ref: pod.item.ref, serviceAccount: pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default', hostAccess });
    const privileged = containersOf(pod.spec).some((c) => c.container.securityContext?.privileged === true) || pod.spec.hostPID === true;
    raise(privileged ? 'critical' : 'high', `${pod.item.ref.kind} ${pod.namespace}/${pod.item.ref.name} gets host access (${hostAccess})${privileged ? ': root on the node it runs on' : ''}`);
  }

  const webhooks = webhookReviews(inventory);
  for (const w of webhooks) {
    // A webhook that only sees the integration's own custom resources cannot touch anyone else's.
    const risk: Risk = w.ownResourcesOnly ? 'low' : w.scope.startsWith('every namespace') ? 'high' : 'medium';
    raise(risk, `${w.ref.kind} ${w.ref.name} (${w.webhook}) ${w.sees}, ${w.scope}`);
  }

  const customResourceDefinitions = inventory.ofKind('CustomResourceDefinition').map((c) => {
    const spec = (c.object.spec ?? {}) as { group?: string; scope?: string };
    return { name: c.ref.name, group: spec.group ?? '', scope: spec.scope ?? '' };
  });
  const kubeSystemObjects = inventory.items.filter((i) => inventory.isSystemNamespace(i.ref.namespace)).map((i) => i.ref);
  if (kubeSystemObjects.length > 0) raise('medium', `puts ${kubeSystemObjects.length} object(s) in system namespaces (${[...new Set(kubeSystemObjects.map((r) => r.namespace))].join(', ')}), next to the control plane's own accounts`);
  const clusterScopedObjects = inventory.items.filter((i) => !i.ref.namespace && i.ref.kind !== 'CustomResourceDefinition').map((i) => i.ref);

  reasons.sort((a, b) => rank(b.risk) - rank(a.risk));
  return {
    kind: 'IntegrationReview',
    risk: reasons[0]?.risk ?? 'low',
    reasons: reasons.map((r) => `[${r.risk}] ${r.text}`),
    serviceAccounts,
    workloads,
    webhooks,
    customResourceDefinitions,
    kubeSystemObjects,
    clusterScopedObjects,
  };
}

const WRITE = new Set(['*', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', 'approve']);
const isWrite = (r: PolicyRule) => r.verbs.some((v) => WRITE.has(v));

/** The integration's accounts: ServiceAccount objects and ServiceAccounts its bindings name. */
function integrationAccounts(inventory: Inventory, index: RbacIndex): { namespace: string; name: string }[] {
  const seen = new Map<string, { namespace: string; name: string }>();
  for (const sa of inventory.ofKind('ServiceAccount')) seen.set(`${sa.ref.namespace}/${sa.ref.name}`, { namespace: sa.ref.namespace ?? 'default', name: sa.ref.name });
  for (const b of index.bindings) {
    if (b.builtin) continue;
    for (const s of b.subjects) {
      const subject = resolveSubject(s, b.namespace);
      if (subject?.kind === 'ServiceAccount') seen.set(`${subject.namespace}/${subject.name}`, { namespace: subject.namespace!, name: subject.name });
    }
  }
  return [...seen.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** For each ClusterRoleBinding of the account: the rules RoleBindings could grant instead. */
function alternativesFor(index: RbacIndex, scopes: ResourceScopes, subject: SubjectId): string[] {
  const out: string[] = [];
  for (const grant of index.directGrants(subject)) {
    if (grant.binding.kind !== 'ClusterRoleBinding' || grant.binding.builtin) continue;
    const namespaced: string[] = [];
    const cluster: string[] = [];
    for (const rule of grant.role.rules) {
      const analysis = analyseRule(rule, scopes);
      if (analysis === 'namespaced') {
        if (isWrite(rule) || rule.resources.includes('secrets')) namespaced.push(describeRule(rule));
      } else cluster.push(describeRule(rule));
    }
    if (namespaced.length === 0) continue;
    const keep = cluster.length > 0 ? `; keep only ${cluster.length} rule(s) on cluster-scoped or unknown resources in a ClusterRoleBinding` : '; no ClusterRoleBinding is needed at all';
    out.push(`ClusterRoleBinding ${grant.binding.name} grants ${grant.role.kind} ${grant.role.name} in every namespace. If the integration works in known namespaces, grant these namespaced rules with RoleBindings there instead: ${namespaced.join(' | ')}${keep}`);
  }
  return out;
}

function analyseRule(rule: PolicyRule, scopes: ResourceScopes): 'namespaced' | 'other' {
  if (rule.nonResourceURLs.length > 0 || rule.resources.length === 0) return 'other';
  for (const g of rule.apiGroups) for (const r of rule.resources) if (g === '*' || scopes.scopeOf(g, r) !== 'namespaced') return 'other';
  return 'namespaced';
}

interface WebhookSpec {
  name?: string;
  rules?: { operations?: string[]; apiGroups?: string[]; resources?: string[] }[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  failurePolicy?: string;
}

function webhookReviews(inventory: Inventory): WebhookReview[] {
  const out: WebhookReview[] = [];
  const ownGroups = new Set(inventory.ofKind('CustomResourceDefinition').map((c) => (c.object.spec as { group?: string } | undefined)?.group ?? ''));
  for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
    for (const item of inventory.ofKind(kind)) {
      const hooks = Array.isArray(item.object.webhooks) ? (item.object.webhooks as WebhookSpec[]) : [];
      for (const hook of hooks) {
        const rules = (hook.rules ?? []).map((r) => `${(r.operations ?? []).join('/')} ${(r.resources ?? []).join(',')}${(r.apiGroups ?? []).some((g) => g !== '') ? ` (${(r.apiGroups ?? []).map((g) => g || 'core').join(',')})` : ''}`);
        const verb = kind.startsWith('Mutating') ? 'sees and may change' : 'sees and may reject';
        const nsSel = hook.namespaceSelector;
        const objSel = hook.objectSelector;
        const scope = !isEmptySelector(nsSel) ? 'in namespaces its namespaceSelector selects' : 'every namespace, kube-system included';
        out.push({
          ref: item.ref,
          webhook: hook.name ?? '(unnamed)',
          sees: `${verb} ${rules.join('; ') || 'nothing (no rules)'}${!isEmptySelector(objSel) ? ' (objects its objectSelector selects)' : ''}`,
          scope,
          // The API default is Fail.
          failurePolicy: hook.failurePolicy ?? 'Fail',
          ownResourcesOnly: (hook.rules ?? []).length > 0 && (hook.rules ?? []).every((r) => (r.apiGroups ?? []).length > 0 && (r.apiGroups ?? []).every((g) => g !== '*' && ownGroups.has(g))),
        });
      }
    }
  }
  return out;
}
