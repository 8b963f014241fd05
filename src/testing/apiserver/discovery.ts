// What the test API server serves: resource types with the fields discovery documents carry
// (name, singularName, namespaced, kind, verbs, shortNames), as kube-apiserver 1.30 serves them.

export interface ServedResource {
  group: string;
  version: string;
  /** Plural name; a subresource is "nodes/proxy". */
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  /** Served before this minor version only (PodSecurityPolicy: removed in 1.25). */
  removedIn?: number;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const PROXY = ['create', 'delete', 'get', 'patch', 'update'];

function r(group: string, version: string, name: string, kind: string, namespaced: boolean, extra: Partial<ServedResource> = {}): ServedResource {
  const singularName = name.includes('/') ? '' : kind.toLowerCase();
  return { group, version, name, singularName, namespaced, kind, verbs: RW, ...extra };
}

export const SERVED_RESOURCES: readonly ServedResource[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, { verbs: NO_COLLECTION, shortNames: ['ns'] }),
  r('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'] }),
  r('', 'v1', 'nodes/proxy', 'NodeProxyOptions', false, { verbs: PROXY }),
  r('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'] }),
  r('', 'v1', 'podtemplates', 'PodTemplate', true),
  r('', 'v1', 'replicationcontrollers', 'ReplicationController', true, { shortNames: ['rc'] }),
  r('', 'v1', 'services', 'Service', true, { verbs: NO_COLLECTION, shortNames: ['svc'] }),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  r('', 'v1', 'resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'] }),
  r('', 'v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  r('', 'v1', 'persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'] }),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'] }),
  r('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  r('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'] }),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'] }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'] }),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'] }),
  r('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  r('batch', 'v1', 'jobs', 'Job', true),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'] }),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, { shortNames: ['ing'] }),
  r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'] }),
  r('policy', 'v1beta1', 'podsecuritypolicies', 'PodSecurityPolicy', false, { shortNames: ['psp'], removedIn: 25 }),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false),
  r('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false),
  r('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', 'ValidatingAdmissionPolicy', false),
  r('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'ValidatingAdmissionPolicyBinding', false),
  r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, { shortNames: ['crd', 'crds'] }),
  r('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false),
  r('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false, { shortNames: ['csr'] }),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  r('node.k8s.io', 'v1', 'runtimeclasses', 'RuntimeClass', false),
  r('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] }),
  r('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
];

export function servedAt(minor: number): ServedResource[] {
  return SERVED_RESOURCES.filter((s) => s.removedIn === undefined || minor < s.removedIn);
}

/** GET /api */
export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** The groups and their versions, preferred version first. */
export function groupsOf(served: ServedResource[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const s of served) {
    if (s.group === '') continue;
    const versions = groups.get(s.group) ?? [];
    if (!versions.includes(s.version)) versions.push(s.version);
    groups.set(s.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]): unknown {
  const vs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

/** GET /apis */
export function apiGroupList(served: ServedResource[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf(served)].map(([name, versions]) => apiGroup(name, versions)) };
}

/** GET /apis/<group> */
export function apiGroupDocument(served: ServedResource[], group: string): unknown | undefined {
  const versions = groupsOf(served).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(group, versions) as object) } : undefined;
}

/** GET /api/v1 or /apis/<group>/<version>. The core list has no apiVersion, as the real one. */
export function apiResourceList(served: ServedResource[], group: string, version: string): unknown | undefined {
  const resources = served.filter((s) => s.group === group && s.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    ...(group === '' ? {} : { apiVersion: 'v1' }),
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: resources.map((s) => ({
      name: s.name,
      singularName: s.singularName,
      namespaced: s.namespaced,
      kind: s.kind,
      verbs: s.verbs,
      ...(s.shortNames ? { shortNames: s.shortNames } : {}),
    })),
  };
}
