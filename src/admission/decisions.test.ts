// The webhook's decisions on real AdmissionReview requests: pod checks, UPDATE semantics,
// Namespace labels, RBAC escalation paths on the state with the request applied, NetworkPolicy
// re-opening, configuration (actions, exemptions, exceptions), and stale state.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCheck } from '../checks/registry.js';
import type { CheckExample } from '../checks/types.js';
import { isNamespacedKind } from '../inventory/kinds.js';
import { parseDocuments } from '../sources/documents.js';
import { runExample } from '../testing/index.js';
import { defaultConfig, parseConfig, type AdmissionConfig } from './config.js';
import { Decider, MAX_WARNING } from './decisions.js';
import { OBJECT_CHECKS } from './rules.js';
import { ClusterState } from './state.js';
import { DEPLOYER_ADMIN_YAML, DEPLOYER_YAML, NAMESPACES_YAML as NAMESPACES, objectsFromYaml, requestFor, stateFromYaml } from './testing.js';

const pod = (name: string, securityContext: Record<string, unknown> = {}) => objectsFromYaml(`
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: shop/app:1.0
    securityContext: ${JSON.stringify({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...securityContext })}
`)[0]!;

function decider(stateYaml = NAMESPACES, config: AdmissionConfig = defaultConfig()): Decider {
  return new Decider(config, stateFromYaml(stateYaml));
}

describe('pods and workloads', () => {
  it('allows a restricted pod with no warning', () => {
    const d = decider().decide(requestFor(pod('web')));
    assert.equal(d.allowed, true);
    assert.deepEqual(d.warnings, []);
    assert.deepEqual(d.verdicts, []);
  });

  it('denies a privileged pod, naming the check and the fix', () => {
    const d = decider().decide(requestFor(pod('web', { privileged: true })));
    assert.equal(d.allowed, false);
    assert.match(d.message!, /^kubeward denied Pod shop\/web: \[pod-violates-baseline-pod-security\] .*privileged.* Fix: /);
    assert.match(d.message!, /\[container-can-load-kernel-modules\] container "app" is privileged/);
    assert.equal(d.auditAnnotations.checks, 'pod-violates-baseline-pod-security=enforce,container-can-load-kernel-modules=enforce');
  });

  it('warns (under 120 characters each) when only restricted is violated', () => {
    const d = decider().decide(requestFor(pod('web', { allowPrivilegeEscalation: true })));
    assert.equal(d.allowed, true);
    assert.equal(d.warnings.length, 1);
    assert.match(d.warnings[0]!, /^\[pod-violates-restricted-pod-security\] /);
    for (const w of d.warnings) assert.ok(w.length <= MAX_WARNING, w);
  });

  it('judges every workload kind by its pod template', () => {
    const [deployment] = objectsFromYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: ops}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]
      containers: [{name: agent, image: agent:1, volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}]}]
`);
    const d = decider().decide(requestFor(deployment!));
    assert.equal(d.allowed, false);
    const checks = d.verdicts.map((v) => v.check);
    for (const id of ['pod-violates-baseline-pod-security', 'container-runtime-socket-mounted', 'host-network-pod-outside-system-namespace']) assert.ok(checks.includes(id), id);
  });

  it('on UPDATE denies only what the update makes worse', () => {
    const old = pod('web', { privileged: true });
    const same = { ...old, metadata: { ...old.metadata, labels: { release: '2' } } };
    const unchanged = decider().decide(requestFor(same, { oldObject: old }));
    assert.equal(unchanged.allowed, true, unchanged.message);
    const worse = decider().decide(requestFor(pod('web', { privileged: true }), { oldObject: pod('web') }));
    assert.equal(worse.allowed, false);
  });

  it('ignores DELETE and CONNECT', () => {
    for (const operation of ['DELETE', 'CONNECT']) {
      const d = decider().decide(requestFor(pod('web', { privileged: true }), { operation }));
      assert.equal(d.allowed, true);
      assert.match(d.skipped!, new RegExp(operation));
    }
  });

  it('exempts namespaces, users, groups and runtime classes from the configuration', () => {
    const config = parseConfig(`apiVersion: kubeward.io/v1alpha1
kind: AdmissionConfiguration
exemptions: {namespaces: [ops], usernames: [ci-bot], groups: [platform], runtimeClasses: [kata]}
`, 'config.yaml');
    const bad = pod('web', { privileged: true });
    const d = decider(NAMESPACES, config);
    assert.equal(d.decide(requestFor({ ...bad, metadata: { name: 'web', namespace: 'ops' } })).allowed, true);
    assert.equal(d.decide(requestFor(bad, { username: 'ci-bot' })).allowed, true);
    assert.equal(d.decide(requestFor(bad, { groups: ['platform'] })).allowed, true);
    assert.equal(d.decide(requestFor({ ...bad, spec: { ...(bad.spec as object), runtimeClassName: 'kata' } })).allowed, true);
    assert.equal(d.decide(requestFor(bad)).allowed, false);
  });

  it('follows actions per check and per section; exceptions excuse a finding', () => {
    const config = parseConfig(`apiVersion: kubeward.io/v1alpha1
kind: AdmissionConfiguration
actions:
  pod-violates-baseline-pod-security: warn
  kernel-modules: audit
`, 'config.yaml');
    config.exceptions = { active: [{ check: 'container-can-load-kernel-modules', namespace: 'shop', reason: 'driver loader' }], expired: [] };
    const d = decider(NAMESPACES, config).decide(requestFor(pod('web', { privileged: true })));
    assert.equal(d.allowed, true);
    assert.equal(d.warnings.length, 1);
    assert.equal(d.auditAnnotations.excepted, 'container-can-load-kernel-modules');
    const audit = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\nactions: {pod-privileges: off, kernel-modules: audit}\n', 'c.yaml');
    const a = decider(NAMESPACES, audit).decide(requestFor(pod('web', { privileged: true })));
    assert.equal(a.allowed, true);
    assert.deepEqual(a.warnings, []);
    assert.equal(a.auditAnnotations.checks, 'container-can-load-kernel-modules=audit');
  });

  it('privileged Pod Security level turns off the Pod Security checks; baseline keeps only baseline', () => {
    const level = (l: string) => parseConfig(`apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\npodSecurity: {level: ${l}}\n`, 'c.yaml');
    assert.deepEqual(decider(NAMESPACES, level('baseline')).decide(requestFor(pod('web', { allowPrivilegeEscalation: true }))).warnings, []);
    const privileged = decider(NAMESPACES, level('privileged')).decide(requestFor(pod('web', { privileged: true })));
    assert.deepEqual(privileged.verdicts.map((v) => v.check), ['container-can-load-kernel-modules']);
  });
});

describe('Namespaces', () => {
  const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
  it('denies lowering or removing a pod-security level; allows raising it', () => {
    const restricted = ns({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const lowered = decider().decide(requestFor(ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }), { oldObject: restricted }));
    assert.equal(lowered.allowed, false);
    assert.match(lowered.message!, /pod-security-labels-weakened\] lowers pod-security.kubernetes.io\/enforce from restricted to baseline/);
    const removed = decider().decide(requestFor(ns({}), { oldObject: restricted }));
    assert.equal(removed.allowed, false);
    assert.match(removed.message!, /label removed/);
    assert.equal(decider().decide(requestFor(restricted, { oldObject: ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }) })).allowed, true);
  });

  it('warns on a new namespace that enforces no level (medium)', () => {
    const d = decider().decide(requestFor(ns({})));
    assert.equal(d.allowed, true);
    assert.match(d.warnings[0]!, /namespace-without-pod-security-enforcement/);
  });
});

const RBAC_STATE = `${NAMESPACES}---
${DEPLOYER_YAML}---
${DEPLOYER_ADMIN_YAML}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bob-reads}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
`;

const binding = (yaml: string) => objectsFromYaml(`apiVersion: rbac.authorization.k8s.io/v1\n${yaml}`)[0]!;

describe('RBAC changes on the cluster state', () => {
  it('denies a RoleBinding that opens a path to cluster-admin through other bindings, and says the path', () => {
    // exec in ops reaches the deployer pod, whose account is cluster-admin: no single object says so.
    const rb = binding(`kind: RoleBinding
metadata: {name: carol-exec, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]`);
    const d = decider(RBAC_STATE).decide(requestFor(rb));
    assert.equal(d.allowed, false);
    assert.match(d.message!, /\[rbac-escalation-path\] gives cluster-admin to a subject that had no path to it: User carol -> .*ServiceAccount ops\/deployer.*cluster-admin/);
  });

  it('allows a binding that opens no path, and one for a subject that already had one', () => {
    const harmless = binding(`kind: RoleBinding
metadata: {name: carol-reads, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]`);
    assert.equal(decider(RBAC_STATE).decide(requestFor(harmless)).allowed, true);
    const already = binding(`kind: ClusterRoleBinding
metadata: {name: deployer-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ops}]`);
    assert.equal(decider(RBAC_STATE).decide(requestFor(already)).allowed, true);
  });

  it('denies every Secret and nodes/proxy for a subject that had none', () => {
    const secrets = binding(`kind: ClusterRole
metadata: {name: pod-reader}
rules: [{apiGroups: [""], resources: [pods, secrets], verbs: [get, list]}]`);
    const d = decider(RBAC_STATE).decide(requestFor(secrets, { oldObject: objectsFromYaml(RBAC_STATE).find((o) => o.metadata?.name === 'pod-reader') }));
    assert.equal(d.allowed, false, 'a role change is judged on every binding of the role');
    assert.match(d.message!, /User bob -> \[read-secrets\] secrets -> \[equivalent\] cluster-admin/);
    const nodes = binding(`kind: ClusterRoleBinding
metadata: {name: bob-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-proxy}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]`);
    const state = `${RBAC_STATE}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: node-proxy}\nrules: [{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}]\n`;
    const n = decider(state).decide(requestFor(nodes));
    assert.equal(n.allowed, false);
    assert.match(n.message!, /every node|nodes/);
  });

  it('combines the new grant with the subject\'s others: bind cluster-admin plus create clusterrolebindings', () => {
    const state = `${RBAC_STATE}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binding-writer}
rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: frank-writes-bindings}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binding-writer}
subjects: [{kind: User, name: frank, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [cluster-admin]}]`;
    const grant = binding(`kind: ClusterRoleBinding
metadata: {name: frank-binds}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: binder}
subjects: [{kind: User, name: frank, apiGroup: rbac.authorization.k8s.io}]`);
    const d = decider(state).decide(requestFor(grant));
    assert.equal(d.allowed, false);
    assert.match(d.message!, /User frank -> \[bind\] ClusterRole cluster-admin cluster-wide/);
  });

  it('follows ClusterRole aggregation: a role labelled into an aggregated role changes its bindings', () => {
    const state = `${RBAC_STATE}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-monitoring: "true"}}]}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: erin-monitoring}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]`;
    const feeding = (rule: string) => binding(`kind: ClusterRole
metadata: {name: metrics-reader, labels: {example.com/aggregate-to-monitoring: "true"}}
rules: [${rule}]`);
    const harmless = decider(state).decide(requestFor(feeding('{apiGroups: [""], resources: [pods], verbs: [list]}')));
    assert.equal(harmless.allowed, true, harmless.message);
    const d = decider(state).decide(requestFor(feeding('{apiGroups: [""], resources: [secrets], verbs: [list]}')));
    assert.equal(d.allowed, false);
    assert.match(d.message!, /User erin -> \[read-secrets\]/);
  });

  it('treats an empty aggregationRule as aggregation of nothing, as the engine and the controller do', () => {
    const state = `${RBAC_STATE}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: erin-monitoring}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]`;
    const role = (aggregation: string) => binding(`kind: ClusterRole
metadata: {name: monitoring}
${aggregation}rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]`);
    // The controller replaces an aggregated role's rules by those it selects: none here.
    const empty = decider(state).decide(requestFor(role('aggregationRule: {}\n')));
    assert.equal(empty.allowed, true, empty.message);
    const plain = decider(state).decide(requestFor(role('')));
    assert.equal(plain.allowed, false);
    assert.match(plain.message!, /User erin -> \[read-secrets\]/);
  });

  it('answers by the configured policy when the state is not synced, never hangs', () => {
    const rb = binding(`kind: ClusterRoleBinding
metadata: {name: x}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: mallory, apiGroup: rbac.authorization.k8s.io}]`);
    const unsynced = new ClusterState();
    const allow = new Decider(defaultConfig(), unsynced).decide(requestFor(rb));
    assert.equal(allow.allowed, true);
    assert.match(allow.warnings.join(), /not synced/);
    const denyConfig = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\nstate: {whenUnavailable: deny}\n', 'c.yaml');
    const deny = new Decider(denyConfig, unsynced).decide(requestFor(rb));
    assert.equal(deny.allowed, false);
    assert.match(deny.message!, /cluster-state/);
  });

  it('reports the state stale once it is older than maxAgeSeconds', () => {
    let now = 0;
    const state = new ClusterState(() => now);
    state.markSynced();
    const config = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\nstate: {maxAgeSeconds: 60}\n', 'c.yaml');
    const rb = binding(`kind: RoleBinding\nmetadata: {name: x, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]`);
    assert.deepEqual(new Decider(config, state).decide(requestFor(rb)).warnings, []);
    now = 61_000;
    assert.match(new Decider(config, state).decide(requestFor(rb)).warnings.join(), /older than 60s/);
    state.setLive(true);
    assert.deepEqual(new Decider(config, state).decide(requestFor(rb)).warnings, [], 'open watches keep the state current');
  });
});

describe('NetworkPolicies', () => {
  const state = `${NAMESPACES}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: db, image: db:1}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;
  it('denies a policy that re-opens an isolated namespace to every source', () => {
    const [open] = objectsFromYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{}]}`);
    const d = decider(state).decide(requestFor(open!));
    assert.equal(d.allowed, false);
    assert.match(d.message!, /network-policy-reopens-namespace\] re-opens namespace shop/);
  });

  it('allows a policy that opens one port to one namespace', () => {
    const [narrow] = objectsFromYaml(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-ops, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}], ports: [{port: 5432}]}]`);
    const d = decider(state).decide(requestFor(narrow!));
    assert.equal(d.allowed, true, d.message);
  });
});

describe('the object checks decide on one object as the catalogue does', () => {
  // Every failing example of every admission check: the objects it fails are denied or warned
  // about at admission with the same check, given the example's other objects as the state.
  for (const ids of Object.values(OBJECT_CHECKS)) {
    for (const id of ids) {
      const check = findCheck(id)!;
      check.examples.fail.forEach((example: CheckExample, i) => {
        it(`${id} failing example ${i + 1}`, async () => {
          const spec = typeof example === 'string' ? { yaml: example, k8sVersion: undefined } : example;
          const failed = (await runExample(check, example)).filter((r) => r.status === 'fail');
          assert.ok(failed.length > 0);
          const parsed = parseDocuments(spec.yaml ?? '', 'example.yaml').items;
          const config = defaultConfig();
          if (spec.k8sVersion) config.podSecurity.version = spec.k8sVersion.replace(/^(v1\.\d+).*$/, '$1');
          const d = new Decider(config, stateFromYaml(spec.yaml ?? ''));
          for (const result of failed) {
            const ref = result.subject.ref;
            const item = parsed.find((p) => p.ref.kind === ref.kind && p.ref.name === ref.name);
            assert.ok(item, `${ref.kind} ${ref.name} in the example`);
            // The API server fills in the request's namespace before admission.
            const object = isNamespacedKind(ref.kind) ? { ...item.object, metadata: { ...item.object.metadata, namespace: ref.namespace ?? 'default' } } : item.object;
            const decision = d.decide(requestFor(object));
            assert.ok(decision.verdicts.some((v) => v.check === id), `${id} not found at admission: ${JSON.stringify(decision.verdicts)}`);
          }
        });
      });
    }
  }
});
