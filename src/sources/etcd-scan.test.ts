// `kubeward scan --etcd-endpoints` end to end against a real etcd with mutual TLS: how Secrets are
// stored becomes secrets-encryption findings, the report lists the etcd source, values never
// leave etcd; an etcd that cannot be read is an input error (exit 2) and a gap.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../report/types.js';
import { CertFactory } from '../testing/certs.js';
import { kubeward, tempTree } from '../testing/cli.js';
import { EtcdServer, encryptedForm, etcdTlsFiles, plaintextProtobuf, putRaw, type EtcdTlsFiles } from '../testing/etcd.js';
import { reportValidator } from '../testing/report-schema.js';
import { etcdResourcesFor } from './etcd.js';
import { parseDocuments } from './documents.js';
import { emptyLoadResult, mergeLoadResults } from './types.js';

const PLANTED = 'PLANTED-VALUE-7f3a9c';

const STORED: [string, Buffer][] = [
  ['/registry/secrets/default/db-password', plaintextProtobuf(`password=${PLANTED}`)],
  ['/registry/secrets/kube-system/bootstrap-token-abcdef', plaintextProtobuf(`token=${PLANTED}`)],
  ['/registry/secrets/shop/api-key', encryptedForm('k8s:enc:aescbc:v1:key1:')],
  ['/registry/secrets/shop/vault-token', encryptedForm('k8s:enc:kms:v2:vault-kms:')],
  ['/registry/secrets/shop/odd', encryptedForm('k8s:enc:rot13:v1:k:')],
  ['/registry/configmaps/default/settings', Buffer.from(`{"kind":"ConfigMap","data":{"x":"${PLANTED}"}}`)],
  ['/registry/example.com/widgets/shop/w1', Buffer.from(`{"kind":"Widget","spec":"${PLANTED}"}`)],
  ['/registry/pods/default/web', plaintextProtobuf(PLANTED)],
];

// The input names widgets.example.com: the scan reads those values too.
const ENCRYPTION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets, widgets.example.com, "*.apps"]
  providers:
  - aescbc:
      keys: [{name: key1, secret: ${Buffer.alloc(32, 7).toString('base64')}}]
  - identity: {}
`;

const API_SERVER = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --encryption-provider-config=/etc/kubernetes/encryption-config.yaml]
`;

const SECTION_FINDINGS = (report: Report, check: string) => report.findings.filter((f) => f.check === check);

describe('kubeward scan --etcd-endpoints against a real etcd', () => {
  let certs: CertFactory;
  let tls: EtcdTlsFiles;
  let etcd: EtcdServer | undefined;
  let input: ReturnType<typeof tempTree>;

  before(async () => {
    certs = await CertFactory.create();
    tls = await etcdTlsFiles(certs);
    etcd = await EtcdServer.start({ tls: { ca: tls.ca, server: tls.server }, clientCertAuth: true }, { ca: tls.ca, cert: tls.client });
    const gateway = etcd.gateway({ ca: tls.ca, client: tls.client });
    try {
      await putRaw(gateway, STORED);
    } finally {
      gateway.close();
    }
    input = tempTree({ 'encryption-config.yaml': ENCRYPTION_CONFIG, 'kube-apiserver.yaml': API_SERVER });
  });

  after(async () => {
    await etcd?.stop();
    await certs?.remove();
    input?.cleanup();
  });

  const etcdFlags = (): string[] => [
    '--etcd-endpoints', etcd!.endpoint,
    '--etcd-cacert', tls.ca.certPath,
    '--etcd-cert', tls.client.certPath,
    '--etcd-key', tls.client.keyPath,
  ];

  it('reports every plaintext Secret as a secrets-encryption finding naming its key, and no value', () => {
    const run = kubeward(['scan', input.dir, ...etcdFlags(), '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    assert.ok(!run.stdout.includes(PLANTED) && !run.stderr.includes(PLANTED), 'a stored value reached the output');
    const report = JSON.parse(run.stdout) as Report;
    const validate = reportValidator();
    assert.ok(validate(report), JSON.stringify(validate.errors));

    assert.deepEqual(report.sources.filter((s) => s.type === 'etcd'), [{ type: 'etcd', name: etcd!.endpoint, objects: 7 }]);
    assert.deepEqual(report.errors, []);

    const findings = SECTION_FINDINGS(report, 'secret-stored-in-plaintext');
    assert.deepEqual(
      findings.filter((f) => f.status === 'fail').map((f) => [f.section, f.severity, f.resource, f.message]),
      [
        ['secrets-encryption', 'high', { kind: 'Secret', namespace: 'default', name: 'db-password' },
          `stored in etcd in plaintext (/registry/secrets/default/db-password at ${etcd!.endpoint}, protobuf encoding)`],
        ['secrets-encryption', 'high', { kind: 'Secret', namespace: 'kube-system', name: 'bootstrap-token-abcdef' },
          `stored in etcd in plaintext (/registry/secrets/kube-system/bootstrap-token-abcdef at ${etcd!.endpoint}, protobuf encoding)`],
      ],
    );
    // A prefix of no known provider is neither pass nor fail.
    assert.deepEqual(findings.filter((f) => f.status === 'not-evaluated').map((f) => f.resource.name), ['odd']);
    const summary = report.checks.find((c) => c.id === 'secret-stored-in-plaintext')!;
    assert.deepEqual([summary.pass, summary.fail, summary.notEvaluated], [2, 2, 1]);

    // The config writes with aescbc key1: the KMS v2 value is under a key it does not list.
    assert.deepEqual(
      SECTION_FINDINGS(report, 'stored-value-encrypted-with-old-key').map((f) => [f.status, f.resource.name, f.message.replace(/, but .* now/, ', but CONFIG now')]),
      [['fail', 'vault-token', '/registry/secrets/shop/vault-token is encrypted with kms:v2:vault-kms, but CONFIG now writes with aescbc:v1:key1, and no longer lists kms:v2:vault-kms: kube-apiserver cannot decrypt it']],
    );
    assert.equal(report.checks.find((c) => c.id === 'stored-value-encrypted-with-old-key')!.pass, 1);
  });

  it('prints the findings in the table without any value', () => {
    const run = kubeward(['scan', input.dir, ...etcdFlags()]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /db-password/);
    assert.match(run.stdout, /secret-stored-in-plaintext/);
    assert.ok(!run.stdout.includes(PLANTED));
  });

  it('an etcd that rejects the client is an input error naming the endpoint (exit 2) and a gap', () => {
    const run = kubeward(['scan', input.dir, '--etcd-endpoints', etcd!.endpoint, '--etcd-cacert', tls.ca.certPath, '--format', 'json']);
    assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.source, `etcd ${etcd!.endpoint}`);
    assert.match(report.errors[0]!.message, new RegExp(`etcd at ${etcd!.endpoint.replace(/[.]/g, '\\.')}`));
    assert.deepEqual(report.sources.filter((s) => s.type === 'etcd'), []);
    const findings = SECTION_FINDINGS(report, 'secret-stored-in-plaintext');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.status, 'not-evaluated');
    assert.match(findings[0]!.message, /^etcd could not be read: /);
  });

  it('an unreachable endpoint is an input error too', () => {
    const closed = etcd!.endpoint.replace(/:(\d+)$/, ':1');
    const run = kubeward(['scan', input.dir, ...etcdFlags().map((a) => (a === etcd!.endpoint ? closed : a)), '--format', 'json']);
    assert.equal(run.status, 2, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.match(report.errors[0]!.message, /cannot connect to etcd at https:\/\/127\.0\.0\.1:1\/?: connection refused/);
  });

  it('reads the first member that answers', () => {
    const closed = etcd!.endpoint.replace(/:(\d+)$/, ':1');
    const run = kubeward(['scan', input.dir, ...etcdFlags().map((a) => (a === etcd!.endpoint ? `${closed},${etcd!.endpoint}` : a)), '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.sources.filter((s) => s.type === 'etcd').map((s) => s.name), [etcd!.endpoint]);
  });
});

describe('kubeward scan etcd flags', () => {
  const dir = 'examples/insecure-cluster/cluster';

  it('validates them as kubeward etcd does, with the scan names', () => {
    const noCa = kubeward(['scan', dir, '--etcd-endpoints', 'https://127.0.0.1:2379']);
    assert.equal(noCa.status, 2);
    assert.match(noCa.stderr, /--etcd-cacert is required: the CA that signed etcd's serving certificate/);
    const half = kubeward(['scan', dir, '--etcd-endpoints', 'http://127.0.0.1:2379', '--etcd-cert', 'x.crt']);
    assert.equal(half.status, 2);
    assert.match(half.stderr, /--etcd-cert and --etcd-key go together/);
    const bad = kubeward(['scan', dir, '--etcd-endpoints', 'ftp://x']);
    assert.match(bad.stderr, /--etcd-endpoints: "ftp:\/\/x" must be an https:\/\/ or http:\/\/ URL/);
    const missing = kubeward(['scan', dir, '--etcd-cacert', 'ca.crt']);
    assert.match(missing.stderr, /--etcd-endpoints is required/);
    // The etcd command keeps its own names.
    const etcdCmd = kubeward(['etcd', 'verify-encryption', '--endpoints', 'https://127.0.0.1:2379']);
    assert.equal(etcdCmd.status, 2);
    assert.match(etcdCmd.stderr, /--cacert is required/);
  });

  it('without an etcd endpoint the check is not evaluated, once', () => {
    const run = kubeward(['scan', dir, '--format', 'json']);
    const report = JSON.parse(run.stdout) as Report;
    const findings = SECTION_FINDINGS(report, 'secret-stored-in-plaintext');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.status, 'not-evaluated');
    assert.match(findings[0]!.message, /no etcd endpoint scanned \(use --etcd-endpoints/);
  });
});

describe('etcdResourcesFor and mergeLoadResults', () => {
  it('reads Secrets, ConfigMaps and what an EncryptionConfiguration names, skipping wildcards', () => {
    const { items } = parseDocuments(ENCRYPTION_CONFIG, 'enc.yaml');
    assert.deepEqual(etcdResourcesFor(items), ['secrets', 'configmaps', 'widgets.example.com']);
    assert.deepEqual(etcdResourcesFor([]), ['secrets', 'configmaps']);
  });

  it('keeps stored values absent unless a source read etcd', () => {
    assert.equal(mergeLoadResults([emptyLoadResult(), emptyLoadResult()]).storedValues, undefined);
    const fromEtcd = { ...emptyLoadResult(), storedValues: [{ endpoint: 'https://e:2379', key: '/registry/secrets/a/b', resource: 'secrets', namespace: 'a', name: 'b', encrypted: false }] };
    assert.deepEqual(mergeLoadResults([emptyLoadResult(), fromEtcd]).storedValues, fromEtcd.storedValues);
    assert.deepEqual(mergeLoadResults([fromEtcd, { ...emptyLoadResult(), storedValues: [] }]).storedValues, fromEtcd.storedValues);
  });
});
