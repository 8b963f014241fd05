// Shared by this section's checks: which versions the input shows for the control plane and for
// each node's kubelet, each as the subject findings name.

import { componentRuns } from '../../engines/config/index.js';
import { detectKubeVersion, parseKubeVersion, type KubeVersion } from '../../inventory/version.js';
import type { Item } from '../../inventory/types.js';
import type { CheckContext, Subject } from '../types.js';

export interface VersionedSubject {
  subject: Subject;
  /** "control plane" or "kubelet on node-1". */
  what: string;
  component: 'kube-apiserver' | 'kubelet';
  version: KubeVersion;
  /** Where the version was read. */
  source: string;
  field?: string;
  /** Node OS (status.nodeInfo.operatingSystem) for kubelets. */
  os?: string;
}

export const CONTROL_PLANE: Subject = { ref: { kind: 'ControlPlane', name: 'kube-apiserver' } };

/**
 * The API server's version: its static pod's image tag, else the cluster version (--k8s-version
 * or the live API's /version). Without either, kubeward infers the cluster version from the
 * oldest kubelet, which says nothing about the API server: a cluster version equal to the oldest
 * kubelet's, with no API server in the input, is therefore not taken as the API server's.
 */
export function controlPlaneVersion(ctx: CheckContext): VersionedSubject | { reason: string } {
  const detected = detectKubeVersion(ctx.inventory);
  const fromApiServer = detected?.source.startsWith('kube-apiserver') ?? false;
  const version = ctx.k8sVersion ?? (fromApiServer ? detected?.version : undefined);
  if (!version) return { reason: 'the Kubernetes version is unknown: give --k8s-version, or include the kube-apiserver static pod' };
  if (fromApiServer && detected!.version.text === version.text) {
    // Name the kube-apiserver pod, so the finding points at the manifest to change.
    const run = componentRuns(ctx.inventory, 'kube-apiserver').find((r) => r.pod);
    const subject = run ? { ref: run.ref, location: run.location } : CONTROL_PLANE;
    const field = run?.pod ? { field: `${run.pod.containerPath}.image` } : {};
    return { subject, what: 'control plane', component: 'kube-apiserver', version, source: detected!.source, ...field };
  }
  if (!fromApiServer && detected && detected.version.text === version.text) {
    return {
      reason: `the cluster version ${version.text} equals the oldest kubelet's (${detected.source}), which is what kubeward infers when the input shows no API server; include the kube-apiserver static pod or scan the live cluster to judge the control plane`,
    };
  }
  return { subject: CONTROL_PLANE, what: 'control plane', component: 'kube-apiserver', version, source: 'the cluster version (--k8s-version or the API server)' };
}

interface NodeStatus {
  status?: { nodeInfo?: { kubeletVersion?: string; operatingSystem?: string } };
}

/** Every Node with a readable kubeletVersion; Nodes without one are returned apart. */
export function kubeletVersions(ctx: CheckContext): { known: VersionedSubject[]; unknown: Item[] } {
  return ctx.shared('security-updates:kubelets', () => {
    const known: VersionedSubject[] = [];
    const unknown: Item[] = [];
    for (const node of ctx.inventory.ofKind<NodeStatus & Item['object']>('Node')) {
      const info = node.object.status?.nodeInfo;
      const version = info?.kubeletVersion ? parseKubeVersion(info.kubeletVersion) : undefined;
      if (!version) {
        unknown.push(node);
        continue;
      }
      known.push({
        subject: { ref: node.ref, location: node.location },
        what: `kubelet on ${node.ref.name}`,
        component: 'kubelet',
        version,
        source: `Node ${node.ref.name} status.nodeInfo.kubeletVersion`,
        field: 'status.nodeInfo.kubeletVersion',
        ...(info?.operatingSystem ? { os: info.operatingSystem } : {}),
      });
    }
    return { known, unknown };
  });
}

/** The control plane (when its version is known) and every kubelet, or why the control plane is not. */
export function versionedSubjects(ctx: CheckContext): { subjects: VersionedSubject[]; controlPlaneReason?: string } {
  const cp = controlPlaneVersion(ctx);
  const kubelets = kubeletVersions(ctx).known;
  return 'reason' in cp ? { subjects: kubelets, controlPlaneReason: cp.reason } : { subjects: [cp, ...kubelets] };
}

export const NODE_EXAMPLE = (name: string, kubeletVersion: string, os = 'linux'): string => `apiVersion: v1
kind: Node
metadata: {name: ${name}}
status:
  nodeInfo: {kubeletVersion: ${kubeletVersion}, operatingSystem: ${os}, architecture: amd64}`;

/** A kubeadm kube-apiserver static pod at `version`, so examples show the API server's version. */
export const API_SERVER_EXAMPLE = (version: string, flags: string[] = []): string => `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system, labels: {component: kube-apiserver, tier: control-plane}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:${version}
    command: [kube-apiserver, --authorization-mode=Node,RBAC${flags.map((f) => `, '${f}'`).join('')}]`;

/** The API server pod and one Node, as one YAML stream. */
export const CLUSTER_EXAMPLE = (apiServer: string, ...nodes: [string, string, string?][]): string =>
  [API_SERVER_EXAMPLE(apiServer), ...nodes.map(([name, kubelet, os]) => NODE_EXAMPLE(name, kubelet, os))].join('\n---\n');

/** A StorageClass; with `uid` as `kubectl get storageclasses -o yaml` writes it, without as written by hand. */
export const STORAGE_CLASS_EXAMPLE = (name: string, provisioner: string, uid?: string): string => `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${name}${uid ? `\n  uid: ${uid}\n  resourceVersion: "4182"\n  creationTimestamp: "2025-11-03T09:12:44Z"` : ''}
provisioner: ${provisioner}
reclaimPolicy: Delete
volumeBindingMode: Immediate`;
