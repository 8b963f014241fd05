// The default RBAC policy every cluster is bootstrapped with (kube-apiserver's bootstrappolicy,
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml and
// cluster-role-bindings.yaml, Kubernetes 1.29+). Supplied when the input does not contain these
// objects, so bindings to "edit" or "cluster-admin" resolve and CRD roles labelled
// aggregate-to-admin/edit/view are aggregated as in a running cluster.

import type { PolicyRule } from './types.js';

const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[] = []): PolicyRule => ({
  verbs, apiGroups, resources, resourceNames, nonResourceURLs: [],
});
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({
  verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs,
});

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL_RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const AGGREGATE_TO_LABEL = {
  admin: 'rbac.authorization.k8s.io/aggregate-to-admin',
  edit: 'rbac.authorization.k8s.io/aggregate-to-edit',
  view: 'rbac.authorization.k8s.io/aggregate-to-view',
} as const;

export interface BuiltinClusterRole {
  name: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  /** matchLabels of each clusterRoleSelector, for the aggregated roles. */
  aggregateFrom?: Record<string, string>[];
}

const DEFAULTS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

export const BUILTIN_CLUSTER_ROLES: BuiltinClusterRole[] = [
  {
    name: 'cluster-admin',
    labels: DEFAULTS,
    rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])],
  },
  { name: 'admin', labels: DEFAULTS, rules: [], aggregateFrom: [{ [AGGREGATE_TO_LABEL.admin]: 'true' }] },
  { name: 'edit', labels: { ...DEFAULTS, [AGGREGATE_TO_LABEL.admin]: 'true' }, rules: [], aggregateFrom: [{ [AGGREGATE_TO_LABEL.edit]: 'true' }] },
  { name: 'view', labels: { ...DEFAULTS, [AGGREGATE_TO_LABEL.edit]: 'true' }, rules: [], aggregateFrom: [{ [AGGREGATE_TO_LABEL.view]: 'true' }] },
  {
    name: 'system:aggregate-to-admin',
    labels: { ...DEFAULTS, [AGGREGATE_TO_LABEL.admin]: 'true' },
    rules: [
      rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
      rule(ALL_RW, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    labels: { ...DEFAULTS, [AGGREGATE_TO_LABEL.edit]: 'true' },
    rules: [
      rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
      rule(['impersonate'], [''], ['serviceaccounts']),
      rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
      rule(['create'], [''], ['pods/eviction']),
      rule(WRITE, [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
      rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
      rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
      rule(WRITE, ['policy'], ['poddisruptionbudgets']),
      rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      rule(WRITE, ['coordination.k8s.io'], ['leases']),
    ],
  },
  {
    name: 'system:aggregate-to-view',
    labels: { ...DEFAULTS, [AGGREGATE_TO_LABEL.view]: 'true' },
    rules: [
      rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
      rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
      rule(READ, [''], ['namespaces']),
      rule(READ, ['discovery.k8s.io'], ['endpointslices']),
      rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
      rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
      rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
      rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
      rule(READ, ['coordination.k8s.io'], ['leases']),
    ],
  },
  {
    name: 'system:discovery',
    labels: DEFAULTS,
    rules: [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:basic-user',
    labels: DEFAULTS,
    rules: [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ],
  },
  {
    name: 'system:public-info-viewer',
    labels: DEFAULTS,
    rules: [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:service-account-issuer-discovery',
    labels: DEFAULTS,
    rules: [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])],
  },
];

export interface BuiltinClusterRoleBinding {
  name: string;
  role: string;
  subjects: { kind: 'User' | 'Group'; name: string }[];
}

export const BUILTIN_CLUSTER_ROLE_BINDINGS: BuiltinClusterRoleBinding[] = [
  { name: 'cluster-admin', role: 'cluster-admin', subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { name: 'system:basic-user', role: 'system:basic-user', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:discovery', role: 'system:discovery', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:public-info-viewer', role: 'system:public-info-viewer', subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }] },
  { name: 'system:service-account-issuer-discovery', role: 'system:service-account-issuer-discovery', subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] },
];

/** The roles Kubernetes binds to every authenticated (or anonymous) caller for discovery. */
export const DISCOVERY_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

/** Group that bypasses authorization altogether (the privileged-group authorizer). */
export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';


/**
 * Bindings kubeadm creates when it sets a cluster up (cmd/kubeadm/app/phases/bootstraptoken,
 * kubeconfig, addons/proxy). Known by name, namespace and role, so a user's own binding does not
 * pass for one; subjects, when listed, must all be among them.
 */
export const INSTALLER_BINDINGS: { kind: 'ClusterRoleBinding' | 'RoleBinding'; name: string; namespace?: string; role: string; subjects?: string[] }[] = [
  { kind: 'ClusterRoleBinding', name: 'kubeadm:cluster-admins', role: 'cluster-admin', subjects: ['Group:kubeadm:cluster-admins'] },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:kubelet-bootstrap', role: 'system:node-bootstrapper' },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-autoapprove-bootstrap', role: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient' },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-autoapprove-certificate-rotation', role: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient' },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:get-nodes', role: 'kubeadm:get-nodes' },
  { kind: 'ClusterRoleBinding', name: 'kubeadm:node-proxier', role: 'system:node-proxier', subjects: ['ServiceAccount:kube-system/kube-proxy'] },
  { kind: 'RoleBinding', name: 'kubeadm:nodes-kubeadm-config', namespace: 'kube-system', role: 'kubeadm:nodes-kubeadm-config' },
  { kind: 'RoleBinding', name: 'kubeadm:kubelet-config', namespace: 'kube-system', role: 'kubeadm:kubelet-config' },
  { kind: 'RoleBinding', name: 'kubeadm:bootstrap-signer-clusterinfo', namespace: 'kube-public', role: 'kubeadm:bootstrap-signer-clusterinfo', subjects: ['User:system:anonymous'] },
  { kind: 'RoleBinding', name: 'kube-proxy', namespace: 'kube-system', role: 'kube-proxy' },
];
