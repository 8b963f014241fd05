// What the webhook judges: the catalogue checks that can be decided on one object (with its
// namespace, ServiceAccount or role from the cluster state), the admission-only rules that compare
// a request with the state, and the API resources each kind is served at (for the webhook rules).

import { findCheck } from '../checks/registry.js';
import type { SectionSlug, Severity } from '../checks/sections.js';

/** A rule that exists only at admission: it judges a change, not a state. */
export interface AdmissionRule {
  id: string;
  section: SectionSlug;
  severity: Severity;
  title: string;
  remediation: string;
}

export const ESCALATION_CHECK = 'rbac-escalation-path';

/** What a decision and the webhook configuration need of a rule: an admission rule's or a catalogue check's. */
export interface RuleMeta { id: string; section: SectionSlug; severity: Severity; remediation: string }

export function ruleMeta(id: string): RuleMeta {
  const rule = ADMISSION_RULES.find((r) => r.id === id) ?? findCheck(id);
  if (!rule) throw new Error(`unknown admission rule ${id}`);
  return rule;
}

export const ADMISSION_RULES: readonly AdmissionRule[] = [
  {
    id: 'pod-security-labels-weakened',
    section: 'pod-privileges',
    severity: 'high',
    title: 'Namespace update lowers or removes a pod-security.kubernetes.io level',
    remediation: 'keep the namespace\'s pod-security.kubernetes.io/enforce (and warn, audit) level; exempt one workload with an exception instead',
  },
  {
    id: 'network-policy-reopens-namespace',
    section: 'network-access',
    severity: 'high',
    title: 'NetworkPolicy change re-opens a namespace that was isolated',
    remediation: 'allow only the namespaces and pods that need access (namespaceSelector/podSelector), not every source',
  },
];

/**
 * Catalogue checks the webhook runs on the object of a request. Each judges the object alone,
 * given at most its Namespace, its ServiceAccount and the role a binding names (a test holds
 * every failing example of each to that). Checks of node files, component flags and whole-cluster
 * properties (quotas per namespace, who can read Secrets) are not admission decisions.
 */
export const OBJECT_CHECKS: Readonly<Record<string, readonly string[]>> = {
  pod: [
    'pod-violates-baseline-pod-security', 'pod-violates-restricted-pod-security', 'container-runtime-socket-mounted',
    'writable-sensitive-host-path', 'container-can-load-kernel-modules', 'host-network-pod-outside-system-namespace',
    'pod-tolerates-control-plane-or-all-taints', 'pod-sets-node-name', 'pod-node-selector-conflicts-with-namespace',
  ],
  Service: ['service-exposed-outside-cluster'],
  Namespace: ['namespace-without-pod-security-enforcement'],
  ResourceQuota: ['resource-quota-caps-no-compute'],
  Secret: ['legacy-service-account-token-secret', 'bootstrap-token-secret-present'],
  RoleBinding: ['anonymous-or-unauthenticated-granted', 'default-serviceaccount-with-bindings'],
  ClusterRoleBinding: ['anonymous-or-unauthenticated-granted', 'authenticated-group-granted-beyond-discovery', 'default-serviceaccount-with-bindings', 'serviceaccount-bound-to-cluster-admin'],
};

/** Every kind the webhook is sent, with its API group and resource. */
export const ADMITTED_KINDS: Readonly<Record<string, { group: string; resource: string }>> = {
  Pod: { group: '', resource: 'pods' },
  PodTemplate: { group: '', resource: 'podtemplates' },
  ReplicationController: { group: '', resource: 'replicationcontrollers' },
  Deployment: { group: 'apps', resource: 'deployments' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Service: { group: '', resource: 'services' },
  Namespace: { group: '', resource: 'namespaces' },
  ResourceQuota: { group: '', resource: 'resourcequotas' },
  Secret: { group: '', resource: 'secrets' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies' },
};

/** Rules matching CREATE and UPDATE of these kinds, one per API group (webhook and policy rules). */
export function resourceRulesFor(kinds: readonly string[]): { apiGroups: string[]; apiVersions: string[]; resources: string[]; operations: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const kind of kinds) {
    const { group, resource } = ADMITTED_KINDS[kind]!;
    const list = byGroup.get(group);
    if (list) list.push(resource);
    else byGroup.set(group, [resource]);
  }
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], apiVersions: ['*'], resources, operations: ['CREATE', 'UPDATE'] }));
}

export const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The rule and check ids a request of this kind can be judged by (for webhook rules). */
export function rulesForKind(kind: string, podKinds: ReadonlySet<string>): string[] {
  if (podKinds.has(kind)) return [...OBJECT_CHECKS.pod!];
  const ids = [...(OBJECT_CHECKS[kind] ?? [])];
  if (RBAC_KINDS.has(kind)) ids.push(ESCALATION_CHECK);
  if (kind === 'Namespace') ids.push('pod-security-labels-weakened');
  if (kind === 'NetworkPolicy') ids.push('network-policy-reopens-namespace');
  return ids;
}
