// CIS 1.12 Kubernetes policies (5.1, 5.2 and the audit policy's 3.2.2), broken one change at a time.
// Controls that pass on the hardened cluster are broken on a copy of it. kube-bench fails five of
// them on every kubeadm cluster (5.1.1: kubeadm:cluster-admins; 5.1.3: cluster-admin's ["*"];
// 5.1.6: the pods that need their token; 5.2.2 and 5.2.5: kube-proxy, calico and the static pods),
// and so does kubeward's CIS view of the hardened cluster: those are tested on small inputs, the
// way kube-bench's own test data does, and the hardened verdict is pinned too.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ControlVerdict } from '../../src/frameworks/framework.js';
import { cisControlCases, cisControls, cisManifestCases, editShopWeb, securityContext, type CisManifestCase } from '../../src/testing/cis.js';
import { REPO_ROOT } from '../../src/testing/index.js';

const BINDING = (name: string, role: string, subject: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [${subject}]
`;
const AUTHENTICATED = '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}';

const WEB = editShopWeb;

cisControlCases('CIS 1.12 policies (5.1, 5.2) on the hardened cluster', [
  { control: '5.1.2', change: 'system:authenticated bound to cluster-admin (verb "*")', mutate: (t) => t.addManifest(BINDING('everyone-admin', 'cluster-admin', AUTHENTICATED)) },
  { control: '5.1.2', change: 'system:authenticated granted get/list/watch secrets: kube-bench\'s one-word verb does not match', mutate: (t) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]
---
${BINDING('everyone-reads-secrets', 'secret-reader', AUTHENTICATED)}`), expect: 'pass' },
  { control: '5.1.2', change: 'the User named system:authenticated (what --as impersonates) granted secrets "*"', mutate: (t) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-admin}
rules: [{apiGroups: [""], resources: [secrets], verbs: ["*"]}]
---
${BINDING('user-secret-admin', 'secret-admin', '{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:authenticated}')}`) },
  { control: '5.1.4', change: 'system:authenticated bound to edit cluster-wide (create pods)', mutate: (t) => t.addManifest(BINDING('everyone-edits', 'edit', AUTHENTICATED)) },
  { control: '5.1.4', change: 'system:authenticated bound to edit in one namespace only (not --all-namespaces)', mutate: (t) => t.addManifest(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everyone-edits, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [${AUTHENTICATED}]
`), expect: 'pass' },
  { control: '5.1.5', change: 'default ServiceAccount of shop without automountServiceAccountToken', mutate: (t) => t.editObject('apps.yaml', 'ServiceAccount', 'shop', 'default', (o) => { delete o.automountServiceAccountToken; }) },
  { control: '5.1.5', change: 'default ServiceAccount of kube-system with automountServiceAccountToken: true', mutate: (t) => t.editObject('kube-system.yaml', 'ServiceAccount', 'kube-system', 'default', (o) => { o.automountServiceAccountToken = true; }) },
  { control: '5.1.5', change: 'a namespace whose default ServiceAccount is not in the input', mutate: (t) => t.addManifest('apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n'), expect: 'not-evaluated' },
  { control: '5.2.3', change: 'shop/web with hostPID: true', mutate: WEB((spec) => { spec.hostPID = true; }) },
  { control: '5.2.3', change: 'hostPID: true in an exempt namespace (kube-bench audits every pod)', mutate: (t) => t.editObject('kube-system.yaml', 'Deployment', 'kube-system', 'coredns', (o) => { (((o.spec as Record<string, unknown>).template as Record<string, unknown>).spec as Record<string, unknown>).hostPID = true; }) },
  { control: '5.2.4', change: 'shop/web with hostIPC: true', mutate: WEB((spec) => { spec.hostIPC = true; }) },
  { control: '5.2.6', change: 'shop/web container with allowPrivilegeEscalation: true', mutate: WEB((_, c) => { securityContext(c).allowPrivilegeEscalation = true; }) },
  { control: '5.2.6', change: 'shop/web container with allowPrivilegeEscalation unset (kubeward\'s Restricted fails it, kube-bench does not)', mutate: WEB((_, c) => { delete securityContext(c).allowPrivilegeEscalation; }), expect: 'pass' },
  { control: '5.2.6', change: 'allowPrivilegeEscalation: true on a pod that also violates Baseline (privileged)', mutate: WEB((_, c) => { Object.assign(securityContext(c), { allowPrivilegeEscalation: true, privileged: true }); }) },
]);

const POD = (name: string, spec: string, account = 'app') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec:
  serviceAccountName: ${account}
${spec}  containers:
  - name: app
    image: nginx:1.27
`;
const ACCOUNT = (name: string, automount?: boolean) => `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: shop}
${automount === undefined ? '' : `automountServiceAccountToken: ${automount}\n`}`;

// kube-bench's truth table for 5.1.6 (internal/cisaudit TestServiceAccountTruthTable): a nil
// account never passes; a false one accepts a false or unset pod; a true one only a false pod.
const TOKEN_TABLE: [boolean | undefined, boolean | undefined, ControlVerdict][] = [
  [undefined, undefined, 'fail'], [undefined, false, 'fail'], [undefined, true, 'fail'],
  [false, undefined, 'pass'], [false, false, 'pass'], [false, true, 'fail'],
  [true, undefined, 'fail'], [true, false, 'pass'], [true, true, 'fail'],
];

cisManifestCases('CIS 1.12 policies kube-bench fails on every kubeadm cluster, on small inputs', [
  { control: '5.1.1', change: 'a binding named cluster-admin', yaml: BINDING('cluster-admin', 'cluster-admin', '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}'), expect: 'pass' },
  { control: '5.1.1', change: 'ops bound to cluster-admin', yaml: BINDING('ops-admins', 'cluster-admin', '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}'), expect: 'fail' },
  { control: '5.1.1', change: 'kubeadm\'s kubeadm:cluster-admins binding', yaml: BINDING('kubeadm:cluster-admins', 'cluster-admin', '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: kubeadm:cluster-admins}'), expect: 'fail' },
  { control: '5.1.1', change: 'a */*/* role under another name (kube-bench judges the role\'s name)', yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
${BINDING('ops-everything', 'everything', '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ops}')}`, expect: 'pass' },

  { control: '5.1.3', change: 'a Role listing what it grants', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: [get, "list"]}]\n', expect: 'pass' },
  { control: '5.1.3', change: 'a Role with verbs ["*"]', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: ["*"]}]\n', expect: 'fail' },
  { control: '5.1.3', change: 'a ClusterRole with resourceNames ["*"]', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [configmaps], resourceNames: ["*"], verbs: [get]}]\n', expect: 'fail' },
  { control: '5.1.3', change: 'the bootstrap cluster-admin ClusterRole', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cluster-admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}, {nonResourceURLs: ["*"], verbs: ["*"]}]\n', expect: 'fail' },
  { control: '5.1.3', change: 'verbs ["*", "get"] (kube-bench matches only an exact ["*"])', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules: [{apiGroups: [apps], resources: [deployments], verbs: ["*", get]}]\n', expect: 'pass' },
  { control: '5.1.3', change: 'an aggregated ClusterRole that gathers a ["*"] rule', yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gathered}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {gather: "yes"}}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: part, labels: {gather: "yes"}}
rules: [{apiGroups: [example.com], resources: ["*"], verbs: [get]}]
`, expect: 'fail' },

  ...TOKEN_TABLE.map(([account, pod, expect]): CisManifestCase => ({
    control: '5.1.6',
    change: `ServiceAccount automount ${account ?? 'unset'}, pod ${pod ?? 'unset'}`,
    yaml: `${ACCOUNT('app', account)}${POD('p', pod === undefined ? '' : `  automountServiceAccountToken: ${pod}\n`)}`,
    expect,
  })),
  { control: '5.1.6', change: 'a pod whose ServiceAccount is not in the input', yaml: POD('p', '  automountServiceAccountToken: false\n', 'missing'), expect: 'not-evaluated' },
  { control: '5.1.6', change: 'a kube-system pod with its token (kubeward skips it, kube-bench does not)', yaml: `${ACCOUNT('app', false)}---
apiVersion: v1
kind: ServiceAccount
metadata: {name: proxy, namespace: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: proxy, namespace: kube-system}
spec:
  serviceAccountName: proxy
  containers: [{name: proxy, image: registry.k8s.io/kube-proxy:v1.34.1}]
`, expect: 'fail' },

  { control: '5.2.2', change: 'a plain pod', yaml: `${ACCOUNT('app', false)}${POD('p', '')}`, expect: 'pass' },
  { control: '5.2.2', change: 'a privileged container', yaml: `${ACCOUNT('app', false)}${POD('p', '').replace('image: nginx:1.27', 'image: nginx:1.27\n    securityContext: {privileged: true}')}`, expect: 'fail' },
  { control: '5.2.2', change: 'a privileged init container (kube-bench audits regular containers only)', yaml: `${ACCOUNT('app', false)}${POD('p', '  initContainers: [{name: init, image: busybox:1.36, securityContext: {privileged: true}}]\n')}`, expect: 'pass' },
  { control: '5.2.2', change: 'a privileged container in a workload template', yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: example/agent:1.0, securityContext: {privileged: true}}]
`, expect: 'fail' },
  { control: '5.2.5', change: 'hostNetwork: false written out', yaml: `${ACCOUNT('app', false)}${POD('p', '  hostNetwork: false\n')}`, expect: 'pass' },
  { control: '5.2.5', change: 'hostNetwork: true', yaml: `${ACCOUNT('app', false)}${POD('p', '  hostNetwork: true\n')}`, expect: 'fail' },
]);

describe('CIS 1.12 policies: the hardened cluster\'s verdicts kube-bench gives a kubeadm cluster', () => {
  it('fails 5.1.1, 5.1.3, 5.1.6, 5.2.2 and 5.2.5 for the objects kube-bench flags, passes the rest', async () => {
    const controls = await cisControls(join(REPO_ROOT, 'examples/hardened-cluster'));
    const flagged = (id: string) => [...new Set(controls.get(id)!.evidence.filter((e) => e.outcome === 'fail').map((e) => `${e.resource.namespace ?? ''}/${e.resource.name}`))].sort();
    assert.deepEqual(flagged('5.1.1'), ['/kubeadm:cluster-admins']);
    assert.deepEqual(flagged('5.1.3'), ['/cluster-admin']);
    assert.deepEqual(flagged('5.2.2'), ['kube-system/calico-node', 'kube-system/kube-proxy']);
    assert.ok(flagged('5.2.5').includes('kube-system/kube-apiserver'), flagged('5.2.5').join(', '));
    assert.ok(flagged('5.1.6').includes('kube-system/coredns'), flagged('5.1.6').join(', '));
    for (const id of ['5.1.1', '5.1.3', '5.1.6', '5.2.2', '5.2.5']) assert.equal(controls.get(id)!.verdict, 'fail', id);
    for (const id of ['5.1.2', '5.1.4', '5.1.5', '5.2.1', '5.2.3', '5.2.4', '5.2.6']) assert.equal(controls.get(id)!.verdict, 'pass', id);
  });
});
