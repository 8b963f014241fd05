// Clusters for the test API server: a kubeadm cluster (control plane as static pods) running
// the workloads of examples/insecure-cluster, and a managed variant without control-plane pods.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K8sObject } from '../../inventory/types.js';
import { parseDocuments } from '../../sources/documents.js';
import { REPO_ROOT } from '../index.js';
import { bootstrapPolicy } from './rbac.js';

export interface ClusterFixture {
  objects: K8sObject[];
  kubeletConfigs: Record<string, Record<string, unknown>>;
}

/** A value planted in Secrets; it must never appear in anything kubeward reads or writes. */
export const SECRET_VALUE = 'pl4nted-s3cret-v4lue';

export function objectsOfYaml(path: string): K8sObject[] {
  const parsed = parseDocuments(readFileSync(path, 'utf8'), path);
  if (parsed.errors.length > 0) throw new Error(`${path}: ${parsed.errors[0]!.message}`);
  return parsed.items.map((i) => i.object);
}

/** deploy/scanner-rbac.yaml's objects: the least-privilege scanner (--no-secrets --no-kubelet-config). */
export function scannerRbac(): K8sObject[] {
  return objectsOfYaml(join(REPO_ROOT, 'deploy', 'scanner-rbac.yaml'));
}

/** deploy/scanner-rbac-extras.yaml's objects: the opt-in Secret metadata and nodes/proxy grants. */
export function scannerRbacExtras(): K8sObject[] {
  return objectsOfYaml(join(REPO_ROOT, 'deploy', 'scanner-rbac-extras.yaml'));
}

const FIXTURE_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'team-a'];

/**
 * The workloads, network policies, quotas and RBAC of examples/insecure-cluster (its Namespaces
 * too), without its Nodes, Secrets and kube-system objects, which the fixture defines itself, and
 * without the bootstrap roles and bindings the test API server adds on its own.
 */
function exampleWorkloadObjects(): K8sObject[] {
  const dir = join(REPO_ROOT, 'examples/insecure-cluster/cluster');
  const served = new Set([
    ...FIXTURE_NAMESPACES.map((name) => `Namespace/${name}`),
    ...bootstrapPolicy().map((o) => `${o.kind}/${o.metadata?.name}`),
  ]);
  return ['namespaces.yaml', 'apps.yaml', 'network.yaml', 'quotas.yaml', 'rbac.yaml']
    .flatMap((file) => objectsOfYaml(join(dir, file)))
    .filter((o) => !served.has(`${o.kind}/${o.metadata?.name}`));
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function staticPod(component: string, node: string, image: string, flags: string[]): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `${component}-${node}`, namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': 'abc123' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: 'node-uid', controller: true }],
    },
    spec: {
      nodeName: node, hostNetwork: true, priorityClassName: 'system-node-critical',
      containers: [{ name: component, image, command: [component, ...flags] }],
    },
    status: { phase: 'Running' },
  };
}

function node(name: string, kubeletVersion: string, controlPlane: boolean): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
    spec: controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: { nodeInfo: { kubeletVersion, kubeProxyVersion: kubeletVersion, containerRuntimeVersion: 'containerd://1.7.13', osImage: 'Ubuntu 22.04.4 LTS' } },
  };
}

/** What a kubelet's /configz reports: a hardened one, or one open to anonymous requests. */
export function kubeletConfig(anonymous: boolean): Record<string, unknown> {
  return {
    enableServer: true, staticPodPath: '/etc/kubernetes/manifests', readOnlyPort: anonymous ? 10255 : 0,
    authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' }, webhook: { enabled: !anonymous, cacheTTL: '2m0s' }, anonymous: { enabled: anonymous } },
    authorization: { mode: anonymous ? 'AlwaysAllow' : 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    rotateCertificates: true, serverTLSBootstrap: false, protectKernelDefaults: false,
  };
}

/** Secrets with data and a last-applied copy of it, as `kubectl apply` leaves them. */
function secrets(): K8sObject[] {
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password', namespace: 'default' }, data: { password: b64(SECRET_VALUE) } });
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, type: 'Opaque', data: { password: b64(SECRET_VALUE) } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'legacy-token', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'default' } }, type: 'kubernetes.io/service-account-token', data: { token: b64(SECRET_VALUE) } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' }, type: 'bootstrap.kubernetes.io/token', data: { 'token-id': b64('abcdef'), 'token-secret': b64(SECRET_VALUE) } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls-cert', namespace: 'ingress-nginx' }, type: 'kubernetes.io/tls', data: { 'tls.key': b64(SECRET_VALUE) } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vendor-license', namespace: 'team-a' }, type: 'example.com/license', data: { key: b64(SECRET_VALUE) } },
  ];
}

/** A kubeadm cluster of one control-plane node and two workers running the example cluster's workloads. */
export function kubeadmCluster(options: { managed?: boolean } = {}): ClusterFixture {
  const version = 'v1.30.4';
  const objects: K8sObject[] = [
    ...FIXTURE_NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    node('cp1', version, true), node('worker1', version, false), node('worker2', 'v1.29.7', false),
    ...secrets(),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' }, data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\n' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings', namespace: 'team-a' }, data: { mode: 'fast' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'team-a' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } } } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: 'team-a' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi' } } },
    ...exampleWorkloadObjects(),
  ];
  if (!options.managed) {
    objects.push(
      staticPod('kube-apiserver', 'cp1', `registry.k8s.io/kube-apiserver:${version}`, ['--advertise-address=10.0.0.10', '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', '--anonymous-auth=true', '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key', '--etcd-servers=https://127.0.0.1:2379']),
      staticPod('etcd', 'cp1', 'registry.k8s.io/etcd:3.5.12-0', ['--client-cert-auth=true', '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379', '--data-dir=/var/lib/etcd']),
      staticPod('kube-controller-manager', 'cp1', `registry.k8s.io/kube-controller-manager:${version}`, ['--bind-address=127.0.0.1', '--use-service-account-credentials=true']),
      staticPod('kube-scheduler', 'cp1', `registry.k8s.io/kube-scheduler:${version}`, ['--bind-address=127.0.0.1']),
    );
  }
  return { objects, kubeletConfigs: { cp1: kubeletConfig(false), worker1: kubeletConfig(false), worker2: kubeletConfig(true) } };
}
