// Table cases transcribed from Kubernetes' own tests:
// plugin/pkg/auth/authorizer/rbac/rbac_test.go (TestRuleMatches, TestAuthorizer),
// plugin/pkg/auth/authorizer/rbac/subject_locator_test.go (TestSubjectLocator),
// pkg/registry/rbac/validation/rule_test.go (TestAppliesTo, TestDefaultRuleResolver) and
// pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go (TestSyncClusterRole).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Item, K8sObject } from '../../inventory/types.js';
import { refOf } from '../../inventory/types.js';
import { aggregateClusterRoles } from './aggregation.js';
import { RbacIndex } from './index.js';
import { appliesTo, ruleAllows } from './match.js';
import type { BindingSubject, PolicyRule, RequestAttributes, UserInfo } from './types.js';

const newRule = (verbs: string[], groups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups: groups, resources, resourceNames: [], nonResourceURLs: [] });
const urlRule = (verbs: string[], urls: string[]): PolicyRule => ({ verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: urls });
const res = (verb: string, group: string, resource: string, subresource = ''): RequestAttributes => ({ verb, apiGroup: group, resource, ...(subresource ? { subresource } : {}) });
const url = (verb: string, path: string): RequestAttributes => ({ verb, path });

/** TestRuleMatches: [name, rule, [request, expected][]]. */
const RULE_MATCHES: [string, PolicyRule, [RequestAttributes, boolean][]][] = [
  ['star verb, exact match other', newRule(['*'], ['group1'], ['resource1']), [
    [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), false],
    [res('verb1', 'group1', 'resource2'), false], [res('verb1', 'group2', 'resource2'), false],
    [res('verb2', 'group1', 'resource1'), true], [res('verb2', 'group2', 'resource1'), false],
    [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
  ]],
  ['star group, exact match other', newRule(['verb1'], ['*'], ['resource1']), [
    [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), true],
    [res('verb1', 'group1', 'resource2'), false], [res('verb1', 'group2', 'resource2'), false],
    [res('verb2', 'group1', 'resource1'), false], [res('verb2', 'group2', 'resource1'), false],
    [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
  ]],
  ['star resource, exact match other', newRule(['verb1'], ['group1'], ['*']), [
    [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), false],
    [res('verb1', 'group1', 'resource2'), true], [res('verb1', 'group2', 'resource2'), false],
    [res('verb2', 'group1', 'resource1'), false], [res('verb2', 'group2', 'resource1'), false],
    [res('verb2', 'group1', 'resource2'), false], [res('verb2', 'group2', 'resource2'), false],
  ]],
  ['tuple expansion', newRule(['verb1', 'verb2'], ['group1', 'group2'], ['resource1', 'resource2']), [
    [res('verb1', 'group1', 'resource1'), true], [res('verb1', 'group2', 'resource1'), true],
    [res('verb1', 'group1', 'resource2'), true], [res('verb1', 'group2', 'resource2'), true],
    [res('verb2', 'group1', 'resource1'), true], [res('verb2', 'group2', 'resource1'), true],
    [res('verb2', 'group1', 'resource2'), true], [res('verb2', 'group2', 'resource2'), true],
  ]],
  ['subresource expansion', newRule(['*'], ['*'], ['resource1/subresource1']), [
    [res('verb1', 'group1', 'resource1', 'subresource1'), true], [res('verb1', 'group2', 'resource1', 'subresource2'), false],
    [res('verb1', 'group1', 'resource2', 'subresource1'), false], [res('verb1', 'group2', 'resource2', 'subresource1'), false],
    [res('verb2', 'group1', 'resource1', 'subresource1'), true], [res('verb2', 'group2', 'resource1', 'subresource2'), false],
    [res('verb2', 'group1', 'resource2', 'subresource1'), false], [res('verb2', 'group2', 'resource2', 'subresource1'), false],
  ]],
  ['star nonresource, exact match other', urlRule(['verb1'], ['*']), [
    [url('verb1', '/foo'), true], [url('verb1', '/foo/bar'), true], [url('verb1', '/foo/baz'), true],
    [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), true],
    [url('verb2', '/foo'), false], [url('verb2', '/foo/bar'), false], [url('verb2', '/foo/baz'), false],
    [url('verb2', '/foo/bar/one'), false], [url('verb2', '/foo/baz/one'), false],
  ]],
  ['star nonresource subpath', urlRule(['verb1'], ['/foo/*']), [
    [url('verb1', '/foo'), false], [url('verb1', '/foo/bar'), true], [url('verb1', '/foo/baz'), true],
    [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), true],
    [url('verb1', '/notfoo'), false], [url('verb1', '/notfoo/bar'), false], [url('verb1', '/notfoo/baz'), false],
    [url('verb1', '/notfoo/bar/one'), false], [url('verb1', '/notfoo/baz/one'), false],
  ]],
  ['star verb, exact nonresource', urlRule(['*'], ['/foo', '/foo/bar/one']), [
    [url('verb1', '/foo'), true], [url('verb1', '/foo/bar'), false], [url('verb1', '/foo/baz'), false],
    [url('verb1', '/foo/bar/one'), true], [url('verb1', '/foo/baz/one'), false],
    [url('verb2', '/foo'), true], [url('verb2', '/foo/bar'), false], [url('verb2', '/foo/baz'), false],
    [url('verb2', '/foo/bar/one'), true], [url('verb2', '/foo/baz/one'), false],
  ]],
];


describe('TestRuleMatches (upstream)', () => {
  for (const [name, rule, requests] of RULE_MATCHES) {
    it(name, () => {
      for (const [request, expected] of requests) {
        assert.equal(ruleAllows(request, rule), expected, `${name}: ${JSON.stringify(request)}`);
      }
    });
  }
});

// Builders shaped like the upstream test helpers, producing inventory items.
let serial = 0;
function item(object: K8sObject): Item {
  return { object, ref: refOf(object), location: { file: 'upstream.test', line: ++serial } };
}
const clusterRole = (name: string, ...rules: PolicyRule[]) => item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const role = (name: string, namespace: string, ...rules: PolicyRule[]) => item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules });
const subjects = (list: string[]): BindingSubject[] => list.map((s) => {
  const [kind, name] = s.split(/:(.*)/s) as [string, string];
  return { kind, name };
});
const clusterRoleBinding = (roleName: string, ...subs: string[]) => item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${++serial}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects: subjects(subs) });
const roleBinding = (namespace: string, roleName: string, toClusterRole: boolean, ...subs: string[]) => item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${++serial}`, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: toClusterRole ? 'ClusterRole' : 'Role', name: roleName }, subjects: subjects(subs) });
const attrs = (user: string, groups: string, verb: string, resource: string, subresource: string, namespace: string): [UserInfo, RequestAttributes] => [
  { name: user, groups: groups.split(',') },
  { verb, resource, ...(subresource ? { subresource } : {}), namespace, apiGroup: '' },
];
const nonRes = (user: UserInfo, verb: string, path: string): [UserInfo, RequestAttributes] => [user, { verb, path }];

/** TestAuthorizer: [items, shouldPass, shouldFail]. */
const AUTHORIZER: [Item[], [UserInfo, RequestAttributes][], [UserInfo, RequestAttributes][]][] = [
  [
    [clusterRole('admin', newRule(['*'], ['*'], ['*'])), roleBinding('ns1', 'admin', true, 'User:admin', 'Group:admins')],
    [attrs('admin', '', 'get', 'Pods', '', 'ns1'), attrs('admin', '', 'watch', 'Pods', '', 'ns1'), attrs('admin', 'group1', 'watch', 'Foobar', '', 'ns1'), attrs('joe', 'admins', 'watch', 'Foobar', '', 'ns1'), attrs('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1')],
    [attrs('admin', '', 'GET', 'Pods', '', 'ns2'), attrs('admin', '', 'GET', 'Nodes', '', ''), attrs('admin', 'admins', 'GET', 'Pods', '', 'ns2'), attrs('admin', 'admins', 'GET', 'Nodes', '', '')],
  ],
  [
    [
      clusterRole('non-resource-url-getter', urlRule(['get'], ['/apis'])),
      clusterRole('non-resource-url', urlRule(['*'], ['/apis'])),
      clusterRole('non-resource-url-prefix', urlRule(['get'], ['/apis/*'])),
      clusterRoleBinding('non-resource-url-getter', 'User:foo', 'Group:bar'),
      clusterRoleBinding('non-resource-url', 'User:admin', 'Group:admin'),
      clusterRoleBinding('non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
    ],
    [
      nonRes({ name: 'foo', groups: [] }, 'get', '/apis'), nonRes({ name: '', groups: ['bar'] }, 'get', '/apis'),
      nonRes({ name: 'admin', groups: [] }, 'get', '/apis'), nonRes({ name: '', groups: ['admin'] }, 'get', '/apis'),
      nonRes({ name: 'admin', groups: [] }, 'watch', '/apis'), nonRes({ name: '', groups: ['admin'] }, 'watch', '/apis'),
      nonRes({ name: 'prefixed', groups: [] }, 'get', '/apis/v1'), nonRes({ name: '', groups: ['prefixed'] }, 'get', '/apis/v1'),
      nonRes({ name: 'prefixed', groups: [] }, 'get', '/apis/v1/foobar'), nonRes({ name: '', groups: ['prefixed'] }, 'get', '/apis/v1/foorbar'),
    ],
    [
      nonRes({ name: 'foo', groups: [] }, 'watch', '/apis'), nonRes({ name: '', groups: ['bar'] }, 'watch', '/apis'),
      nonRes({ name: 'foo', groups: [] }, 'get', '/api/v1'), nonRes({ name: '', groups: ['bar'] }, 'get', '/api/v1'),
      nonRes({ name: 'admin', groups: [] }, 'get', '/api/v1'), nonRes({ name: '', groups: ['admin'] }, 'get', '/api/v1'),
      nonRes({ name: 'prefixed', groups: [] }, 'get', '/api/v1'), nonRes({ name: '', groups: ['prefixed'] }, 'get', '/api/v1'),
    ],
  ],
  [
    [clusterRole('admin', newRule(['*'], ['*'], ['pods'])), roleBinding('ns1', 'admin', true, 'User:admin', 'Group:admins')],
    [attrs('admin', '', 'get', 'pods', '', 'ns1')],
    [attrs('admin', '', 'get', 'pods', 'status', 'ns1')],
  ],
  [
    [clusterRole('admin', newRule(['*'], ['*'], ['pods/status']), newRule(['*'], ['*'], ['*/scale'])), roleBinding('ns1', 'admin', true, 'User:admin', 'Group:admins')],
    [attrs('admin', '', 'get', 'pods', 'status', 'ns1'), attrs('admin', '', 'get', 'pods', 'scale', 'ns1'), attrs('admin', '', 'get', 'deployments', 'scale', 'ns1'), attrs('admin', '', 'get', 'anything', 'scale', 'ns1')],
    [attrs('admin', '', 'get', 'pods', '', 'ns1')],
  ],
];

describe('TestAuthorizer (upstream)', () => {
  AUTHORIZER.forEach(([items, shouldPass, shouldFail], i) => {
    it(`case ${i}`, () => {
      const index = new RbacIndex(items, { bootstrap: false });
      for (const [user, request] of shouldPass) {
        assert.equal(index.authorize(user, request).allowed, true, `case ${i}: incorrectly restricted ${JSON.stringify([user, request])}`);
      }
      for (const [user, request] of shouldFail) {
        assert.equal(index.authorize(user, request).allowed, false, `case ${i}: incorrectly passed ${JSON.stringify([user, request])}`);
      }
    });
  });
});

/** TestAppliesTo: [subjects, user, namespace, index (-1 = does not apply), name]. */
const APPLIES_TO: [BindingSubject[], UserInfo, string, number, string][] = [
  [[{ kind: 'User', name: 'foobar' }], { name: 'foobar', groups: [] }, '', 0, 'single subject that matches username'],
  [[{ kind: 'User', name: 'barfoo' }, { kind: 'User', name: 'foobar' }], { name: 'foobar', groups: [] }, '', 1, 'multiple subjects, one that matches username'],
  [[{ kind: 'User', name: 'barfoo' }, { kind: 'User', name: 'foobar' }], { name: 'zimzam', groups: [] }, '', -1, 'multiple subjects, none that match username'],
  [[{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }], { name: 'zimzam', groups: ['foobar'] }, '', 1, 'multiple subjects, one that match group'],
  [[{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }], { name: 'zimzam', groups: ['foobar'] }, 'namespace1', 1, 'multiple subjects, one that match group, should ignore namespace'],
  [[{ kind: 'User', name: 'barfoo' }, { kind: 'Group', name: 'foobar' }, { kind: 'ServiceAccount', namespace: 'kube-system', name: 'default' }], { name: 'system:serviceaccount:kube-system:default', groups: [] }, 'default', 2, 'multiple subjects with a service account that matches'],
  [[{ kind: 'ServiceAccount', name: 'default' }], { name: 'system:serviceaccount:tenant-a:default', groups: [] }, 'tenant-a', 0, 'service account subject without namespace defaults to rolebinding namespace'],
  [[{ kind: 'ServiceAccount', name: 'default' }], { name: 'system:serviceaccount:kube-system:default', groups: [] }, 'tenant-a', -1, 'service account subject without namespace does not match another namespace'],
  [[{ kind: 'User', name: '*' }], { name: 'foobar', groups: [] }, 'default', -1, "* user subject name doesn't match all users"],
  [[{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }], { name: 'foobar', groups: ['system:authenticated'] }, 'default', 0, 'binding to all authenticated and unauthenticated subjects matches authenticated user'],
  [[{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }], { name: 'system:anonymous', groups: ['system:unauthenticated'] }, 'default', 1, 'binding to all authenticated and unauthenticated subjects matches anonymous user'],
];

describe('TestAppliesTo (upstream)', () => {
  for (const [subs, user, namespace, index, name] of APPLIES_TO) {
    it(name, () => {
      assert.equal(appliesTo(user, subs, namespace), index);
    });
  }
  it('a ServiceAccount without a namespace never applies in a ClusterRoleBinding', () => {
    assert.equal(appliesTo({ name: 'system:serviceaccount:default:default', groups: [] }, [{ kind: 'ServiceAccount', name: 'default' }], ''), -1);
  });
});

describe('TestDefaultRuleResolver (upstream)', () => {
  const ruleReadPods = newRule(['GET', 'WATCH'], ['v1'], ['pods']);
  const ruleReadServices = newRule(['GET', 'WATCH'], ['v1'], ['services']);
  const ruleWriteNodes = newRule(['PUT', 'CREATE', 'UPDATE'], ['v1'], ['nodes']);
  const ruleAdmin = newRule(['*'], ['*'], ['*']);
  const items = [
    role('readthings', 'namespace1', ruleReadPods, ruleReadServices),
    clusterRole('cluster-admin', ruleAdmin),
    clusterRole('write-nodes', ruleWriteNodes),
    item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'namespace1' }, subjects: [{ kind: 'User', name: 'foobar' }, { kind: 'Group', name: 'group1' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'readthings' } }),
    item({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb' }, subjects: [{ kind: 'User', name: 'admin' }, { kind: 'Group', name: 'admin' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } }),
  ];
  const index = new RbacIndex(items, { bootstrap: false });
  const cases: [UserInfo, string, PolicyRule[]][] = [
    [{ name: 'foobar', groups: [] }, 'namespace1', [ruleReadPods, ruleReadServices]],
    [{ name: 'foobar', groups: [] }, 'namespace2', []],
    [{ name: 'foobar', groups: ['admin'] }, '', [ruleAdmin]],
    [{ name: '', groups: [] }, '', []],
  ];
  cases.forEach(([user, namespace, expected], i) => {
    it(`case ${i}`, () => {
      assert.deepEqual(index.rulesFor(user, namespace).map((r) => r.rule), expected);
    });
  });
});

describe('TestSyncClusterRole (upstream aggregation controller)', () => {
  const hammer = [{ ...newRule(['hammer'], [], ['nails']) }, { ...newRule(['hammer'], [], ['wedges']) }];
  const chisel = [newRule(['chisel'], [], ['mortises'])];
  const saw = [newRule(['saw'], [], ['boards'])];
  const plain = (name: string, labels: Record<string, string>, rules: PolicyRule[]) => ({ name, labels, rules });
  const combined = (selectors: Record<string, string>[], rules: PolicyRule[] = []) => ({ name: 'combined', labels: {}, rules, selectors: selectors.map((matchLabels) => ({ matchLabels })) });
  const cases: [string, ReturnType<typeof plain>[], ReturnType<typeof combined>, PolicyRule[]][] = [
    ['remove dead rules', [plain('hammer', { foo: 'bar' }, hammer)], combined([{ foo: 'bar' }], saw), hammer],
    ['strip rules', [plain('hammer', { foo: 'not-bar' }, hammer)], combined([{ foo: 'bar' }], hammer), []],
    ['select properly and put in order', [plain('hammer', { foo: 'bar' }, hammer), plain('chisel', { foo: 'bar' }, chisel), plain('saw', { foo: 'not-bar' }, saw)], combined([{ foo: 'bar' }]), [...chisel, ...hammer]],
    ['select properly with multiple selectors', [plain('hammer', { foo: 'bar' }, hammer), plain('chisel', { foo: 'bar' }, chisel), plain('saw', { foo: 'not-bar' }, saw)], combined([{ foo: 'bar' }, { foo: 'not-bar' }]), [...chisel, ...hammer, ...saw]],
    ['select properly remove duplicates', [plain('hammer', { foo: 'bar' }, hammer), plain('chisel', { foo: 'bar' }, chisel), plain('saw', { foo: 'bar' }, saw), plain('other-saw', { foo: 'not-bar' }, saw)], combined([{ foo: 'bar' }, { foo: 'not-bar' }]), [...chisel, ...hammer, ...saw]],
    ['no diff skip', [plain('hammer', { foo: 'bar' }, hammer)], combined([{ foo: 'bar' }], hammer), hammer],
  ];
  for (const [name, roles, target, expected] of cases) {
    it(name, () => {
      assert.deepEqual(aggregateClusterRoles([...roles, target]).get('combined'), expected);
    });
  }
});

describe('TestSubjectLocator (upstream; who-can)', () => {
  // Upstream lists subjects in binding order; kubeward sorts them, so compare as sets. The
  // evaluator's optional "super user" is an API server test hook kubeward has no counterpart of.
  const masters = 'Group:system:masters';
  const names = (attrs: RequestAttributes, index: RbacIndex) => index.whoCan(attrs).map((s) => `${s.kind}:${s.name}`).sort();
  it('no super user, star matches star', () => {
    const index = new RbacIndex([
      clusterRole('admin', newRule(['*'], ['*'], ['*'])),
      clusterRoleBinding('admin', 'User:super-admin', 'Group:super-admins'),
      roleBinding('ns1', 'admin', true, 'User:admin', 'Group:admins'),
    ], { bootstrap: false });
    assert.deepEqual(names({ verb: 'get', resource: 'Pods', namespace: 'ns1' }, index), [masters, 'User:super-admin', 'Group:super-admins', 'User:admin', 'Group:admins'].sort());
    assert.deepEqual(names({ verb: '*', resource: 'Pods', namespace: '*' }, index), [masters, 'User:super-admin', 'Group:super-admins'].sort());
    assert.deepEqual(names({ verb: '*', resource: 'Pods', namespace: '' }, index), [masters, 'User:super-admin', 'Group:super-admins'].sort());
  });
  it('local roles work', () => {
    const index = new RbacIndex([
      clusterRole('admin', newRule(['*'], ['*'], ['*'])),
      clusterRoleBinding('admin', 'User:super-admin', 'Group:super-admins'),
      role('admin', 'ns1', newRule(['get'], ['*'], ['Pods'])),
      roleBinding('ns1', 'admin', false, 'User:admin', 'Group:admins'),
    ], { bootstrap: false });
    assert.deepEqual(names({ verb: 'get', resource: 'Pods', namespace: 'ns1' }, index), [masters, 'User:super-admin', 'Group:super-admins', 'User:admin', 'Group:admins'].sort());
    assert.deepEqual(names({ verb: 'create', resource: 'Pods', namespace: 'ns1' }, index), [masters, 'User:super-admin', 'Group:super-admins'].sort());
    assert.deepEqual(names({ verb: 'get', resource: 'Pods', namespace: 'ns2' }, index), [masters, 'User:super-admin', 'Group:super-admins'].sort());
  });
});
