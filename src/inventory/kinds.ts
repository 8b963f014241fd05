// Which kinds kubeward understands. Objects of other kinds (custom resources, unknown APIs) are
// skipped and counted, never silently dropped.

/** Cluster-scoped API kinds; every other known API kind is namespaced. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'CustomResourceDefinition', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'PriorityClass', 'RuntimeClass',
  'IngressClass', 'PodSecurityPolicy', 'CertificateSigningRequest', 'ComponentStatus',
  'FlowSchema', 'PriorityLevelConfiguration', 'ClusterTrustBundle', 'IPAddress', 'ServiceCIDR',
  'DeviceClass', 'ResourceSlice',
]);

export const NAMESPACED_KINDS = new Set([
  'Pod', 'PodTemplate', 'ReplicationController', 'Service', 'Endpoints', 'EndpointSlice',
  'ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim', 'ResourceQuota', 'LimitRange',
  'Event', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision', 'Job',
  'CronJob', 'Role', 'RoleBinding', 'NetworkPolicy', 'Ingress', 'PodDisruptionBudget',
  'HorizontalPodAutoscaler', 'Lease', 'CSIStorageCapacity', 'ResourceClaim',
  'ResourceClaimTemplate',
]);

/**
 * Component configuration files that carry apiVersion/kind but are not API objects
 * (kubeconfig is `kind: Config`). They have no namespace.
 */
export const CONFIG_KINDS = new Set([
  'KubeletConfiguration', 'KubeProxyConfiguration', 'KubeSchedulerConfiguration',
  'KubeControllerManagerConfiguration', 'EncryptionConfiguration', 'Policy',
  'AdmissionConfiguration', 'PodSecurityConfiguration', 'AuthenticationConfiguration',
  'AuthorizationConfiguration', 'Config', 'ClusterConfiguration', 'InitConfiguration',
  'JoinConfiguration', 'EgressSelectorConfiguration', 'TracingConfiguration',
  'CredentialProviderConfig', 'EventRateLimit', 'ImageReviewConfig',
]);

/** Kinds whose objects embed a pod template, with the path of that template's spec. */
export const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function isKnownKind(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind) || NAMESPACED_KINDS.has(kind) || CONFIG_KINDS.has(kind);
}

export function isNamespacedKind(kind: string): boolean {
  return NAMESPACED_KINDS.has(kind);
}

/** Namespaces that Kubernetes itself runs in; some checks treat them apart. */
export const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
