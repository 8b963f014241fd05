import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheckOnYaml } from '../../testing/index.js';
import auditPolicyLogsSensitiveBodies from './audit-policy-logs-sensitive-bodies.js';
import { SENSITIVE_RESOURCES, highestLevelFor, levelFor, ruleCovers, ruleMatches, shadowedRules, type PolicyRule, type RequestAttributes } from './audit-policy.js';

function request(over: Partial<RequestAttributes>): RequestAttributes {
  return { user: 'alice', groups: ['system:authenticated'], verb: 'get', resourceRequest: true, apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'web', path: '', ...over };
}
const nonResource = (path: string) => request({ resourceRequest: false, resource: '', namespace: '', name: '', path });
const secrets = SENSITIVE_RESOURCES.find((r) => r.label === 'secrets')!;
const token = SENSITIVE_RESOURCES.find((r) => r.label === 'serviceaccounts/token')!;

describe('audit policy rule matching (checker.go semantics)', () => {
  const cases: [string, PolicyRule, RequestAttributes, boolean][] = [
    ['empty rule matches a resource request', {}, request({}), true],
    ['empty rule matches a non-resource request', {}, nonResource('/healthz'), true],
    ['users: listed user', { users: ['alice'] }, request({}), true],
    ['users: other user', { users: ['bob'] }, request({}), false],
    ['userGroups: one group in common', { userGroups: ['system:nodes', 'system:authenticated'] }, request({}), true],
    ['userGroups: none in common', { userGroups: ['system:nodes'] }, request({}), false],
    ['verbs', { verbs: ['list', 'watch'] }, request({ verb: 'get' }), false],
    ['namespaces: cluster-scoped requests have namespace ""', { namespaces: [''] }, request({ resource: 'nodes', namespace: '' }), true],
    ['namespaces never match non-resource requests', { namespaces: ['default'] }, nonResource('/api'), false],
    ['group without resources matches the whole group', { resources: [{ group: '' }] }, request({ resource: 'secrets' }), true],
    ['group must be equal ("" is core)', { resources: [{ group: 'apps' }] }, request({}), false],
    ['resource does not match its subresource', { resources: [{ group: '', resources: ['pods'] }] }, request({ subresource: 'log' }), false],
    ['resource/subresource', { resources: [{ group: '', resources: ['pods/log'] }] }, request({ subresource: 'log' }), true],
    ['* matches subresources', { resources: [{ group: '', resources: ['*'] }] }, request({ subresource: 'exec' }), true],
    ['*/status matches any status subresource', { resources: [{ group: '', resources: ['*/status'] }] }, request({ resource: 'nodes', subresource: 'status' }), true],
    ['*/status does not match the resource itself', { resources: [{ group: '', resources: ['*/status'] }] }, request({}), false],
    ['pods/* matches pods itself', { resources: [{ group: '', resources: ['pods/*'] }] }, request({}), true],
    ['pods/* matches pods/log', { resources: [{ group: '', resources: ['pods/*'] }] }, request({ subresource: 'log' }), true],
    ['resourceNames restrict', { resources: [{ group: '', resources: ['pods'], resourceNames: ['db'] }] }, request({ name: 'web' }), false],
    ['resourceNames allow', { resources: [{ group: '', resources: ['pods'], resourceNames: ['web'] }] }, request({ name: 'web' }), true],
    ['nonResourceURLs exact', { nonResourceURLs: ['/healthz'] }, nonResource('/healthz'), true],
    ['nonResourceURLs trailing *', { nonResourceURLs: ['/healthz*'] }, nonResource('/healthz/etcd'), true],
    ['nonResourceURLs never match resource requests', { nonResourceURLs: ['*'] }, request({}), false],
  ];
  for (const [name, rule, attrs, expected] of cases) {
    it(name, () => assert.equal(ruleMatches(rule, attrs), expected));
  }

  it('uses the first matching rule, and no rule means not audited', () => {
    const rules: PolicyRule[] = [{ level: 'None', verbs: ['watch'] }, { level: 'Metadata', resources: [{ group: '' }] }];
    assert.deepEqual(levelFor(rules, request({ verb: 'watch' })), { level: 'None', rule: 0 });
    assert.deepEqual(levelFor(rules, request({})), { level: 'Metadata', rule: 1 });
    assert.deepEqual(levelFor(rules, request({ apiGroup: 'apps', resource: 'deployments' })), { level: 'None' });
  });
});

describe('highest level a sensitive resource can be logged at', () => {
  it('a Metadata rule for secrets first keeps bodies out', () => {
    assert.deepEqual(highestLevelFor([{ level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] }, { level: 'RequestResponse' }], secrets), { level: 'Metadata', rule: 0 });
  });
  it('a user-specific rule before the Metadata rule still leaks for that user', () => {
    const rules: PolicyRule[] = [{ level: 'RequestResponse', users: ['ci-bot'] }, { level: 'Metadata' }];
    assert.deepEqual(highestLevelFor(rules, secrets), { level: 'RequestResponse', rule: 0 });
  });
  it('a write rule reaches secrets unless an earlier rule takes every write to them', () => {
    const rules: PolicyRule[] = [
      { level: 'Metadata', verbs: ['create'], resources: [{ group: '', resources: ['secrets'] }] },
      { level: 'Request', verbs: ['create', 'update'] },
    ];
    assert.deepEqual(highestLevelFor(rules, secrets), { level: 'Request', rule: 1 });
    const all: PolicyRule[] = [{ level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] }, ...rules.slice(1)];
    assert.equal(highestLevelFor(all, secrets).level, 'Metadata');
  });
  it('a rule for one namespace leaves the others to later rules', () => {
    const rules: PolicyRule[] = [{ level: 'Metadata', namespaces: ['kube-system'] }, { level: 'RequestResponse', resources: [{ group: '', resources: ['serviceaccounts/token'] }] }];
    assert.equal(highestLevelFor(rules, token).level, 'RequestResponse');
    assert.equal(highestLevelFor(rules, secrets).level, 'Metadata');
  });
});

describe('shadowed rules', () => {
  const cases: [string, PolicyRule, PolicyRule, boolean][] = [
    ['an unconditional rule covers anything', {}, { nonResourceURLs: ['/healthz'] }, true],
    ['a resource rule never covers non-resource URLs', { resources: [{ group: '' }] }, { nonResourceURLs: ['/healthz'] }, false],
    ['a whole group covers its resources', { resources: [{ group: '' }] }, { resources: [{ group: '', resources: ['secrets'] }] }, true],
    ['a resource list does not cover the whole group', { resources: [{ group: '', resources: ['secrets'] }] }, { resources: [{ group: '' }] }, false],
    ['pods/* covers pods/log', { resources: [{ group: '', resources: ['pods/*'] }] }, { resources: [{ group: '', resources: ['pods/log'] }] }, true],
    ['*/status covers nodes/status but not nodes', { resources: [{ group: '', resources: ['*/status'] }] }, { resources: [{ group: '', resources: ['nodes'] }] }, false],
    ['fewer users cover more users? no', { users: ['alice'] }, { users: ['alice', 'bob'] }, false],
    ['more users cover fewer', { users: ['alice', 'bob'] }, { users: ['alice'] }, true],
    ['verbs must be a subset', { verbs: ['get'] }, {}, false],
    ['url prefix covers a longer prefix', { nonResourceURLs: ['/healthz*'] }, { nonResourceURLs: ['/healthz/etcd', '/healthz*'] }, true],
    ['resourceNames narrow the earlier rule', { resources: [{ group: '', resources: ['configmaps'], resourceNames: ['a'] }] }, { resources: [{ group: '', resources: ['configmaps'] }] }, false],
  ];
  for (const [name, earlier, later, expected] of cases) it(name, () => assert.equal(ruleCovers(earlier, later), expected));
});

describe('audit checks without their inputs', () => {
  it('reports one not-evaluated result when there is no kube-apiserver', async () => {
    const results = await runCheckOnYaml(auditPolicyLogsSensitiveBodies, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'not-evaluated');
  });
  it('reports not-evaluated when the policy file the flag names is not in the input', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --audit-policy-file=/etc/kubernetes/audit-policy.yaml, --audit-log-path=-]`;
    const results = await runCheckOnYaml(auditPolicyLogsSensitiveBodies, yaml);
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
    assert.match((results[0] as { reason: string }).reason, /audit-policy\.yaml is not in the input/);
  });
});

describe('shadowedRules', () => {
  it('finds the first earlier rule that covers each later rule', () => {
    const rules: PolicyRule[] = [
      { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'] },
      { level: 'Metadata', users: ['alice', 'bob'] },
      { level: 'Request', users: ['bob'], verbs: ['create'] },
      { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '' }] },
      { level: 'Metadata' },
      { level: 'None', nonResourceURLs: ['/healthz'] },
    ];
    assert.deepEqual(shadowedRules(rules), [{ rule: 2, by: 1 }, { rule: 3, by: 0 }, { rule: 5, by: 4 }]);
  });
  it('agrees with comparing every pair', () => {
    const rules: PolicyRule[] = [];
    const groups = ['', 'apps', 'batch'];
    for (let i = 0; i < 60; i++) {
      rules.push({
        level: 'Metadata',
        ...(i % 3 ? { users: [`u${i % 5}`, `u${(i + 1) % 5}`] } : {}),
        ...(i % 4 ? { verbs: ['get', 'list'].slice(0, 1 + (i % 2)) } : {}),
        ...(i % 5 ? { namespaces: [`ns${i % 2}`] } : {}),
        ...(i % 2 ? { resources: [{ group: groups[i % 3]!, ...(i % 7 ? { resources: ['pods', 'pods/*'].slice(i % 2) } : {}) }] } : {}),
      });
    }
    const pairwise = rules.flatMap((rule, i) => {
      const by = rules.slice(0, i).findIndex((earlier) => ruleCovers(earlier, rule));
      return by >= 0 ? [{ rule: i, by }] : [];
    });
    assert.ok(pairwise.length > 5);
    assert.deepEqual(shadowedRules(rules), pairwise);
  });
});
