// Behaviour of the authorizer index, who-can, aggregation with the bootstrap roles, compaction
// and the escalation graph, on small YAML clusters.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryFromYaml } from '../../testing/index.js';
import { compactRules } from './compact.js';
import { clusterFactsOf, EscalationGraph, nodeIdOf } from './escalation.js';
import { RbacIndex, userInfoFor } from './index.js';
import { escalationPaths, formatPaths } from './paths.js';

function build(yaml: string, bootstrap = true) {
  const inventory = inventoryFromYaml(yaml);
  const index = new RbacIndex(inventory.items, { bootstrap });
  const graph = () => new EscalationGraph(index, clusterFactsOf(inventory.items, inventory.podSpecs(), index));
  return { inventory, index, graph };
}

const crb = (name: string, role: string, subjects: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: ${subjects}
`;
const rb = (ns: string, name: string, kind: string, role: string, subjects: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: ${role}}
subjects: ${subjects}
`;
const cr = (name: string, rules: string, extra = '') => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${name}${extra}}
rules: ${rules}
`;
const role = (ns: string, name: string, rules: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: ${ns}}
rules: ${rules}
`;

describe('authorizer', () => {
  const { index } = build(
    cr('pod-reader', '[{apiGroups: [""], resources: [pods], verbs: [get, list]}, {apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get, list, create, deletecollection]}]') +
    rb('team', 'readers', 'ClusterRole', 'pod-reader', '[{kind: ServiceAccount, name: builder}, {kind: User, name: alice}]') +
    role('team', 'scaler', '[{apiGroups: ["*"], resources: ["*/scale"], verbs: [update]}, {apiGroups: [""], resources: ["pods/*"], verbs: [get]}]') +
    rb('team', 'scalers', 'Role', 'scaler', '[{kind: Group, name: ops}]') +
    crb('metrics', 'metrics-reader', '[{kind: User, name: prom}]') +
    cr('metrics-reader', '[{nonResourceURLs: ["/metrics", "/debug/*"], verbs: [get]}]') +
    crb('sa-without-ns', 'pod-reader', '[{kind: ServiceAccount, name: lost}]') +
    rb('team', 'broken', 'Role', 'does-not-exist', '[{kind: User, name: bob}]'),
  );
  const alice = { name: 'alice', groups: ['system:authenticated'] };
  it('RoleBinding to a ClusterRole grants only in its namespace', () => {
    assert.equal(index.authorize(alice, { verb: 'get', resource: 'pods', namespace: 'team' }).allowed, true);
    assert.equal(index.authorize(alice, { verb: 'get', resource: 'pods', namespace: 'other' }).allowed, false);
    assert.equal(index.authorize(alice, { verb: 'list', resource: 'pods' }).allowed, false);
  });
  it('resourceNames never allow list, create or deletecollection (no name in the request)', () => {
    assert.equal(index.authorize(alice, { verb: 'get', resource: 'secrets', name: 'app-config', namespace: 'team' }).allowed, true);
    assert.equal(index.authorize(alice, { verb: 'get', resource: 'secrets', name: 'other', namespace: 'team' }).allowed, false);
    for (const verb of ['list', 'create', 'deletecollection']) assert.equal(index.authorize(alice, { verb, resource: 'secrets', namespace: 'team' }).allowed, false, verb);
  });
  it('*/scale matches every scale; pods/* is literal', () => {
    const ops = { name: 'carol', groups: ['ops'] };
    assert.equal(index.authorize(ops, { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'team' }).allowed, true);
    assert.equal(index.authorize(ops, { verb: 'update', apiGroup: 'apps', resource: 'deployments', namespace: 'team' }).allowed, false);
    assert.equal(index.authorize(ops, { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'team' }).allowed, false);
  });
  it('ServiceAccount subjects default to the RoleBinding namespace, and to nothing in a ClusterRoleBinding', () => {
    assert.equal(index.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'team', name: 'builder' }), { verb: 'get', resource: 'pods', namespace: 'team' }).allowed, true);
    assert.equal(index.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'default', name: 'lost' }), { verb: 'get', resource: 'pods' }).allowed, false);
  });
  it('non-resource URLs with a trailing * through ClusterRoleBindings', () => {
    const prom = { name: 'prom', groups: [] };
    assert.equal(index.authorize(prom, { verb: 'get', path: '/debug/pprof/heap' }).allowed, true);
    assert.equal(index.authorize(prom, { verb: 'get', path: '/metricsx' }).allowed, false);
  });
  it('system:masters bypasses RBAC', () => {
    assert.deepEqual(index.authorize({ name: 'root', groups: ['system:masters'] }, { verb: 'delete', resource: 'nodes' }), { allowed: true, bypass: true });
  });
  it('reports bindings to missing roles', () => {
    assert.deepEqual(index.brokenBindings().map((b) => [b.name, b.roleError]), [['broken', 'Role "does-not-exist" in namespace "team" does not exist']]);
  });
  it('who-can lists binding subjects, system:masters first, with the binding namespace for bare ServiceAccounts', () => {
    const subjects = index.whoCan({ verb: 'get', resource: 'pods', namespace: 'team' });
    assert.deepEqual(subjects.map((s) => [s.kind, s.name, s.namespace ?? null, s.bypass ?? false, s.via.map((v) => v.binding.name)]), [
      ['Group', 'system:masters', null, true, []],
      ['User', 'alice', null, false, ['readers']],
      ['ServiceAccount', 'builder', 'team', false, ['readers']],
    ]);
    assert.deepEqual(index.whoCan({ verb: 'get', resource: 'pods' }).map((s) => s.name), ['system:masters']);
  });
});

describe('aggregation with the bootstrap roles', () => {
  it('a CRD role labelled aggregate-to-edit reaches edit and admin, not view', () => {
    const { index } = build(cr('widgets-edit', '[{apiGroups: [example.com], resources: [widgets], verbs: [create]}]', ', labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}') +
      rb('team', 'devs', 'ClusterRole', 'admin', '[{kind: Group, name: devs}]') + rb('team', 'viewers', 'ClusterRole', 'view', '[{kind: Group, name: viewers}]'));
    const request = { verb: 'create', apiGroup: 'example.com', resource: 'widgets', namespace: 'team' };
    assert.equal(index.authorize({ name: 'd', groups: ['devs'] }, request).allowed, true);
    assert.equal(index.authorize({ name: 'v', groups: ['viewers'] }, request).allowed, false);
    assert.equal(index.authorize({ name: 'v', groups: ['viewers'] }, { verb: 'list', resource: 'pods', namespace: 'team' }).allowed, true);
    assert.equal(index.role('ClusterRole', undefined, 'admin')?.aggregated, true);
  });
  it('stored rules of an aggregated role are ignored', () => {
    const { index } = build(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring: "true"}}]
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
` + crb('mon', 'monitoring', '[{kind: User, name: m}]'), false);
    assert.equal(index.authorize({ name: 'm', groups: [] }, { verb: 'get', resource: 'pods' }).allowed, false);
  });
});

describe('compaction', () => {
  it('merges verbs, then resources, without changing what is allowed', () => {
    const r = (verbs: string[], resources: string[]) => ({ verbs, apiGroups: [''], resources, resourceNames: [], nonResourceURLs: [] });
    assert.deepEqual(compactRules([r(['get'], ['pods']), r(['list'], ['pods']), r(['list', 'get'], ['services']), r(['get'], ['pods'])]), [r(['get', 'list'], ['pods', 'services'])]);
  });
});

describe('escalation graph', () => {
  const cluster =
    role('apps', 'deployer', '[{apiGroups: [apps], resources: [deployments], verbs: [create, update]}]') +
    rb('apps', 'dev-deploys', 'Role', 'deployer', '[{kind: User, name: dev}]') +
    cr('secret-reader', '[{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]') +
    crb('reporter-reads-secrets', 'secret-reader', '[{kind: ServiceAccount, name: reporter, namespace: apps}]') +
    `---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reporter, namespace: apps}
`;
  it('a Deployment creator reaches an account that reads every Secret, hence cluster-admin', () => {
    const { graph } = build(cluster);
    const g = graph();
    const [path] = escalationPaths(g, { to: 'cluster-admin', from: { kind: 'User', name: 'dev' } });
    assert.ok(path);
    assert.deepEqual(path.edges.map((e) => [e.type, e.to]), [
      ['create-workloads', 'hub:accounts:apps'],
      ['runs-as', 'sa:apps/reporter'],
      ['read-secrets', 'target:secrets'],
      ['equivalent', 'target:cluster-admin'],
    ]);
    assert.equal(path.edges[0]!.cites[0]!.binding.name, 'dev-deploys');
    assert.equal(path.edges[2]!.cites[0]!.binding.name, 'reporter-reads-secrets');
    assert.match(formatPaths(g, [path], 'text'), /because RoleBinding apps\/dev-deploys -> Role deployer rule\[0\]/);
    assert.match(formatPaths(g, [path], 'dot'), /digraph escalation/);
    assert.match(formatPaths(g, [path], 'mermaid'), /flowchart LR/);
    assert.equal(JSON.parse(formatPaths(g, [path], 'json')).paths[0].steps.length, 4);
  });
  it('the fix (secret reading limited to the apps namespace) removes the path to cluster-admin', () => {
    const fixed = cluster.replace(/kind: ClusterRoleBinding\nmetadata: \{name: reporter-reads-secrets\}/, 'kind: RoleBinding\nmetadata: {name: reporter-reads-secrets, namespace: apps}');
    const g = build(fixed).graph();
    assert.deepEqual(escalationPaths(g, { to: 'cluster-admin', from: { kind: 'User', name: 'dev' } }), []);
  });

  const edgeCases: [string, string, string, string][] = [
    ['bind any ClusterRole', cr('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]'), 'bind', 'target:cluster-admin'],
    ['escalate ClusterRoles', cr('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, update]}]'), 'escalate', 'target:cluster-admin'],
    ['impersonate groups', cr('binder', '[{apiGroups: [""], resources: [groups], verbs: [impersonate]}]'), 'impersonate', 'target:cluster-admin'],
    ['nodes/proxy', cr('binder', '[{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}]'), 'nodes-proxy', 'target:nodes'],
    ['CSR create + approval + signer', cr('binder', '[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}, {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}, {apiGroups: [certificates.k8s.io], resources: [signers], resourceNames: [kubernetes.io/kube-apiserver-client], verbs: [approve]}]'), 'certificate-signing', 'target:cluster-admin'],
    ['mutating webhooks', cr('binder', '[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [create]}]'), 'mutating-webhook', 'target:cluster-admin'],
    ['validating webhooks', cr('binder', '[{apiGroups: [admissionregistration.k8s.io], resources: [validatingwebhookconfigurations], verbs: [patch]}]'), 'validating-webhook', 'target:secrets'],
    ['hostPath PersistentVolumes', cr('binder', '[{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}]'), 'persistent-volume', 'target:nodes'],
    ['wildcard', cr('binder', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]'), 'wildcard', 'target:cluster-admin'],
  ];
  for (const [name, roleYaml, type, to] of edgeCases) {
    it(`edge: ${name}`, () => {
      const g = build(roleYaml + crb('b', 'binder', '[{kind: User, name: eve}]')).graph();
      const edges = g.outgoing(nodeIdOf({ kind: 'User', name: 'eve' })).filter((e) => e.type === type);
      assert.deepEqual(edges.map((e) => e.to), [to]);
      assert.equal(edges[0]!.cites[0]!.binding.name, 'b');
    });
  }
  it('edge: CSR create alone is not enough', () => {
    const g = build(cr('binder', '[{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create]}]') + crb('b', 'binder', '[{kind: User, name: eve}]')).graph();
    assert.deepEqual(g.outgoing('user:eve').filter((e) => e.type !== 'member-of'), []);
  });
  it('edges: exec into running pods, serviceaccounts/token, legacy token Secrets by name', () => {
    const g = build(
      role('ci', 'r', '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}, {apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [deployer], verbs: [create]}, {apiGroups: [""], resources: [secrets], resourceNames: [old-token], verbs: [get]}]') +
      rb('ci', 'b', 'Role', 'r', '[{kind: User, name: eve}]') +
      rb('ci', 'runner-b', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: runner}]') +
      rb('ci', 'deployer-b', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: deployer}]') +
      rb('ci', 'legacy-b', 'ClusterRole', 'edit', '[{kind: ServiceAccount, name: legacy}]') +
      `---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ci}
spec: {serviceAccountName: runner, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Secret
metadata: {name: old-token, namespace: ci, annotations: {kubernetes.io/service-account.name: legacy}}
type: kubernetes.io/service-account-token
`).graph();
    const from = (id: string) => g.outgoing(id).map((e) => `${e.type}>${e.to}`).sort();
    assert.deepEqual(from('user:eve').filter((s) => !s.startsWith('member-of')), ['exec-into-pods>hub:running:ci', 'legacy-token>sa:ci/legacy', 'serviceaccount-token>sa:ci/deployer']);
    assert.deepEqual(from('hub:running:ci'), ['runs-as>sa:ci/runner']);
  });
  it('impersonating users reaches every named user; bind restricted to one ClusterRole gets that role', () => {
    const g = build(
      cr('imp', '[{apiGroups: [""], resources: [users], verbs: [impersonate]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [secret-reader], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]') +
      crb('imp-b', 'imp', '[{kind: User, name: eve}]') + crb('admin-b', 'cluster-admin', '[{kind: User, name: root}]') +
      cr('secret-reader', '[{apiGroups: [""], resources: [secrets], verbs: [list]}]')).graph();
    const next = g.shortestPaths('cluster-admin');
    assert.deepEqual(EscalationGraph.pathFrom('user:eve', next)!.map((e) => e.type), ['impersonate', 'wildcard']);
    assert.ok(g.outgoing('user:eve').some((e) => e.to === 'role:ClusterRole/secret-reader@*ns' && e.type === 'bind'));
  });
});

describe('escalation graph: RoleBindings in every namespace', () => {
  it('binding a ClusterRole with RoleBindings everywhere grants no cluster-scoped rights', () => {
    const g = build(
      cr('binder', '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [node-proxy], verbs: [bind]}, {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]') +
      crb('b', 'binder', '[{kind: User, name: eve}]') +
      cr('node-proxy', '[{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}, {apiGroups: [""], resources: [pods], verbs: [create]}]')).graph();
    const role = 'role:ClusterRole/node-proxy@*ns';
    assert.ok(g.outgoing('user:eve').some((e) => e.to === role));
    assert.deepEqual(g.outgoing(role).map((e) => `${e.type}>${e.to}`), ['create-workloads>hub:accounts:*']);
  });
  it('a wildcard Role in a namespace makes its holder admin of that namespace only', () => {
    const g = build(role('team', 'all', '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]') + rb('team', 'b', 'Role', 'all', '[{kind: User, name: eve}]')).graph();
    const edges = g.outgoing('user:eve').map((e) => `${e.type}>${e.to}`);
    assert.ok(edges.includes('wildcard>hub:admin:team'));
    assert.ok(!edges.some((e) => e.endsWith('target:cluster-admin')));
  });
});

describe('installer bindings', () => {
  it('kubeadm:cluster-admins is known; the same name with another subject is not', () => {
    const known = build(crb('kubeadm:cluster-admins', 'cluster-admin', '[{kind: Group, name: kubeadm:cluster-admins}]')).index;
    assert.equal(known.bindings.find((b) => b.name === 'kubeadm:cluster-admins')?.builtin, true);
    const disguised = build(crb('kubeadm:cluster-admins', 'cluster-admin', '[{kind: User, name: mallory}]')).index;
    assert.equal(disguised.bindings.find((b) => b.name === 'kubeadm:cluster-admins')?.builtin, false);
  });
});

describe('authenticator groups and role lookup', () => {
  const { index } = build(
    role('ns-a', 'reader', '[{apiGroups: [""], resources: [configmaps], verbs: [get]}]') +
    rb('ns-b', 'cross', 'Role', 'reader', '[{kind: User, name: alice}]') +
    rb('ns-a', 'all-sas', 'Role', 'reader', '[{kind: Group, name: "system:serviceaccounts:ns-a"}]') +
    crb('all-authenticated', 'view', '[{kind: Group, name: system:authenticated}]'), true);
  it('a RoleBinding finds its Role in its own namespace only', () => {
    assert.equal(index.bindings.find((b) => b.name === 'cross')?.roleError, 'Role "reader" in namespace "ns-b" does not exist');
  });
  it('ServiceAccounts are members of system:serviceaccounts:<ns> and system:authenticated', () => {
    const sa = userInfoFor({ kind: 'ServiceAccount', namespace: 'ns-a', name: 'anything' });
    assert.equal(index.authorize(sa, { verb: 'get', resource: 'configmaps', namespace: 'ns-a' }).allowed, true);
    const other = userInfoFor({ kind: 'ServiceAccount', namespace: 'ns-b', name: 'anything' });
    assert.equal(index.authorize(other, { verb: 'get', resource: 'configmaps', namespace: 'ns-a' }).allowed, true, 'through view, bound to system:authenticated');
    assert.equal(index.authorize(userInfoFor({ kind: 'User', name: 'system:anonymous' }), { verb: 'get', resource: 'configmaps', namespace: 'ns-a' }).allowed, false);
  });
});
