// Hostile input through the real CLI, as an attacker would write it: marker strings planted where
// a token or key would be never reach stdout, stderr or a written file, in every format and
// command that reads that input; a type-confused object is an error entry with file and line and
// the good objects beside it are still judged (exit 2); every run ends within 10 s and 500 MB
// (src/testing/hostile.ts).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeInternalError } from '../src/errors.js';
import type { Report } from '../src/report/types.js';
import { startTestApiServer, type TestApiServer } from '../src/testing/apiserver/index.js';
import { SHOP_DEPLOYMENT, tempTree } from '../src/testing/cli.js';
import { EtcdServer, encryptedForm, plaintextProtobuf, putRaw } from '../src/testing/etcd.js';
import { parseDocuments } from '../src/sources/documents.js';
import { assertNoMarkers, hostileRun, hostileRunServed, inEveryFormat, inEveryFormatServed, runBoundedServed } from '../src/testing/hostile.js';

const MARKER = 'KW-SECRET-MARKER';
const marker = (n: string) => `${MARKER}-${n}`;
/** Every marker of this suite starts with MARKER: asserting it covers them all. */
const MARKERS = [MARKER];

/** Good objects: their findings must survive the bad ones beside them. */
const GOOD = `${SHOP_DEPLOYMENT}---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

const pod = (name: string, spec: string, meta = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop${meta}}
spec:
${spec}`;
const netpol = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
${spec}`;

/** One type-confused object per document, by name; values that can carry a marker carry one. */
const BAD_OBJECTS: Record<string, string> = {
  'containers-number': pod('containers-number', '  containers: 5\n'),
  'containers-string': pod('containers-string', `  containers: ${marker('containers')}\n`),
  'containers-null': pod('containers-null', '  containers: [null]\n'),
  'image-number': pod('image-number', '  containers: [{name: a, image: 5}]\n'),
  'image-mapping': pod('image-mapping', `  containers: [{name: a, image: {token: ${marker('image')}}}]\n`),
  'ports-mapping': pod('ports-mapping', `  containers: [{name: a, image: nginx, ports: {a: 1, b: ${marker('ports')}}}]\n`),
  'ignore-number': pod('ignore-number', '  containers: [{name: a, image: nginx}]\n', ', annotations: {kubeward.io/ignore: 5}'),
  'ignore-list': pod('ignore-list', '  containers: [{name: a, image: nginx}]\n', `, annotations: {kubeward.io/ignore: [${marker('ignore')}]}`),
  'security-context-string': pod('security-context-string', `  securityContext: ${marker('psc')}\n  containers: [{name: a, image: nginx}]\n`),
  'ingress-number': netpol('ingress-number', '  podSelector: {}\n  ingress: 5\n'),
  'pod-selector-string': netpol('pod-selector-string', `  podSelector: ${marker('selector')}\n`),
  'from-null': netpol('from-null', '  podSelector: {}\n  ingress: [{from: [null]}]\n'),
  'rules-string': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rules-string, namespace: shop}
rules: ${marker('rules')}
`,
  'subject-name-mapping': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: subject-name-mapping, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: {token: ${marker('subject')}}}]
`,
  'service-ports': `apiVersion: v1
kind: Service
metadata: {name: service-ports, namespace: shop}
spec: {type: NodePort, ports: ${marker('service')}}
`,
  'webhooks-null': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: webhooks-null}
webhooks: [null]
`,
  'webhooks-string': `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: webhooks-string}
webhooks: ${marker('webhooks')}
`,
  'cronjob-containers': `apiVersion: batch/v1
kind: CronJob
metadata: {name: cronjob-containers, namespace: shop}
spec: {schedule: "* * * * *", jobTemplate: {spec: {template: {spec: {containers: ${marker('cron')}}}}}}
`,
  'namespace-labels': `apiVersion: v1
kind: Namespace
metadata: {name: namespace-labels, labels: {team: {token: ${marker('labels')}}}}
`,
};

/** The bad objects as one file, and the line each document starts at. */
function badFile(): { text: string; lines: Record<string, number> } {
  let text = '';
  const lines: Record<string, number> = {};
  for (const [name, doc] of Object.entries(BAD_OBJECTS)) {
    if (text) text += '---\n';
    lines[name] = text.split('\n').length;
    text += doc;
  }
  return { text, lines };
}

const errorsFor = (report: Report, file: string) => report.errors.filter((e) => e.source.endsWith(file));

describe('hostile input: one bad object does not lose the report', () => {
  const bad = badFile();
  const tree = tempTree({ 'bad.yaml': bad.text, 'good.yaml': GOOD });
  after(() => tree.cleanup());
  const paths = () => [join(tree.dir, 'good.yaml'), join(tree.dir, 'bad.yaml')];

  it('scan: every type-confused object is an error at its line, the good ones are judged, in every format', () => {
    const runs = inEveryFormat(['scan', ...paths(), '--fail-on', 'none'], MARKERS);
    for (const [format, run] of Object.entries(runs)) assert.equal(run.status, 2, `${format}: ${run.stderr}`);
    const report = JSON.parse(runs.json.stdout) as Report;
    const errors = errorsFor(report, 'bad.yaml');
    for (const [name, line] of Object.entries(bad.lines)) {
      const error = errors.find((e) => e.message.includes(` ${name}: `) || e.message.includes(`/${name}: `));
      assert.ok(error, `no error entry for ${name}: ${JSON.stringify(errors)}`);
      assert.equal(error.line, line, `${name}: ${error.message}`);
      assert.match(error.message, /must be .*, not .*; object not scanned$/);
    }
    assert.equal(errors.length, Object.keys(bad.lines).length, JSON.stringify(errors));
    assert.ok(report.findings.some((f) => f.check === 'pod-violates-restricted-pod-security' && f.resource.name === 'web' && f.status === 'fail'));
    assert.ok(report.findings.some((f) => f.check === 'cluster-admin-equivalent-subject' && f.status === 'fail'), 'the good ClusterRoleBinding is judged');
    // No finding names a bad object: it was skipped, not half-judged.
    for (const name of Object.keys(bad.lines)) assert.ok(!report.findings.some((f) => f.resource.name === name), name);
    assert.match(runs.table.stdout, /bad\.yaml:\d+: Pod shop\/containers-number: spec\.containers must be a list, not a number/);
    assert.match(runs.sarif.stdout, /bad\.yaml/);
    assert.match(runs.junit.stdout, /bad\.yaml/);
  });

  const errorLinesOnStderr = (stderr: string) => {
    for (const [name, line] of Object.entries(bad.lines)) assert.match(stderr, new RegExp(`bad\\.yaml:${line}: .*${name}: `), name);
  };

  for (const format of ['table', 'json']) {
    it(`podsecurity (${format}): errors on stderr, the good Deployment still evaluated, exit 2`, () => {
      const run = hostileRun(['podsecurity', ...paths(), '--format', format], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      errorLinesOnStderr(run.stderr);
      assert.match(run.stdout, /Deployment shop\/web|"name": "web"/);
    });

    it(`netpol matrix (${format}): the good policy still isolates shop, exit 2`, () => {
      const run = hostileRun(['netpol', 'matrix', '--port', '80', ...paths(), '--format', format], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      errorLinesOnStderr(run.stderr);
      assert.match(run.stdout, /shop/);
    });
  }

  for (const format of ['text', 'json']) {
    it(`rbac who-can (${format}): the good binding still answers, exit 2`, () => {
      const run = hostileRun(['rbac', 'who-can', 'get', 'pods', '-n', 'shop', ...paths(), '--format', format], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      errorLinesOnStderr(run.stderr);
      assert.match(run.stdout, /web-admin/);
    });

    it(`review (${format}): webhooks: [null] is an error, the good grant still reviewed, exit 2`, () => {
      const run = hostileRun(['review', ...paths(), '--format', format], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      errorLinesOnStderr(run.stderr);
      assert.match(run.stdout, /cluster-admin/);
    });
  }
});

describe('hostile input: type-confused objects from a live cluster and its snapshot', () => {
  let server: TestApiServer;
  const tree = tempTree({});
  before(async () => {
    const objects = parseDocuments(`${GOOD}---\n${badFile().text}`, 'cluster.yaml').items.map((i) => i.object);
    // A control-plane pod of the wrong shape too: the source reads kube-system pods itself.
    objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system', labels: { component: 'kube-apiserver' } }, spec: { containers: [null, marker('apiserver')] } });
    server = await startTestApiServer({ objects });
    await server.writeKubeconfig(join(tree.dir, 'kubeconfig'), { cert: await server.clientCert('admin', 'system:masters') });
  });
  after(async () => {
    await server?.close();
    tree.cleanup();
  });

  it('scan --cluster, every format, then scan of its snapshot: errors name the object, the good ones judged', async () => {
    const kubeconfig = join(tree.dir, 'kubeconfig');
    const runs = await inEveryFormatServed(['scan', '--cluster', '--kubeconfig', kubeconfig, '--no-progress', '--fail-on', 'none'], MARKERS);
    const report = JSON.parse(runs.json.stdout) as Report;
    assert.equal(runs.json.status, 2);
    const names = [...Object.keys(BAD_OBJECTS), 'kube-apiserver-cp1'];
    for (const name of names) assert.ok(report.errors.some((e) => e.message.includes(`${name}: `) && /^https:/.test(e.source)), `${name}: ${JSON.stringify(report.errors)}`);
    assert.ok(report.findings.some((f) => f.check === 'pod-violates-restricted-pod-security' && f.resource.name === 'web'));

    const snapshot = join(tree.dir, 'snapshot');
    // The snapshot holds what the cluster returned, markers included: only its report is checked.
    const saved = await runBoundedServed(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '--no-progress', '-o', snapshot]);
    assertNoMarkers({ ...saved, written: {} }, MARKERS);
    assert.equal(saved.status, 0, saved.stderr);
    const offline = await hostileRunServed(['scan', snapshot, '--format', 'json', '--fail-on', 'none'], MARKERS);
    assert.equal(offline.status, 2);
    const offlineReport = JSON.parse(offline.stdout) as Report;
    // A snapshot's objects keep the API request they came from as their source.
    for (const name of names) assert.ok(offlineReport.errors.some((e) => e.message.includes(`${name}: `) && /^https:/.test(e.source)), `${name}: ${JSON.stringify(offlineReport.errors)}`);
    assert.ok(offlineReport.findings.some((f) => f.check === 'pod-violates-restricted-pod-security' && f.resource.name === 'web'));
  });
});

/** A kubeconfig of one cluster, context and user `u`, whose `user:` is `user` (the rest of its lines). */
const kubeconfigWithUser = (user: string) => `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user:${user}
contexts: [{name: c, context: {cluster: c, user: u}}]
`;

/** A kubeconfig holding a token and a key, broken at the line after them. */
const KUBECONFIG_YAML_ERROR = kubeconfigWithUser(`
    token: ${marker('token')}
    client-key-data: ${marker('client-key-data')}
   oops: [`);

/** users[0].user is the token itself: the client library's TypeError would quote it. */
const KUBECONFIG_WRONG_SHAPE = kubeconfigWithUser(` ${marker('user-string')}`);

describe('hostile input: kubeconfigs', () => {
  const out = tempTree({});
  const tree = tempTree({
    'yaml-error/config': KUBECONFIG_YAML_ERROR,
    'wrong-shape/config': KUBECONFIG_WRONG_SHAPE,
    'good.yaml': SHOP_DEPLOYMENT,
    'node/etc/kubernetes/manifests/.keep': '',
  });
  after(() => {
    tree.cleanup();
    out.cleanup();
  });
  const cases: [string, string, number, RegExp][] = [
    ['a YAML error', 'yaml-error', 12, /invalid YAML: bad indentation \(column \d+\)/],
    ['a user that is a string', 'wrong-shape', 9, /users\[0\]\.user must be a mapping, not a string/],
  ];

  for (const [what, dir, line, reason] of cases) {
    const file = () => join(tree.dir, dir, 'config');
    const expectError = (stderr: string) => assert.match(stderr, new RegExp(`kubeconfig ${file()}:${line}: ${reason.source}`));
    const commands: [string, () => string[]][] = [
      ['scan', () => ['scan', join(tree.dir, 'good.yaml'), '--cluster']],
      ['snapshot', () => ['snapshot', '--cluster', '-o', join(out.dir, `${dir}.snapshot.json`)]],
      ['node', () => ['node', '--root', join(tree.dir, 'node'), '--cluster']],
    ];
    for (const [command, args] of commands) {
      it(`${command} with ${what} in --kubeconfig, $KUBECONFIG and ~/.kube/config: file and line only`, () => {
        const home = join(tree.dir, `home-${dir}`);
        mkdirSync(join(home, '.kube'), { recursive: true });
        writeFileSync(join(home, '.kube', 'config'), dir === 'yaml-error' ? KUBECONFIG_YAML_ERROR : KUBECONFIG_WRONG_SHAPE);
        const ways: [string[], NodeJS.ProcessEnv][] = [
          [['--kubeconfig', file()], {}],
          [[], { KUBECONFIG: file() }],
          [[], { KUBECONFIG: undefined, HOME: home }],
        ];
        for (const [extra, env] of ways) {
          const run = hostileRun([...args(), ...extra, '--no-progress'], MARKERS, { env, outputDir: out.dir });
          assert.equal(run.status, 2, run.stderr);
          if (env.HOME) assert.match(run.stderr, new RegExp(`kubeconfig ${join(home, '.kube', 'config')}:${line}: ${reason.source}`));
          else expectError(run.stderr);
        }
      });
    }
  }
});

describe('hostile input: JSON over 16 MB with an unquoted token', () => {
  const items = Array.from({ length: 60_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'shop' }, data: { k: 'v'.repeat(250) } }));
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1).replace('"c30000"', `"c30000", "token": ${marker('json')}`);
  const line = text.slice(0, text.indexOf(MARKER)).split('\n').length;
  const tree = tempTree({ 'big.json': text, 'good.yaml': SHOP_DEPLOYMENT });
  after(() => tree.cleanup());
  const paths = () => [join(tree.dir, 'good.yaml'), join(tree.dir, 'big.json')];

  it('is over the 16 MB limit of the YAML reader (the case JSON.parse alone reads)', () => assert.ok(text.length > 16 * 1024 * 1024));

  it('scan: an error with the line and no excerpt, in every format; the good file still judged', () => {
    const runs = inEveryFormat(['scan', ...paths(), '--fail-on', 'none'], MARKERS);
    for (const run of Object.values(runs)) assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(runs.json.stdout) as Report;
    assert.deepEqual(errorsFor(report, 'big.json'), [{ source: join(tree.dir, 'big.json'), line, message: 'invalid JSON: unexpected token' }]);
    assert.ok(report.findings.some((f) => f.check === 'pod-violates-restricted-pod-security' && f.resource.name === 'web'));
  });

  for (const args of [['podsecurity'], ['review'], ['rbac', 'who-can', 'get', 'pods'], ['netpol', 'matrix']]) {
    it(`${args[0]}: the error names file and line only`, () => {
      const run = hostileRun([...args, ...paths()], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, new RegExp(`big\\.json:${line}: invalid JSON: unexpected token\\n`));
    });
  }
});

describe('hostile input: etcd values under an unknown k8s:enc: provider', () => {
  let etcd: EtcdServer | undefined;
  before(async () => {
    etcd = await EtcdServer.start();
    const gateway = etcd.gateway();
    try {
      await putRaw(gateway, [
        ['/registry/secrets/shop/odd', encryptedForm(`k8s:enc:rot13:${marker('etcd')}:`)],
        ['/registry/secrets/shop/weird', encryptedForm(`k8s:enc:${marker('etcd-provider')}{:`)],
        ['/registry/secrets/shop/plain', plaintextProtobuf(marker('plaintext'))],
      ]);
    } finally {
      gateway.close();
    }
  });
  after(async () => {
    await etcd?.stop();
  });

  for (const format of ['table', 'json']) {
    it(`etcd verify-encryption (${format}): the provider's name at most, never the field after it`, () => {
      const run = hostileRun(['etcd', 'verify-encryption', '--endpoints', etcd!.endpoint, '--format', format], MARKERS);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /k8s:enc:rot13:/);
    });
  }

  it('etcd verify-encryption --encryption-config with a YAML error: file and line, never a key', () => {
    const config = tempTree({
      'encryption-config.yaml': `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys: [{name: k, secret: |${marker('key')}
        x}]
`,
    });
    try {
      const run = hostileRun(['etcd', 'verify-encryption', '--endpoints', etcd!.endpoint, '--encryption-config', join(config.dir, 'encryption-config.yaml')], MARKERS);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /encryption-config\.yaml:7: invalid YAML: /);
    } finally {
      config.cleanup();
    }
  });

  it('scan --etcd-endpoints, every format', () => {
    const runs = inEveryFormat(['scan', '--etcd-endpoints', etcd!.endpoint, '--fail-on', 'none'], MARKERS);
    const report = JSON.parse(runs.json.stdout) as Report;
    assert.ok(report.findings.some((f) => f.resource.name === 'plain' && f.status === 'fail'), 'the plaintext Secret is still found');
  });
});

describe('hostile input: a node root whose admin.conf user is the token', () => {
  const tree = tempTree({
    'node/etc/kubernetes/admin.conf': KUBECONFIG_WRONG_SHAPE,
    'good.yaml': SHOP_DEPLOYMENT,
  });
  after(() => tree.cleanup());

  it('scan --node-root: an error entry at the field, the rest judged, every format', () => {
    const runs = inEveryFormat(['scan', join(tree.dir, 'good.yaml'), '--node-root', join(tree.dir, 'node'), '--fail-on', 'none'], MARKERS);
    for (const run of Object.values(runs)) assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(runs.json.stdout) as Report;
    const error = errorsFor(report, 'admin.conf')[0];
    assert.ok(error, JSON.stringify(report.errors));
    assert.equal(error.line, 9);
    assert.match(error.message, /users\[0\]\.user must be a mapping, not a string; object not scanned$/);
    assert.ok(report.findings.some((f) => f.resource.name === 'web'));
  });
});

describe('hostile input: parser limits', () => {
  const tree = tempTree({
    'alias.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\ndata:\n  k: *${marker('alias').replaceAll('-', '_')}\n`,
    'deep.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    'deep.yaml': `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    'good.yaml': SHOP_DEPLOYMENT,
  });
  after(() => tree.cleanup());

  it('an unresolved alias is an error at its own line, not an alias bomb at line 1', () => {
    const runs = inEveryFormat(['scan', join(tree.dir, 'alias.yaml'), '--fail-on', 'none'], [MARKER, 'KW_SECRET_MARKER']);
    const report = JSON.parse(runs.json.stdout) as Report;
    assert.deepEqual(report.errors, [{ source: join(tree.dir, 'alias.yaml'), line: 9, message: 'invalid YAML: alias to an anchor not defined before it; document not read' }]);
    assert.equal(report.sources[0]!.objects, 1);
  });

  it('a 100k-deep JSON array and YAML flow sequence: clear errors with file and line, the rest scanned', () => {
    const run = hostileRun(['scan', join(tree.dir, 'deep.json'), join(tree.dir, 'deep.yaml'), join(tree.dir, 'good.yaml'), '--format', 'json', '--fail-on', 'none'], MARKERS);
    assert.equal(run.status, 2);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(errorsFor(report, 'deep.json'), [{ source: join(tree.dir, 'deep.json'), line: 1, message: 'lists nested more than 8 deep; not read' }]);
    const yaml = errorsFor(report, 'deep.yaml');
    assert.equal(yaml.length, 1);
    assert.equal(yaml[0]!.line, 1);
    assert.match(yaml[0]!.message, /^invalid YAML: nested too deeply/);
    assert.doesNotMatch(run.stdout + run.stderr, /call stack/i);
    assert.ok(report.findings.some((f) => f.resource.name === 'web'));
  });

  for (const command of [['scan'], ['netpol', 'matrix']]) {
    it(`${command.join(' ')} --k8s-version banana is a usage error, exit 2`, () => {
      const run = hostileRun([...command, join(tree.dir, 'good.yaml'), '--k8s-version', 'banana'], MARKERS);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--k8s-version must be a Kubernetes version such as v1\.31 or 1\.31\.2 \(got "banana"\)/);
      assert.equal(run.stdout, '');
    });
  }
});

describe('hostile input: the internal-error handler', () => {
  it('names the error class and where it was thrown, never its message (it may quote a value)', () => {
    const debug = process.env.KUBEWARD_DEBUG;
    delete process.env.KUBEWARD_DEBUG;
    try {
      let error: unknown;
      try {
        assert.fail(`not thrown: ${'client-key-data' in (marker('in') as unknown as object)}`);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof TypeError);
      assert.ok(error.message.includes(MARKER), 'the message V8 wrote quotes the value');
      const described = describeInternalError(error);
      assert.match(described, /^TypeError at (?:dist\/)?test\/hostile-input\.test\.js:\d+$|^TypeError$/);
      assert.ok(!described.includes(MARKER));
      process.env.KUBEWARD_DEBUG = '1';
      assert.ok(describeInternalError(error).includes(MARKER), 'KUBEWARD_DEBUG shows the message');
    } finally {
      if (debug === undefined) delete process.env.KUBEWARD_DEBUG;
      else process.env.KUBEWARD_DEBUG = debug;
    }
  });
});
