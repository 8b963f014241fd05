import { fieldLineOf } from '../../inventory/field-lines.js';
import type { Item } from '../../inventory/types.js';
import { defineCheck, fail, pass } from '../define.js';
import { fieldPath, nodeFileOf } from '../../fix/helpers.js';

interface KubeconfigCluster {
  name?: string;
  cluster?: { server?: string; 'insecure-skip-tls-verify'?: boolean; 'certificate-authority'?: string; 'certificate-authority-data'?: string };
}

export function kubeconfigClusters(item: Item): { cluster: KubeconfigCluster; field: string; line: number | undefined }[] {
  const clusters = (item.object.clusters as KubeconfigCluster[] | undefined) ?? [];
  return clusters.map((cluster, i) => ({ cluster, field: `clusters[${i}].cluster`, line: fieldLineOf(item.object, `clusters[${i}]`) }));
}

export default defineCheck({
  id: 'kubeconfig-skips-tls-verification',
  section: 'api-tls',
  severity: 'high',
  title: 'kubeconfig skips verification of the API server certificate',
  docs: {
    what: 'Reports every cluster entry of a kubeconfig (kind: Config, from the input or /etc/kubernetes/*.conf on a node) with insecure-skip-tls-verify: true.',
    why: 'The client then trusts any certificate: a man in the middle receives the client\'s credentials (token or client certificate handshake) and every request, and can answer in the API server\'s name.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/'],
  },
  remediation: `Remove insecure-skip-tls-verify and give the cluster CA:

clusters:
- name: kubernetes
  cluster:
    server: https://10.0.0.10:6443
    certificate-authority-data: <base64 of /etc/kubernetes/pki/ca.crt>`,
  *evaluate({ inventory }) {
    for (const item of inventory.ofKind('Config')) {
      for (const { cluster, field, line } of kubeconfigClusters(item)) {
        const subject = { ref: item.ref, location: line ? { file: item.location.file, line } : item.location };
        if (cluster.cluster?.['insecure-skip-tls-verify'] === true) {
          yield fail(subject, `kubeconfig cluster "${cluster.name ?? '(unnamed)'}" (${cluster.cluster.server ?? 'no server'}) skips TLS verification`, { field: `${field}.insecure-skip-tls-verify` });
        } else yield pass(subject);
      }
    }
  },
  examples: {
    fail: [`apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://10.0.0.10:6443", insecure-skip-tls-verify: true}`],
    pass: [`apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://10.0.0.10:6443", certificate-authority-data: LS0tLS1CRUdJTg==}`],
  },
  fix: {
    safety: 'safe',
    summary: 'replaces insecure-skip-tls-verify with certificate-authority-data holding the cluster CA (/etc/kubernetes/pki/ca.crt) of the node the kubeconfig was read from; elsewhere the CA to trust is left to a person',
    plan(ctx, failures) {
      for (const failure of failures) {
        const item = ctx.check.inventory.ofKind('Config').find((i) => i.ref.name === failure.subject.ref.name && i.location.file === failure.subject.location?.file);
        const target = item && nodeFileOf(ctx, item.location.file);
        const ca = target?.host.certificates.find((c) => c.path === '/etc/kubernetes/pki/ca.crt');
        if (!item || !ca || !failure.field) {
          ctx.manual(failure, 'the CA that signed the API server\'s certificate is not in the input: set certificate-authority(-data) to it and remove insecure-skip-tls-verify');
          continue;
        }
        const cluster = fieldPath(failure.field).slice(0, -1);
        const edit = ctx.edit(item);
        edit.remove([...cluster, 'insecure-skip-tls-verify']);
        edit.set([...cluster, 'certificate-authority-data'], Buffer.from(ca.pem).toString('base64'));
      }
    },
  },
});
