// CIS 1.12 manual RBAC controls 5.1.7-5.1.13, which kube-bench only prints as WARN and kubeward
// decides: each passes on the hardened cluster, and one added binding (or credential) breaks it.
// Cluster-scoped rights granted by a RoleBinding, read-only rights, Kubernetes' own bootstrap
// bindings and rights CIS's audit does not name leave the control PASS.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runScan } from '../../src/scan/run.js';
import { loadPaths } from '../../src/sources/files.js';
import { cisControlCases, cisControls, CisTree, HARDENED_NOW } from '../../src/testing/cis.js';
import { REPO_ROOT } from '../../src/testing/index.js';

const HARDENED = join(REPO_ROOT, 'examples/hardened-cluster');
const CHECK = 'subject-holds-sensitive-rbac-permission';

/** A ClusterRole with these rules, bound to Group platform cluster-wide (or in namespace shop). */
const granted = (rules: string, scope: 'cluster' | 'shop' = 'cluster') => (t: CisTree) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: case-role}
rules:
${rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${scope === 'cluster' ? 'ClusterRoleBinding' : 'RoleBinding'}
metadata: {name: case-binding${scope === 'shop' ? ', namespace: shop' : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: case-role}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: platform}]
`);
const boundTo = (role: string, subject: string, namespace?: string) => (t: CisTree) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: ${namespace ? 'RoleBinding' : 'ClusterRoleBinding'}
metadata: {name: case-binding${namespace ? `, namespace: ${namespace}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [${subject}]
`);
const MASTERS = '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}';
const OPS = '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}';

/** The client certificate (PEM) embedded in one of the hardened node's kubeconfigs. */
function clientCertificateOf(kubeconfig: string): string {
  const config = parse(readFileSync(join(HARDENED, 'node-root', kubeconfig), 'utf8')) as { users: { user: Record<string, string> }[] };
  return Buffer.from(config.users[0]!.user['client-certificate-data']!, 'base64').toString('utf8');
}
const copyNodeFile = (from: string, to: string) => (t: CisTree) => t.writeNodeFile(to, readFileSync(join(HARDENED, 'node-root', from), 'utf8'));

cisControlCases('CIS 1.12 manual RBAC controls (5.1.7-5.1.13) on the hardened cluster', [
  { control: '5.1.7', change: 'a ClusterRoleBinding naming system:masters', mutate: boundTo('view', MASTERS) },
  { control: '5.1.7', change: 'a RoleBinding naming system:masters', mutate: boundTo('edit', MASTERS, 'shop') },
  { control: '5.1.7', change: 'super-admin.conf copied to another kubeconfig', mutate: copyNodeFile('/etc/kubernetes/super-admin.conf', '/etc/kubernetes/break-glass.conf') },
  { control: '5.1.7', change: 'a client certificate with O=system:masters under /etc/kubernetes/pki', mutate: (t) => t.writeNodeFile('/etc/kubernetes/pki/old-admin.crt', clientCertificateOf('/etc/kubernetes/super-admin.conf'), 0o644) },
  { control: '5.1.7', change: 'admin.conf (O=kubeadm:cluster-admins) copied to another kubeconfig', expect: 'pass', mutate: copyNodeFile('/etc/kubernetes/admin.conf', '/etc/kubernetes/admin-backup.conf') },
  { control: '5.1.7', change: 'ops bound to cluster-admin (a group RBAC can limit)', expect: 'pass', mutate: boundTo('cluster-admin', OPS) },

  { control: '5.1.8', change: 'bind on clusterroles cluster-wide', mutate: granted('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}') },
  { control: '5.1.8', change: 'bind on one named role, in a RoleBinding', mutate: granted('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], resourceNames: [viewer], verbs: [bind]}', 'shop') },
  { control: '5.1.8', change: 'escalate on roles in a RoleBinding', mutate: granted('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}', 'shop') },
  { control: '5.1.8', change: 'escalate on clusterroles in a RoleBinding (a cluster-scoped request it never allows)', expect: 'pass', mutate: granted('- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}', 'shop') },
  { control: '5.1.8', change: 'impersonate one user', mutate: granted('- {apiGroups: [""], resources: [users], resourceNames: [alice], verbs: [impersonate]}') },
  { control: '5.1.8', change: 'impersonate groups', mutate: granted('- {apiGroups: [""], resources: [groups], verbs: [impersonate]}') },
  { control: '5.1.8', change: 'impersonate uids', mutate: granted('- {apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate]}') },
  { control: '5.1.8', change: 'impersonate userextras/scopes', mutate: granted('- {apiGroups: [authentication.k8s.io], resources: [userextras/scopes], verbs: [impersonate]}') },
  { control: '5.1.8', change: 'the edit ClusterRole in one namespace (impersonate serviceaccounts)', mutate: boundTo('edit', OPS, 'shop') },
  { control: '5.1.8', change: 'ops bound to cluster-admin (every verb)', mutate: boundTo('cluster-admin', OPS) },
  { control: '5.1.8', change: 'get/list on roles and clusterroles', expect: 'pass', mutate: granted('- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, clusterroles], verbs: [get, list, watch]}') },

  { control: '5.1.9', change: 'create persistentvolumes cluster-wide', mutate: granted('- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}') },
  { control: '5.1.9', change: 'every verb on every core resource', mutate: granted('- {apiGroups: [""], resources: ["*"], verbs: ["*"]}') },
  { control: '5.1.9', change: 'create persistentvolumes in a RoleBinding (cluster-scoped: never allowed)', expect: 'pass', mutate: granted('- {apiGroups: [""], resources: [persistentvolumes], verbs: [create]}', 'shop') },
  { control: '5.1.9', change: 'create persistentvolumeclaims', expect: 'pass', mutate: granted('- {apiGroups: [""], resources: [persistentvolumeclaims], verbs: [create]}') },

  { control: '5.1.10', change: 'get nodes/proxy', mutate: granted('- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}') },
  { control: '5.1.10', change: 'create on */proxy (every proxy sub-resource)', mutate: granted('- {apiGroups: [""], resources: ["*/proxy"], verbs: [create]}') },
  { control: '5.1.10', change: 'get nodes/proxy in a RoleBinding', expect: 'pass', mutate: granted('- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}', 'shop') },
  { control: '5.1.10', change: 'get nodes/stats and nodes', expect: 'pass', mutate: granted('- {apiGroups: [""], resources: [nodes, nodes/stats], verbs: [get]}') },

  { control: '5.1.11', change: 'update certificatesigningrequests/approval', mutate: granted('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}') },
  { control: '5.1.11', change: 'patch certificatesigningrequests/approval', mutate: granted('- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [patch]}') },
  { control: '5.1.11', change: 'approve on signers only (kubeward reports it, CIS\'s audit does not name it)', expect: 'pass', mutate: granted('- {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client], verbs: [approve]}') },
  {
    control: '5.1.11', change: 'the bootstrap policy\'s certificate-controller binding (Kubernetes\' own)', expect: 'pass', mutate: (t) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: system:controller:certificate-controller, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
rules:
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval, certificatesigningrequests/status], verbs: [update]}
- {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client, kubernetes.io/kube-apiserver-client-kubelet], verbs: [approve]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:controller:certificate-controller, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:controller:certificate-controller}
subjects: [{kind: ServiceAccount, name: certificate-controller, namespace: kube-system}]
`),
  },

  { control: '5.1.12', change: 'create validatingwebhookconfigurations', mutate: granted('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [create]}') },
  { control: '5.1.12', change: 'delete mutatingwebhookconfigurations', mutate: granted('- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [delete]}') },
  { control: '5.1.12', change: 'write validatingadmissionpolicies (kubeward reports it, CIS\'s audit does not name it)', expect: 'pass', mutate: granted('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies, validatingadmissionpolicybindings], verbs: [create, update]}') },
  { control: '5.1.12', change: 'get/list webhook configurations', expect: 'pass', mutate: granted('- {apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations, mutatingwebhookconfigurations], verbs: [get, list, watch]}') },

  { control: '5.1.13', change: 'create serviceaccounts/token in a RoleBinding', mutate: granted('- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}', 'shop') },
  { control: '5.1.13', change: 'create serviceaccounts/token for one account cluster-wide', mutate: granted('- {apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [deployer], verbs: [create]}') },
  { control: '5.1.13', change: 'create serviceaccounts (not their tokens)', expect: 'pass', mutate: granted('- {apiGroups: [""], resources: [serviceaccounts], verbs: [create, get]}') },
]);

describe('CIS 1.12 manual RBAC controls: kubeward\'s findings beside the CIS verdict', () => {
  it('reports signer approval and admission policies as findings while CIS 5.1.11 and 5.1.12 pass', async () => {
    const tree = new CisTree();
    try {
      granted(`- {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve]}
- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicies], verbs: [patch]}`)(tree);
      const report = runScan(await loadPaths([tree.dir]), { now: new Date(HARDENED_NOW), framework: 'cis-1.12' });
      const findings = report.findings.filter((f) => f.check === CHECK && f.status === 'fail');
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.match(findings[0]!.message, /approve signers \(CIS 5\.1\.11\); write mutatingadmissionpolicies \(CIS 5\.1\.12\)/);
      const controls = new Map(report.framework!.controls.map((c) => [c.id, c]));
      for (const id of ['5.1.11', '5.1.12']) {
        assert.equal(controls.get(id)!.verdict, 'pass', id);
        assert.ok(controls.get(id)!.evidence.some((e) => e.check === CHECK && e.note?.includes('CIS\'s audit names')), id);
      }
    } finally {
      tree.remove();
    }
  });

  it('passes every manual RBAC control on the hardened cluster, noting the bootstrap bindings and super-admin.conf CIS would count', async () => {
    const controls = await cisControls(HARDENED);
    for (const id of ['5.1.7', '5.1.8', '5.1.9', '5.1.10', '5.1.11', '5.1.12', '5.1.13']) assert.equal(controls.get(id)!.verdict, 'pass', id);
    const noted = (id: string) => controls.get(id)!.evidence.filter((e) => e.note).map((e) => e.resource.name).sort();
    assert.deepEqual(noted('5.1.7'), ['super-admin.conf']);
    for (const id of ['5.1.8', '5.1.13']) assert.deepEqual(noted(id), ['cluster-admin', 'kubeadm:cluster-admins'], id);
  });
});
