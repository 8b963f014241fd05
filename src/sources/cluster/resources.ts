// The resource types a live scan lists: every kind some check judges, and nothing more (least
// privilege: deploy/scanner-rbac.yaml grants exactly these). Order here is the order of the
// items in the inventory and of the files of a snapshot, so results are reproducible.

export interface ResourceType {
  /** API group; "" is the core group. */
  group: string;
  /** Versions to use, most preferred first; the first one the server serves is listed. */
  versions: string[];
  /** Plural resource name as discovery names it; also the gap scope when it cannot be listed. */
  resource: string;
  kind: string;
  /**
   * Listed as PartialObjectMetadataList: only metadata crosses the wire. Secrets only: their
   * data never reaches kubeward.
   */
  metadataOnly?: boolean;
  /** Listed in this namespace only (RBAC: a Role there, not a ClusterRole). */
  namespace?: string;
  /**
   * For metadata-only lists: `type` values listed one by one with a field selector, so checks see
   * each object's type (metadata has none); objects of other types are listed without it.
   */
  typesBySelector?: string[];
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', versions: ['v1'], resource: 'namespaces', kind: 'Namespace' },
  { group: '', versions: ['v1'], resource: 'nodes', kind: 'Node' },
  { group: '', versions: ['v1'], resource: 'pods', kind: 'Pod' },
  { group: '', versions: ['v1'], resource: 'podtemplates', kind: 'PodTemplate' },
  { group: '', versions: ['v1'], resource: 'replicationcontrollers', kind: 'ReplicationController' },
  { group: 'apps', versions: ['v1'], resource: 'deployments', kind: 'Deployment' },
  { group: 'apps', versions: ['v1'], resource: 'replicasets', kind: 'ReplicaSet' },
  { group: 'apps', versions: ['v1'], resource: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', versions: ['v1'], resource: 'daemonsets', kind: 'DaemonSet' },
  { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job' },
  { group: 'batch', versions: ['v1', 'v1beta1'], resource: 'cronjobs', kind: 'CronJob' },
  { group: '', versions: ['v1'], resource: 'services', kind: 'Service' },
  { group: '', versions: ['v1'], resource: 'serviceaccounts', kind: 'ServiceAccount' },
  {
    group: '', versions: ['v1'], resource: 'secrets', kind: 'Secret', metadataOnly: true,
    // The built-in types (k8s.io/api/core/v1 SecretType*) and Helm's release records.
    typesBySelector: [
      'Opaque', 'kubernetes.io/service-account-token', 'bootstrap.kubernetes.io/token', 'kubernetes.io/tls',
      'kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg', 'kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth',
      'helm.sh/release.v1',
    ],
  },
  // kube-proxy's and kubeadm's configuration live in kube-system ConfigMaps; other namespaces'
  // ConfigMaps are no check's business.
  { group: '', versions: ['v1'], resource: 'configmaps', kind: 'ConfigMap', namespace: 'kube-system' },
  { group: '', versions: ['v1'], resource: 'resourcequotas', kind: 'ResourceQuota' },
  { group: '', versions: ['v1'], resource: 'limitranges', kind: 'LimitRange' },
  { group: '', versions: ['v1'], resource: 'persistentvolumes', kind: 'PersistentVolume' },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'networkpolicies', kind: 'NetworkPolicy' },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'ingresses', kind: 'Ingress' },
  { group: 'policy', versions: ['v1'], resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget' },
  // Served until 1.25; listed where the cluster still has it.
  { group: 'policy', versions: ['v1beta1'], resource: 'podsecuritypolicies', kind: 'PodSecurityPolicy' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'roles', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'rolebindings', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterroles', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterrolebindings', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', versions: ['v1', 'v1beta1'], resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy' },
  { group: 'admissionregistration.k8s.io', versions: ['v1', 'v1beta1'], resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding' },
  { group: 'apiextensions.k8s.io', versions: ['v1'], resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', versions: ['v1'], resource: 'apiservices', kind: 'APIService' },
  { group: 'certificates.k8s.io', versions: ['v1'], resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest' },
  { group: 'node.k8s.io', versions: ['v1'], resource: 'runtimeclasses', kind: 'RuntimeClass' },
  { group: 'scheduling.k8s.io', versions: ['v1'], resource: 'priorityclasses', kind: 'PriorityClass' },
  // Provisioners decide whether a CVE that needs one (CVE-2025-13281: in-tree Portworx) affects the cluster.
  { group: 'storage.k8s.io', versions: ['v1'], resource: 'storageclasses', kind: 'StorageClass' },
];

/** "v1" or "apps/v1". */
export function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** The API path that lists a resource type at a version, e.g. /apis/apps/v1/deployments. */
export function listPath(type: ResourceType, version: string): string {
  const base = type.group === '' ? `/api/${version}` : `/apis/${type.group}/${version}`;
  return type.namespace ? `${base}/namespaces/${type.namespace}/${type.resource}` : `${base}/${type.resource}`;
}

/** Accept header that makes the API server return only metadata (PartialObjectMetadataList). */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/** Gap scopes the control-plane checks consult. */
export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'] as const;
export const KUBELET_CONFIG_SCOPE = 'kubelet-config';
/** Always a gap of a live scan: Secret data is never read. */
export const SECRET_DATA_SCOPE = 'secret-data';
