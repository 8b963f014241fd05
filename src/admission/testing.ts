// Test helpers for the admission code: a cluster state from YAML and AdmissionReview requests.

import { parseDocuments } from '../sources/documents.js';
import type { K8sObject } from '../inventory/types.js';
import type { AdmissionRequest } from './decisions.js';
import { ClusterState } from './state.js';

export function objectsFromYaml(yaml: string): K8sObject[] {
  const parsed = parseDocuments(yaml, 'test.yaml');
  if (parsed.errors.length > 0) throw new Error(`bad test YAML: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.items.map((i) => i.object);
}

/** A synced state holding the objects of the YAML, its RBAC baseline built. */
export function stateFromYaml(yaml: string): ClusterState {
  const state = new ClusterState();
  state.replaceAll(objectsFromYaml(yaml), 'test.yaml');
  state.markSynced();
  return state;
}

// The cluster the admission tests share: an escalation path through exec into the deployer pod,
// whose ServiceAccount is cluster-admin.

/** Namespaces shop (enforces restricted) and ops. */
export const NAMESPACES_YAML = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ops}
`;

/** ServiceAccount ops/deployer and a Pod running as it. */
export const DEPLOYER_YAML = `apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: ops}
---
apiVersion: v1
kind: Pod
metadata: {name: deployer, namespace: ops}
spec: {serviceAccountName: deployer, containers: [{name: d, image: d:1}]}
`;

/** ClusterRoleBinding ops-deployer-admin: ops/deployer is cluster-admin. */
export const DEPLOYER_ADMIN_YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-deployer-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ops}]
`;

/** RoleBinding ops/carol-edit: edit in ops for User carol (exec reaches the deployer pod). */
export const CAROL_EDIT_YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: carol-edit, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]
`;

let uid = 0;

/** An AdmissionReview v1 request for one object, as the API server sends it. */
export function requestFor(object: K8sObject, options: { operation?: string; oldObject?: K8sObject; username?: string; groups?: string[]; dryRun?: boolean } = {}): AdmissionRequest {
  const [group, version] = object.apiVersion?.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return {
    uid: `00000000-0000-0000-0000-${String(++uid).padStart(12, '0')}`,
    kind: { group: group ?? '', version: version ?? 'v1', kind: object.kind ?? '' },
    ...(object.metadata?.name ? { name: object.metadata.name } : {}),
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: options.operation ?? (options.oldObject ? 'UPDATE' : 'CREATE'),
    userInfo: { username: options.username ?? 'alice', groups: options.groups ?? ['system:authenticated'] },
    object,
    oldObject: options.oldObject ?? null,
    dryRun: options.dryRun ?? false,
  };
}
