import { MASTERS_GROUP } from '../../engines/rbac/bootstrap.js';
import { bindingSubject, rbacScan } from '../../engines/rbac/scan.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import { certificateSubject, certificatesOf, fieldOf, pkiInventory } from '../credential-rotation/certificates.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

/** kubeadm's break-glass kubeconfig (1.29+): the one credential it still puts in system:masters. */
const SUPER_ADMIN_CONF = '/etc/kubernetes/super-admin.conf';
const SUPER_ADMIN_CN = 'kubernetes-super-admin';

/** A subject attribute's values (one line each in X509Certificate.subject): O= holds the groups a client certificate authenticates with. */
function attribute(subject: string, key: 'O' | 'CN'): string[] {
  return subject.split('\n').flatMap((line) => (line.startsWith(`${key}=`) ? [line.slice(key.length + 1)] : []));
}

export default defineCheck({
  id: 'system-masters-credential',
  section: 'api-authz',
  severity: 'high',
  title: 'Credential or binding uses the system:masters group',
  docs: {
    what: `Reports every client certificate (a PEM file of a node root, or one embedded in a kubeconfig) whose subject has O=${MASTERS_GROUP}, and every RoleBinding or ClusterRoleBinding that names the group ${MASTERS_GROUP}, other than the bootstrap policy's cluster-admin binding. Left out, with a note in the CIS view: kubeadm's ${SUPER_ADMIN_CONF} (CN=${SUPER_ADMIN_CN}), the break-glass credential kubeadm 1.29+ creates on the first control-plane node (admin.conf uses the group kubeadm:cluster-admins instead). Certificates are judged where the scan read them: without a node root or kubeconfig in the input, this is not evaluated; credentials kept elsewhere (an administrator's workstation, a static token file's group column) are not seen.`,
    why: `Members of ${MASTERS_GROUP} bypass authorization altogether: no RBAC rule, binding removal or webhook authorizer can limit them, and a client certificate cannot be revoked, so a leaked one is cluster-admin until the CA is replaced. Binding the group to something is pointless and suggests credentials that carry it are in use.`,
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege', 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/#generate-kubeconfig-files-for-control-plane-components'],
  },
  cis: { '1.12': ['5.1.7'] },
  remediation: `Issue administrators' certificates with a group bound to cluster-admin (or less) through RBAC,
for example kubeadm's kubeadm:cluster-admins, and remove the binding that names system:masters.
After kubeadm init, move /etc/kubernetes/super-admin.conf off the node to a safe place.`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of index.bindings) {
      if (!binding.item) continue;
      const bootstrap = binding.builtin && binding.kind === 'ClusterRoleBinding' && binding.name === 'cluster-admin';
      const named = binding.subjects.flatMap((s, i) => (s.kind === 'Group' && s.name === MASTERS_GROUP ? [i] : []));
      if (bootstrap || named.length === 0) {
        yield pass(bindingSubject(binding));
        continue;
      }
      for (const i of named) yield fail(bindingSubject(binding), `names the group ${MASTERS_GROUP}, whose members bypass authorization (${binding.roleRef.kind} ${binding.roleRef.name})`, { field: `subjects[${i}]` });
    }
    if (ctx.inventory.hosts.length === 0 && ctx.inventory.ofKind('Config').length === 0) {
      yield notEvaluated({ ref: { kind: 'Certificate', name: '*' } }, `no node root or kubeconfig in the input, so client certificates with O=${MASTERS_GROUP} could not be looked for; scan a node with --node-root`);
      return;
    }
    for (const cert of certificatesOf(ctx)) {
      if (cert.facts.isCA) continue;
      if (!attribute(cert.facts.x509.subject, 'O').includes(MASTERS_GROUP)) {
        yield pass(certificateSubject(cert));
        continue;
      }
      const superAdmin = cert.field !== undefined && cert.location.file.endsWith(SUPER_ADMIN_CONF) && attribute(cert.facts.x509.subject, 'CN').includes(SUPER_ADMIN_CN);
      if (superAdmin) {
        yield pass(certificateSubject(cert), { cis: { '1.12': { '5.1.7': 'pass' } }, cisNote: `CIS counts every credential in ${MASTERS_GROUP}; kubeward leaves out kubeadm's ${SUPER_ADMIN_CONF}, its break-glass credential (keep it off the node)` });
        continue;
      }
      yield fail(certificateSubject(cert), `${cert.label} (${cert.facts.subject}) authenticates in the group ${MASTERS_GROUP}, which bypasses authorization`, fieldOf(cert));
    }
  },
  examples: {
    fail: [
      {
        description: 'a binding that names system:masters',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}]`,
      },
      {
        description: 'an administrator client certificate in system:masters (kubeadm before 1.29 wrote admin.conf so)',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'admin.crt': await certs.leaf(ca, 'kubernetes-admin', { organization: MASTERS_GROUP, usage: ['clientAuth'], notBefore: new Date('2026-02-01T00:00:00Z'), days: 365 }),
        })),
      },
    ],
    pass: [
      {
        description: 'the bootstrap cluster-admin binding, and an administrator certificate in kubeadm:cluster-admins',
        now: '2026-06-01T00:00:00Z',
        build: async () => {
          const inventory = await pkiInventory(async (certs, ca) => ({
            'admin.crt': await certs.leaf(ca, 'kubernetes-admin', { organization: 'kubeadm:cluster-admins', usage: ['clientAuth'], notBefore: new Date('2026-02-01T00:00:00Z'), days: 365 }),
          }));
          const { items } = parseDocuments(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}]`, 'rbac.yaml');
          return new Inventory(items, { hosts: [...inventory.hosts] });
        },
      },
    ],
  },
});
