// A synthetic RBAC cluster for the benchmark: 2,000 namespaces, 10,000 ServiceAccounts,
// 5,000 Roles and ClusterRoles, 20,000 bindings, a Deployment per namespace and some legacy
// token Secrets. Deterministic (seeded), so runs compare.

import { refOf, type Item, type K8sObject } from '../src/inventory/types.js';
import { prng } from './generate.js';

export interface RbacClusterSize {
  namespaces: number;
  serviceAccountsPerNamespace: number;
  roles: number;
  clusterRoles: number;
  roleBindings: number;
  clusterRoleBindings: number;
  users: number;
  groups: number;
}

export const ISSUE_SIZE: RbacClusterSize = {
  namespaces: 2_000, serviceAccountsPerNamespace: 5, roles: 4_500, clusterRoles: 500,
  roleBindings: 18_000, clusterRoleBindings: 2_000, users: 1_000, groups: 200,
};

const item = (object: K8sObject): Item => ({ object, ref: refOf(object), location: { file: 'generated' } });
const RBAC = 'rbac.authorization.k8s.io/v1';

/** Rule templates, from harmless reads to the rights the escalation graph looks for. */
const RULES = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['create', 'update', 'patch', 'get'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'update'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['secrets'], resourceNames: ['app-config'], verbs: ['get'] },
  { apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['create', 'delete', 'get', 'list'] },
  { apiGroups: ['example.com'], resources: ['widgets', 'widgets/status'], verbs: ['*'] },
  { apiGroups: ['*'], resources: ['*/scale'], verbs: ['update'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ['get', 'list', 'create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update', 'create'] },
];
const CLUSTER_RULES = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
  { nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] },
  { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
  { apiGroups: [''], resources: ['users', 'groups'], resourceNames: ['auditor'], verbs: ['impersonate'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['view'], verbs: ['bind'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list'] },
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
];

export function generateRbacCluster(size: RbacClusterSize = ISSUE_SIZE, seed = 42): Item[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const ns = (i: number) => `ns-${i}`;
  const items: Item[] = [];
  for (let n = 0; n < size.namespaces; n++) {
    items.push(item({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(n) } }));
    for (let s = 0; s < size.serviceAccountsPerNamespace; s++) items.push(item({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${s}`, namespace: ns(n) } }));
    items.push(item({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: ns(n) },
      spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { serviceAccountName: 'sa-0', containers: [{ name: 'app', image: 'registry.example/app:1' }] } } },
    }));
    if (n % 4 === 0) {
      items.push(item({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'sa-1-token', namespace: ns(n), annotations: { 'kubernetes.io/service-account.name': 'sa-1' } } }));
    }
  }
  const roleNames: string[][] = Array.from({ length: size.namespaces }, () => []);
  for (let r = 0; r < size.roles; r++) {
    const n = r % size.namespaces;
    const name = `role-${r}`;
    roleNames[n]!.push(name);
    const rules = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(RULES));
    items.push(item({ apiVersion: RBAC, kind: 'Role', metadata: { name, namespace: ns(n) }, rules }));
  }
  const clusterRoleNames: string[] = [];
  for (let c = 0; c < size.clusterRoles; c++) {
    const name = `clusterrole-${c}`;
    clusterRoleNames.push(name);
    // One ClusterRole in fifty aggregates; one in twenty is labelled into the bootstrap "view".
    if (c % 50 === 0) {
      items.push(item({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`aggregate-to-${name}`]: 'true' } }] } }));
      continue;
    }
    const labels: Record<string, string> = { [`aggregate-to-clusterrole-${c - (c % 50)}`]: 'true' };
    if (c % 20 === 1) labels['rbac.authorization.k8s.io/aggregate-to-view'] = 'true';
    const powerful = c % 25 === 3;
    const rules = [
      ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(RULES)),
      ...(powerful ? [CLUSTER_RULES[Math.floor(c / 25) % CLUSTER_RULES.length]!] : [pick(CLUSTER_RULES.slice(0, 3))]),
    ];
    items.push(item({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name, labels }, rules }));
  }
  const subject = (n: number) => {
    const x = random();
    if (x < 0.6) return { kind: 'ServiceAccount', name: `sa-${Math.floor(random() * size.serviceAccountsPerNamespace)}`, namespace: ns(random() < 0.9 ? n : Math.floor(random() * size.namespaces)) };
    if (x < 0.85) return { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `user-${Math.floor(random() * size.users)}` };
    return { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `group-${Math.floor(random() * size.groups)}` };
  };
  for (let b = 0; b < size.roleBindings; b++) {
    const n = b % size.namespaces;
    const toRole = random() < 0.6 && roleNames[n]!.length > 0;
    const roleRef = toRole ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: pick(roleNames[n]!) } : { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: random() < 0.2 ? pick(['view', 'edit', 'admin']) : pick(clusterRoleNames) };
    items.push(item({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `rb-${b}`, namespace: ns(n) }, roleRef, subjects: Array.from({ length: 1 + Math.floor(random() * 3) }, () => subject(n)) }));
  }
  for (let b = 0; b < size.clusterRoleBindings; b++) {
    const n = Math.floor(random() * size.namespaces);
    items.push(item({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `crb-${b}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pick(clusterRoleNames) }, subjects: Array.from({ length: 1 + Math.floor(random() * 2) }, () => subject(n)) }));
  }
  return items;
}
