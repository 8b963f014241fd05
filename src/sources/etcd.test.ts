// Against real etcd servers started on loopback: one with mutual TLS holding plaintext and
// encrypted-form values, one without client-certificate authentication for the probe.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { InputUnavailableError } from '../errors.js';
import { CertFactory } from '../testing/certs.js';
import { EtcdServer, encryptedForm, etcdTlsFiles, plaintextProtobuf, putRaw, type EtcdTlsFiles } from '../testing/etcd.js';
import { REPO_ROOT } from '../testing/index.js';
import { EtcdGateway, prefixEnd, probeEtcd, verifyEncryption } from './etcd.js';

const execFileP = promisify(execFile);

/** Runs the CLI; resolves with its exit code and output (non-zero exit codes are not errors). */
async function kubeward(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const SECRET_MARKER = 'TOP-SECRET-VALUE-4242';

const STORED: [string, Buffer][] = [
  ['/registry/secrets/default/db-password', plaintextProtobuf(`password=${SECRET_MARKER}`)],
  ['/registry/secrets/kube-system/bootstrap-token-abcdef', plaintextProtobuf(`token=${SECRET_MARKER}`)],
  ['/registry/secrets/shop/api-key', encryptedForm('k8s:enc:aescbc:v1:key1:')],
  ['/registry/secrets/shop/tls', encryptedForm('k8s:enc:aesgcm:v1:rotated-2026:')],
  ['/registry/secrets/shop/vault-token', encryptedForm('k8s:enc:kms:v2:vault-kms:')],
  ['/registry/secrets/shop/old-kms', encryptedForm('k8s:enc:kms:v1:legacy:')],
  ['/registry/secrets/shop/sealed', encryptedForm('k8s:enc:secretbox:v1:sb1:')],
  ['/registry/configmaps/default/settings', Buffer.from(`{"kind":"ConfigMap","data":{"x":"${SECRET_MARKER}"}}`)],
  ['/registry/configmaps/shop/encrypted', encryptedForm('k8s:enc:aescbc:v1:key1:')],
  ['/registry/example.com/widgets/shop/w1', Buffer.from('{"kind":"Widget"}')],
  // Keys outside the prefixes read: must not appear.
  ['/registry/secretsx/default/other', plaintextProtobuf('no')],
  ['/registry/pods/default/web', plaintextProtobuf('pod')],
];

describe('etcd against real servers', () => {
  let certs: CertFactory;
  let tls: EtcdTlsFiles;
  let mtls: EtcdServer | undefined;
  let open: EtcdServer | undefined;
  let tlsNoClientAuth: EtcdServer | undefined;

  before(async () => {
    certs = await CertFactory.create();
    tls = await etcdTlsFiles(certs);
    [mtls, open, tlsNoClientAuth] = await Promise.all([
      EtcdServer.start({ tls: { ca: tls.ca, server: tls.server }, clientCertAuth: true }, { ca: tls.ca, cert: tls.client }),
      EtcdServer.start(),
      EtcdServer.start({ tls: { ca: tls.ca, server: tls.server } }, { ca: tls.ca, cert: tls.client }),
    ]);
    const gateway = mtls.gateway({ ca: tls.ca, client: tls.client });
    try {
      await putRaw(gateway, STORED);
    } finally {
      gateway.close();
    }
    const plain = open.gateway();
    try {
      await putRaw(plain, [['/registry/secrets/default/a', plaintextProtobuf('a')]]);
    } finally {
      plain.close();
    }
  });

  after(async () => {
    await Promise.all([mtls?.stop(), open?.stop(), tlsNoClientAuth?.stop()]);
    await certs?.remove();
  });

  it('classifies every stored Secret and ConfigMap exactly, in bounded batches', async () => {
    const gateway = mtls!.gateway({ ca: tls.ca, client: tls.client });
    try {
      const result = await verifyEncryption(gateway, { resources: ['secrets', 'configmaps'], batchSize: 2 });
      assert.equal(result.endpoint, mtls!.endpoint);
      assert.deepEqual(
        result.resources.map((r) => [r.key, r.encrypted, r.provider ?? r.format, r.providerVersion ?? null, r.keyName ?? null]),
        [
          ['/registry/secrets/default/db-password', false, 'protobuf', null, null],
          ['/registry/secrets/kube-system/bootstrap-token-abcdef', false, 'protobuf', null, null],
          ['/registry/secrets/shop/api-key', true, 'aescbc', 'v1', 'key1'],
          ['/registry/secrets/shop/old-kms', true, 'kms', 'v1', 'legacy'],
          ['/registry/secrets/shop/sealed', true, 'secretbox', 'v1', 'sb1'],
          ['/registry/secrets/shop/tls', true, 'aesgcm', 'v1', 'rotated-2026'],
          ['/registry/secrets/shop/vault-token', true, 'kms', 'v2', 'vault-kms'],
          ['/registry/configmaps/default/settings', false, 'json', null, null],
          ['/registry/configmaps/shop/encrypted', true, 'aescbc', 'v1', 'key1'],
        ],
      );
      assert.deepEqual(result.resources[0], {
        key: '/registry/secrets/default/db-password', resource: 'secrets', namespace: 'default', name: 'db-password', encrypted: false, format: 'protobuf',
      });
      assert.deepEqual(result.summary, {
        total: 9, encrypted: 6, plaintext: 3, unknown: 0, plaintextSecrets: 2,
        byResource: { secrets: { total: 7, encrypted: 5, plaintext: 2, unknown: 0 }, configmaps: { total: 2, encrypted: 1, plaintext: 1, unknown: 0 } },
        byProvider: { 'aescbc:v1:key1': 2, 'kms:v1:legacy': 1, 'secretbox:v1:sb1': 1, 'aesgcm:v1:rotated-2026': 1, 'kms:v2:vault-kms': 1 },
      });
      assert.ok(!JSON.stringify(result).includes(SECRET_MARKER), 'a stored value leaked into the result');
    } finally {
      gateway.close();
    }
  });

  it('fails with a clear error when the client certificate is missing or the CA is wrong', async () => {
    const noCert = mtls!.gateway({ ca: tls.ca });
    await assert.rejects(verifyEncryption(noCert, { resources: ['secrets'] }), (e: Error) => e instanceof InputUnavailableError && /rejected the client certificate|closed the connection/.test(e.message));
    noCert.close();
    const otherCa = await certs.ca('other-ca');
    const wrongCa = mtls!.gateway({ ca: otherCa, client: tls.client });
    await assert.rejects(verifyEncryption(wrongCa, { resources: ['secrets'] }), /not signed by --cacert/);
    wrongCa.close();
    const refused = new EtcdGateway('https://127.0.0.1:1', { ca: tls.ca.pem });
    await assert.rejects(verifyEncryption(refused, { resources: ['secrets'] }), /connection refused/);
    refused.close();
  });

  it('probe: mutual TLS etcd is not readable without a client certificate', async () => {
    assert.deepEqual(await probeEtcd(mtls!.endpoint, { ca: tls.ca.pem }), {
      endpoint: mtls!.endpoint, reachable: true, tls: true, clientCertRequired: true, readableWithoutClientCert: false,
      detail: 'etcd closed the TLS connection of a client without a certificate',
    });
  });

  it('probe: etcd without client-cert-auth is readable by anyone, over TLS or not', async () => {
    const overTls = await probeEtcd(tlsNoClientAuth!.endpoint, { ca: tls.ca.pem });
    assert.deepEqual(overTls, { endpoint: tlsNoClientAuth!.endpoint, reachable: true, tls: true, clientCertRequired: false, readableWithoutClientCert: true });
    const plain = await probeEtcd(open!.endpoint);
    assert.deepEqual(plain, { endpoint: open!.endpoint, reachable: true, tls: false, clientCertRequired: false, readableWithoutClientCert: true });
  });

  it('probe: a server certificate not signed by --cacert is an error, not an answer', async () => {
    const otherCa = await certs.ca('unrelated-ca');
    await assert.rejects(probeEtcd(tlsNoClientAuth!.endpoint, { ca: otherCa.pem }), (e: Error) => e instanceof InputUnavailableError && /not signed by --cacert/.test(e.message));
  });

  it('probe: an endpoint nobody listens on is unreachable', async () => {
    const result = await probeEtcd('http://127.0.0.1:1');
    assert.equal(result.reachable, false);
    assert.match(result.detail ?? '', /connection refused/);
  });

  it('CLI verify-encryption: JSON in the documented shape, exit 1 for plaintext Secrets, values never printed', async () => {
    const run = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath, '--format', 'json');
    assert.equal(run.code, 1, run.stderr);
    assert.ok(!run.stdout.includes(SECRET_MARKER));
    const json = JSON.parse(run.stdout) as { endpoint: string; resources: Record<string, unknown>[]; summary: { plaintextSecrets: number } };
    assert.deepEqual(Object.keys(json), ['endpoint', 'resources', 'summary']);
    assert.equal(json.summary.plaintextSecrets, 2);
    assert.deepEqual(json.resources.find((r) => r.name === 'vault-token'), {
      key: '/registry/secrets/shop/vault-token', resource: 'secrets', namespace: 'shop', name: 'vault-token', encrypted: true, provider: 'kms', providerVersion: 'v2', keyName: 'vault-kms',
    });
    const table = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath);
    assert.equal(table.code, 1);
    assert.match(table.stdout, /FAIL secrets-encryption: 2 Secret\(s\) stored in etcd in plaintext/);
    assert.match(table.stdout, /HIGH {2}Secret default\/db-password/);
    assert.ok(!table.stdout.includes(SECRET_MARKER));
  });

  it('CLI verify-encryption: exit 0 when every Secret read is encrypted', async () => {
    // Only the configmaps prefix holds one plaintext value; Secrets under another prefix are all encrypted.
    const gateway = mtls!.gateway({ ca: tls.ca, client: tls.client });
    await putRaw(gateway, [['/other/secrets/a/one', encryptedForm('k8s:enc:aescbc:v1:k:')], ['/other/secrets/b/two', encryptedForm('k8s:enc:kms:v2:p:')]]);
    gateway.close();
    const run = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath, '--etcd-prefix', '/other', '--resources', 'secrets');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /PASS secrets-encryption: every Secret in etcd is encrypted/);
  });

  it('CLI verify-encryption: exit 2 with a clear message on TLS and connection errors', async () => {
    const noCa = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cert', tls.client.certPath, '--key', tls.client.keyPath);
    assert.equal(noCa.code, 2);
    assert.match(noCa.stderr, /--cacert is required/);
    const noClientCert = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath);
    assert.equal(noClientCert.code, 2);
    assert.match(noClientCert.stderr, /kubeward etcd: .*etcd at https:\/\/127\.0\.0\.1:\d+/);
    const refused = await kubeward('etcd', 'verify-encryption', '--endpoints', 'https://127.0.0.1:1', '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /connection refused/);
    const missingFile = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', '/nonexistent/ca.crt');
    assert.equal(missingFile.code, 2);
    assert.match(missingFile.stderr, /--cacert \/nonexistent\/ca.crt: no such file/);
    const usage = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cert', tls.client.certPath);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--cert and --key go together/);
  });

  it('CLI verify-encryption: --encryption-config adds the resources it names', async () => {
    const { writeFile } = await import('node:fs/promises');
    const configPath = join(certs.dir, 'encryption-config.yaml');
    await writeFile(configPath, `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets, widgets.example.com, '*.apps']
  providers: [{identity: {}}]
`);
    const run = await kubeward('etcd', 'verify-encryption', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath, '--format', 'json', '--encryption-config', configPath);
    assert.equal(run.code, 1, run.stderr);
    const json = JSON.parse(run.stdout) as { summary: { byResource: Record<string, { total: number; plaintext: number }> }; resources: { key: string; resource: string }[] };
    assert.deepEqual(Object.keys(json.summary.byResource), ['secrets', 'configmaps', 'widgets.example.com']);
    assert.deepEqual(json.summary.byResource['widgets.example.com'], { total: 1, encrypted: 0, plaintext: 1, unknown: 0 });
    assert.deepEqual(json.resources.filter((r) => r.resource === 'widgets.example.com').map((r) => r.key), ['/registry/example.com/widgets/shop/w1']);
    assert.match(run.stderr, /wildcards name no single etcd path/);
  });

  it('CLI verify-encryption: the second endpoint is used when the first does not answer', async () => {
    const run = await kubeward('etcd', 'verify-encryption', '--endpoints', `https://127.0.0.1:1,${mtls!.endpoint}`, '--cacert', tls.ca.certPath, '--cert', tls.client.certPath, '--key', tls.client.keyPath, '--format', 'json');
    assert.equal(run.code, 1);
    assert.equal((JSON.parse(run.stdout) as { endpoint: string }).endpoint, mtls!.endpoint);
  });

  it('CLI probe: JSON shape and exit codes (1 readable, 0 protected, 2 unreachable)', async () => {
    const readable = await kubeward('etcd', 'probe', '--endpoints', open!.endpoint, '--format', 'json');
    assert.equal(readable.code, 1);
    assert.deepEqual(JSON.parse(readable.stdout), { endpoint: open!.endpoint, reachable: true, tls: false, clientCertRequired: false, readableWithoutClientCert: true });
    const protectedRun = await kubeward('etcd', 'probe', '--endpoints', mtls!.endpoint, '--cacert', tls.ca.certPath);
    assert.equal(protectedRun.code, 0);
    assert.match(protectedRun.stdout, /PASS etcd-access/);
    const unreachable = await kubeward('etcd', 'probe', '--endpoints', 'http://127.0.0.1:1');
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stdout, /UNREACHABLE/);
  });
});

describe('prefixEnd', () => {
  it('increments the last byte below 0xff, as etcd clients compute a prefix range', () => {
    assert.deepEqual(prefixEnd(Buffer.from('/registry/secrets/')), Buffer.from('/registry/secrets0'));
    assert.deepEqual(prefixEnd(Buffer.from([0x61, 0xff, 0xff])), Buffer.from([0x62]));
    assert.deepEqual(prefixEnd(Buffer.from([0xff])), Buffer.from([0]));
  });
});
