import { cleanNodePath, type HostSnapshot } from '../../inventory/host.js';
import type { CertificateFacts } from '../../engines/certs/index.js';
import type { ComponentRun } from '../../engines/config/index.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import { componentPodYaml, forEachRun, from, KUBEADM_API_SERVER_FLAGS, runSubject, runsOf } from '../component-support.js';
import { certificatesOf, pkiInventory } from '../credential-rotation/certificates.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CheckContext } from '../types.js';

/** The files that hold the cluster CA: [component, flag]. */
const CLUSTER_CA_FLAGS = [
  ['kube-apiserver', 'client-ca-file'],
  ['kube-controller-manager', 'root-ca-file'],
  ['kube-controller-manager', 'cluster-signing-cert-file'],
] as const;

interface ClusterCa {
  /** How a message names it: "kube-apiserver --client-ca-file". */
  label: string;
  path: string;
  run: ComponentRun;
}

/** The certificates of a PEM file the node root read (the scan's, parsed once); undefined when it was not read or holds none. */
function certificatesAt(ctx: CheckContext, host: HostSnapshot | undefined, path: string): CertificateFacts[] | undefined {
  if (!host) return undefined;
  const file = `${host.root.replace(/\/+$/, '')}${cleanNodePath(path)}`;
  const facts = certificatesOf(ctx).filter((c) => c.ref.kind === 'Certificate' && c.location.file === file).map((c) => c.facts);
  return facts.length > 0 ? facts : undefined;
}

const publicKeyOf = (c: CertificateFacts) => c.x509.publicKey.export({ type: 'spki', format: 'der' });

/** How two CA files overlap: the same certificate, or a certificate of the same key; undefined when they do not. */
function overlap(a: readonly CertificateFacts[], b: readonly CertificateFacts[]): string | undefined {
  for (const x of a) {
    for (const y of b) {
      if (x.fingerprint256 === y.fingerprint256) return `the same certificate (${x.subject})`;
      if (publicKeyOf(x).equals(publicKeyOf(y))) return `certificates of the same key (${x.subject} and ${y.subject})`;
    }
  }
  return undefined;
}

export default defineCheck({
  id: 'etcd-ca-shared-with-cluster',
  section: 'etcd-access',
  severity: 'medium',
  title: 'etcd trusts the cluster CA for its clients',
  docs: {
    what: 'Compares every etcd\'s trusted-ca-file (flag, ETCD_TRUSTED_CA_FILE or its --config-file) with the cluster CA: kube-apiserver\'s --client-ca-file and kube-controller-manager\'s --root-ca-file and --cluster-signing-cert-file. It reports an etcd without trusted-ca-file, one that names the same file, and one whose file holds the same certificate or a certificate of the same key (read from the node root). When a file cannot be read it is not evaluated. kube-bench only asks for --trusted-ca-file to be set; kubeward judges what CIS 2.7 asks, a CA of etcd\'s own.',
    why: 'etcd lets in any client whose certificate its CA signed. If that is the cluster CA, every certificate the cluster CA signs (kubelets\' client certificates, users\' certificates, anything a CertificateSigningRequest approved with that signer) opens etcd: read and write access to every Secret, beneath RBAC and audit.',
    references: ['Securing a Cluster: Restricting access to etcd', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
  remediation: `Give etcd a CA of its own (kubeadm: /etc/kubernetes/pki/etcd/ca.crt, issued by \`kubeadm init phase certs etcd-ca\`) that signs only etcd's server, peer and client certificates, and the API server's etcd client certificate:

    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt`,
  cis: { '1.12': ['2.7'] },
  *evaluate(ctx) {
    const clusterCas: ClusterCa[] = CLUSTER_CA_FLAGS.flatMap(([component, flag]) => runsOf(ctx, component).flatMap((s) => {
      const value = s.get(flag).value;
      return value ? [{ label: `${component} --${flag}`, path: value, run: s.run }] : [];
    }));
    yield* forEachRun(ctx, 'etcd', function* (s) {
      const ca = s.get('trusted-ca-file');
      const subject = runSubject(s.run, ca);
      if (ca.unresolved) return yield notEvaluated(subject, ca.unresolved);
      if (!ca.value) return yield fail(subject, `etcd has no trusted-ca-file${from(ca)}: it has no CA of its own for its clients`);
      if (clusterCas.length === 0) return yield notEvaluated(subject, 'no cluster CA to compare etcd\'s trusted-ca-file with: no kube-apiserver --client-ca-file nor kube-controller-manager --root-ca-file or --cluster-signing-cert-file in the input');
      const samePath = clusterCas.find((c) => cleanNodePath(c.path) === cleanNodePath(ca.value!) && (!c.run.host || !s.run.host || c.run.host === s.run.host));
      if (samePath) return yield fail(subject, `etcd trusts the cluster CA: its trusted-ca-file ${ca.value} is also ${samePath.label}${from(ca)}`);
      const etcdCerts = certificatesAt(ctx, s.run.host, ca.value);
      if (!etcdCerts) return yield notEvaluated(subject, `etcd's trusted-ca-file ${ca.value} is not in the input (scan the etcd node with --node-root) to compare with the cluster CA`);
      const unread: string[] = [];
      for (const c of clusterCas) {
        const certs = certificatesAt(ctx, c.run.host, c.path);
        if (!certs) {
          unread.push(`${c.label} ${c.path}`);
          continue;
        }
        const shared = overlap(etcdCerts, certs);
        if (shared) return yield fail(subject, `etcd trusts the cluster CA: its trusted-ca-file ${ca.value} and ${c.label} ${c.path} hold ${shared}`);
      }
      if (unread.length > 0) yield notEvaluated(subject, `cannot compare etcd's CA with ${unread.join(', ')}: not in the input (scan the control-plane node with --node-root)`);
      else yield pass(subject);
    });
  },
  examples: {
    fail: [
      { description: 'etcd names the cluster CA file', yaml: `${componentPodYaml('etcd', ['--client-cert-auth=true', '--trusted-ca-file=/etc/kubernetes/pki/ca.crt'])}
---
${componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)}` },
      { description: 'etcd\'s CA file is a copy of the cluster CA', build: () => twoCaFiles(true) },
    ],
    pass: [{ description: 'etcd has a CA of its own (kubeadm)', build: () => twoCaFiles(false) }],
  },
});

/** A control-plane node root with the cluster CA, and an etcd CA that is a copy of it or its own. */
async function twoCaFiles(copy: boolean): Promise<Inventory> {
  const pki = await pkiInventory(async (certs, ca) => ({ 'etcd/ca.crt': copy ? ca : await certs.ca('etcd-ca') }));
  const host = pki.hosts[0]!;
  const manifest = '/etc/kubernetes/manifests/control-plane.yaml';
  host.files.push({ path: manifest, mode: 0o600, uid: 0, gid: 0, size: 1, type: 'file' });
  const pods = parseDocuments(`${componentPodYaml('etcd', ['--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'])}
---
${componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)}`, `${host.root}${manifest}`).items;
  return new Inventory(pods, { hosts: [host] });
}
