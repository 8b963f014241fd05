// Typed views of the pod spec fields the checks read. Only what kubeward looks at is typed;
// every interface stays open because inputs are user data.

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface SeccompProfile {
  type?: string;
  localhostProfile?: string;
}

export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

export interface AppArmorProfile {
  type?: string;
  localhostProfile?: string;
}

export interface WindowsOptions {
  hostProcess?: boolean;
  [key: string]: unknown;
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: Capabilities;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  seccompProfile?: SeccompProfile;
  seLinuxOptions?: SELinuxOptions;
  appArmorProfile?: AppArmorProfile;
  windowsOptions?: WindowsOptions;
  [key: string]: unknown;
}

export interface PodSecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: SeccompProfile;
  seLinuxOptions?: SELinuxOptions;
  appArmorProfile?: AppArmorProfile;
  windowsOptions?: WindowsOptions;
  sysctls?: { name?: string; value?: string }[];
  [key: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

export interface Probe {
  httpGet?: { host?: string; port?: number | string; [key: string]: unknown };
  tcpSocket?: { host?: string; port?: number | string };
  [key: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: { name?: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: SecurityContext;
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: Probe; preStop?: Probe; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Volume {
  name?: string;
  hostPath?: { path?: string; type?: string };
  [key: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Volume[];
  securityContext?: PodSecurityContext;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostUsers?: boolean;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  os?: { name?: string };
  [key: string]: unknown;
}

/** The three container lists of a pod with the field names the API uses for them. */
export const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export interface ContainerRef {
  container: Container;
  /** Field path relative to the pod spec, e.g. "containers[0]". */
  path: string;
}

export function containersOf(spec: PodSpec): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => out.push({ container, path: `${field}[${index}]` }));
  }
  return out;
}
