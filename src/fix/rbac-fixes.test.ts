// The RBAC fixes (a namespace's default account's grants moved to an account of their own,
// anonymous subjects removed) and the control-plane fixes whose safety the RBAC objects and the
// rest of the input decide (controller credentials, DenyServiceExternalIPs, CIS cipher suites),
// beyond the framework's contract (fix.test.ts): which are safe and which need --unsafe-fixes and
// why, what the written files hold, and the permissions before and after, asked of the RBAC engine.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RbacIndex, userInfoFor } from '../engines/rbac/index.js';
import { loadPaths } from '../sources/files.js';
import { withInputFile } from '../testing/cli.js';
import { planFixes, writeFixes, FIXES_FILE, type FixOutcome } from './run.js';
import { failingExample, fixed, left, yamlOf } from './testing.js';

const NOW = new Date('2026-06-01T00:00:00Z');

const example = (check: string, description: string | number) => yamlOf(failingExample(check, description));
const objects = async (file: string) => parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { name: string }; [k: string]: unknown });

/** The RBAC engine over the files as they are now. */
async function engineOver(...paths: string[]): Promise<RbacIndex> {
  return new RbacIndex((await loadPaths(paths)).items);
}

/** The safe fixes of one check alone. */
async function safeRun(file: string, check: string): Promise<FixOutcome> {
  return planFixes({ paths: [file], unsafe: false, now: NOW, only: [check] });
}

describe('default-serviceaccount-with-bindings: the default account\'s grants move to an account of their own', () => {
  const CHECK = 'default-serviceaccount-with-bindings';
  const yaml = example(CHECK, 'a CronJob runs as the default account');

  it('is left by the safe fixes; with --unsafe-fixes its risk says which pods lose what and which roll out', async () => {
    await withInputFile(yaml, async (file) => {
      const safe = await safeRun(file, CHECK);
      assert.deepEqual(safe.changes, []);
      assert.match(left(safe, CHECK)[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: pods outside the input that run as the default ServiceAccount lose/);
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.ok(outcome.changes.every((c) => c.safety === 'unsafe'));
      assert.match(outcome.changes[0]!.risks!.join('\n'), /^pods of namespace batch outside the input that run as its default ServiceAccount lose Role job-runner in batch \(RoleBinding job-runner\); 1 pod template of the input \(CronJob nightly\) now runs as batch\/job-runner-2 and rolls out; apply kubeward-fixes.yaml \(the new account\) first/);
    });
  });

  it('creates an account that does not collide, moves the subject and the pods, and the engine gives them exactly what they had', async () => {
    await withInputFile(yaml, async (file, dir) => {
      const beforeIndex = await engineOver(file);
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.equal(fixed(outcome, CHECK).length, 1);
      assert.deepEqual(outcome.introduced, []);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const written = await objects(file);
      const binding = written.find((o) => o.kind === 'RoleBinding')!;
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'job-runner-2', namespace: 'batch' }]);
      const cronJob = written.find((o) => o.kind === 'CronJob') as unknown as { spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName?: string } } } } } };
      assert.equal(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName, 'job-runner-2');
      const deployment = written.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { serviceAccountName?: string } } } };
      assert.equal(deployment.spec.template.spec.serviceAccountName, 'viewer', 'a pod naming its own account is not touched');
      const added = await objects(join(dir, FIXES_FILE));
      assert.deepEqual(added.map((o) => `${o.kind} ${o.metadata.name}`), ['ServiceAccount job-runner-2']);
      const afterIndex = await engineOver(file, join(dir, FIXES_FILE));
      const create = { verb: 'create', apiGroup: 'batch', resource: 'jobs', namespace: 'batch' };
      assert.equal(beforeIndex.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'batch', name: 'default' }), create).allowed, true);
      assert.equal(afterIndex.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'batch', name: 'job-runner-2' }), create).allowed, true);
      assert.equal(afterIndex.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'batch', name: 'default' }), create).allowed, false);
      // The existing job-runner account got nothing.
      assert.equal(afterIndex.authorize(userInfoFor({ kind: 'ServiceAccount', namespace: 'batch', name: 'job-runner' }), create).allowed, false);
    });
  });

  it('then the default account\'s token opt-out becomes a safe fix', async () => {
    await withInputFile(yaml, async (file) => {
      const blocked = await safeRun(file, 'default-serviceaccount-automounts-token');
      assert.match(left(blocked, 'default-serviceaccount-automounts-token')[0]!.why, /^unsafe fix/);
      const moved = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.deepEqual(await writeFixes(moved.changes), []);
      const outcome = await safeRun(file, 'default-serviceaccount-automounts-token');
      assert.equal(fixed(outcome, 'default-serviceaccount-automounts-token').length, 1);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
    });
  });

  it('is left to a person when another grant names the default account (the engine would not give the new one the same)', async () => {
    const withUserSubject = `${yaml}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: by-user-name, namespace: batch}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: "system:serviceaccount:batch:default", apiGroup: rbac.authorization.k8s.io}]`;
    await withInputFile(withUserSubject, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, CHECK)[0]!.why, /^moving the bindings would not give ServiceAccount batch\/job-runner-2 exactly what batch\/default has \(not ClusterRole\/\/view@batch\)/);
    });
  });

  it('leaves a group of accounts to a person', async () => {
    await withInputFile(example(CHECK, 1), async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, CHECK)[0]!.why, /^a group of ServiceAccounts \(system:serviceaccounts\) is granted ClusterRole view by ClusterRoleBinding all-accounts-view: which accounts need it is not in the input/);
    });
  });
});

describe('anonymous-or-unauthenticated-granted: anonymous subjects removed (unsafe)', () => {
  const CHECK = 'anonymous-or-unauthenticated-granted';

  it('keeps the other subjects, and the engine then refuses anonymous callers and allows the team', async () => {
    await withInputFile(example(CHECK, 'anonymous callers beside a team'), async (file) => {
      const safe = await safeRun(file, CHECK);
      assert.deepEqual(safe.changes, []);
      assert.match(left(safe, CHECK)[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: clients that call what the role allows without credentials/);
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.match(outcome.changes[0]!.risks!.join('\n'), /^clients that call what ClusterRole view allows without credentials \(a status page, a health check\) get 403 Forbidden \(401 once anonymous auth is off\)$/);
      assert.equal(fixed(outcome, CHECK).length, 2);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const [binding] = await objects(file);
      assert.deepEqual(binding!.subjects, [{ kind: 'Group', name: 'sre' }]);
      const index = await engineOver(file);
      const list = { verb: 'list', apiGroup: '', resource: 'pods', namespace: 'shop' };
      assert.equal(index.authorize(userInfoFor({ kind: 'User', name: 'system:anonymous' }), list).allowed, false);
      assert.equal(index.authorize(userInfoFor({ kind: 'Group', name: 'sre' }), list).allowed, true);
    });
  });

  it('takes `subjects` off a binding left with none, and says it grants nothing', async () => {
    await withInputFile(example(CHECK, 0), async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.match(outcome.changes[0]!.risks!.join('\n'), /ClusterRoleBinding open-view is left without subjects and grants nothing/);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const [binding] = await objects(file);
      assert.equal('subjects' in binding!, false);
      assert.deepEqual(binding!.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    });
  });

  it('does not report (or change) the bootstrap system:public-info-viewer binding', async () => {
    const bootstrap = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:public-info-viewer
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:public-info-viewer}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:unauthenticated}`;
    await withInputFile(bootstrap, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [CHECK] });
      assert.equal(outcome.before.findings.filter((f) => f.check === CHECK && f.status === 'fail').length, 0);
      assert.deepEqual(outcome.changes, []);
    });
  });
});

describe('controller-manager-service-account-credentials-off: safe where the bootstrap controller roles are reconciled', () => {
  const CHECK = 'controller-manager-service-account-credentials-off';

  it('a kubeadm control plane (RBAC, no protected controller role) is fixed by the safe fixes', async () => {
    await withInputFile(example(CHECK, 'a kubeadm control plane'), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.equal(fixed(outcome, CHECK).length, 1);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
      assert.match(outcome.changes[0]!.after!, /--use-service-account-credentials=true/);
    });
  });

  it('a system:controller: role annotated autoupdate "false" makes it unsafe, naming the role', async () => {
    await withInputFile(example(CHECK, 'a controller role protected'), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, CHECK)[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: ClusterRole system:controller:job-controller is annotated rbac.authorization.kubernetes.io\/autoupdate: "false"/);
    });
  });

  it('without an API server in the input, nothing shows that RBAC authorizes the controllers\' accounts: unsafe', async () => {
    await withInputFile(example(CHECK, 1), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, CHECK)[0]!.why, /no kube-apiserver to show that RBAC authorizes/);
    });
  });
});

describe('apiserver-deny-service-external-ips-disabled: safe when no Service of the input claims an external IP', () => {
  const CHECK = 'apiserver-deny-service-external-ips-disabled';

  it('no Service sets externalIPs: the safe fixes enable the plugin', async () => {
    await withInputFile(example(CHECK, 0), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.equal(fixed(outcome, CHECK).length, 1);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
    });
  });

  it('a Service with externalIPs makes it unsafe, naming the Service and what the plugin still admits', async () => {
    await withInputFile(example(CHECK, 'a Service of the input claims'), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, CHECK)[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: Service shop\/legacy-lb sets spec.externalIPs: updates that keep its addresses are still admitted, but recreating it/);
    });
  });
});

describe('tls-cipher-suites-outside-cis-list: safe when no TLS 1.2 client loses every suite it shares', () => {
  const CHECK = 'tls-cipher-suites-outside-cis-list';

  it('kube-apiserver on Go\'s defaults, 1.30 (a TLS 1.2 minimum): safe', async () => {
    await withInputFile(example(CHECK, 0), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
      assert.equal(fixed(outcome, CHECK).length, 1);
    });
  });

  it('a minimum of TLS 1.0 is unsafe alone, and safe with the TLS minimum fix planned before it', async () => {
    const yaml = example(CHECK, 1).replace('--tls-cipher-suites=', '--tls-min-version=VersionTLS10\n    - --tls-cipher-suites=');
    await withInputFile(yaml, async (file) => {
      const alone = await safeRun(file, CHECK);
      assert.match(left(alone, CHECK)[0]!.why, /kube-apiserver: its minimum TLS version is TLS 1.0 after the planned fixes/);
      const both = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [CHECK, 'tls-min-version-below-1-2'] });
      assert.equal(fixed(both, CHECK).length, 1);
      assert.deepEqual(both.changes.map((c) => c.safety), ['safe']);
    });
  });

  it('a kubelet of unknown version without tlsMinVersion: unsafe (Go\'s default was TLS 1.0 before 1.30)', async () => {
    const config = example(CHECK, 'RSA key exchange');
    await withInputFile(config, async (file) => {
      assert.match(left(await safeRun(file, CHECK), CHECK)[0]!.why, /minimum TLS version is not known/);
    });
  });

  it('a list whose kept suite needs another kind of key is unsafe, naming the missing suite', async () => {
    await withInputFile(example(CHECK, 'a list whose only strong suite'), async (file) => {
      assert.match(left(await safeRun(file, CHECK), CHECK)[0]!.why, /: the new list lacks TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: with RSA serving keys, TLS 1.2 clients that connect with the removed suites may find no suite in common$/);
    });
  });

  it('Go\'s defaults with a TLS 1.2 minimum on the kubelet: safe', async () => {
    await withInputFile(example(CHECK, 'a kubelet on Go'), async (file) => {
      const outcome = await safeRun(file, CHECK);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
    });
  });
});
