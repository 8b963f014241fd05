// The certificate re-issue fix on real files: the insecure example's PKI, kubelet client PEM and
// kubeconfigs re-issued in a copy, verified by openssl and node:crypto (chain, subject, SANs, key),
// with no key in the output and nothing left to do on a second run; and what it leaves to a person.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { PEM_BLOCK } from '../engines/certs/index.js';
import { CertFactory } from '../testing/certs.js';
import { REPO_ROOT } from '../testing/index.js';
import { redactPrivateKeys, redactSecrets, unifiedDiff } from './diff.js';
import { planFixes, writeFixes, type FixOutcome } from './run.js';

const run = promisify(execFile);
const CHECKS = ['leaf-certificate-valid-over-a-year', 'certificate-expired', 'certificate-weak-rsa-key', 'certificate-weak-signature'];
const KUBECONFIGS = ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf'];
const PRIVATE_KEY = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----\n([\s\S]*?)-----END \1-----/g;

async function opensslVerify(caFile: string, certPem: string, dir: string, at: Date): Promise<string> {
  const file = join(dir, `verify-${Math.random().toString(36).slice(2)}.crt`);
  writeFileSync(file, certPem);
  try {
    return (await run('openssl', ['verify', '-attime', String(Math.floor(at.getTime() / 1000)), '-CAfile', caFile, file])).stdout.trim().replace(`${file}: `, '');
  } finally {
    rmSync(file);
  }
}

/** Every line of base64 that a private key is made of, in a PEM text (and in base64 of PEM). */
function keyMaterial(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PRIVATE_KEY)) out.push(...m[2]!.split('\n').filter((l) => l.length >= 16));
  for (const m of text.matchAll(/client-key-data: (\S+)/g)) {
    out.push(m[1]!);
    out.push(...keyMaterial(Buffer.from(m[1]!, 'base64').toString('utf8')));
  }
  return out;
}

function failing(outcome: FixOutcome, which: 'before' | 'after'): string[] {
  return outcome[which].findings.filter((f) => f.status === 'fail' && CHECKS.includes(f.check)).map((f) => `${f.check}: ${f.message}`).sort();
}

describe('re-issuing the insecure example\'s certificates (a copy)', () => {
  const NOW = new Date('2026-12-01T00:00:00Z');
  let dir: string;
  let root: string;
  let outcome: FixOutcome;
  const original = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeward-reissue-'));
    cpSync(join(REPO_ROOT, 'examples/insecure-cluster'), dir, { recursive: true, verbatimSymlinks: true });
    root = join(dir, 'node-root');
    outcome = await planFixes({ paths: [], nodeRoots: [root], only: CHECKS, unsafe: false, now: NOW });
    for (const c of outcome.changes) if (c.before !== undefined) original.set(c.file, c.before);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fixes all 14 certificate findings, leaves none and introduces nothing', () => {
    assert.deepEqual(failing(outcome, 'before').map((m) => m.replace(/ on cp-1.*| in kubeconfig.*/, '')), [
      'certificate-expired: /etc/kubernetes/pki/etcd/peer.crt',
      'certificate-weak-rsa-key: /etc/kubernetes/pki/apiserver-kubelet-client.crt',
      'certificate-weak-signature: /etc/kubernetes/pki/front-proxy-client.crt',
      ...['/etc/kubernetes/pki/apiserver-etcd-client.crt', '/etc/kubernetes/pki/apiserver-kubelet-client.crt', '/etc/kubernetes/pki/apiserver.crt',
        '/etc/kubernetes/pki/etcd/healthcheck-client.crt', '/etc/kubernetes/pki/etcd/server.crt', '/etc/kubernetes/pki/front-proxy-client.crt',
        '/var/lib/kubelet/pki/kubelet-client-2026-11-29-12-57-07.pem', 'client certificate of user "kubernetes-admin"', 'client certificate of user "kubernetes-super-admin"',
        'client certificate of user "system:kube-controller-manager"', 'client certificate of user "system:kube-scheduler"'].map((c) => `leaf-certificate-valid-over-a-year: ${c}`),
    ]);
    assert.deepEqual(failing(outcome, 'after'), []);
    assert.deepEqual(outcome.introduced, []);
    assert.deepEqual(outcome.errors, []);
    assert.deepEqual(outcome.refused, []);
    // The new keys that were readable by others are made 0600, which fixes their permission findings too.
    assert.deepEqual(outcome.fixed.filter((f) => !CHECKS.includes(f.check)).map((f) => `${f.check}: ${f.resource.name.replace(/ on .*/, '')}`).sort(), [
      'credential-file-permissions: /etc/kubernetes/pki/apiserver.key',
      'credential-file-permissions: /etc/kubernetes/pki/front-proxy-client.key',
      'etcd-file-permissions: /etc/kubernetes/pki/etcd/server.key',
    ]);
    assert.equal(outcome.fixed.filter((f) => CHECKS.includes(f.check)).length, 14);
    assert.ok(outcome.changes.every((c) => c.safety === 'safe'));
    assert.ok(outcome.followUps.some((f) => /systemctl restart kubelet/.test(f)));
    // Both findings of one certificate are fixed by one change, attributed to both checks.
    const weak = outcome.changes.find((c) => c.file.endsWith('pki/apiserver-kubelet-client.crt'))!;
    assert.deepEqual(weak.checks, ['certificate-weak-rsa-key', 'leaf-certificate-valid-over-a-year']);
  });

  it('the diff shows no private key, old or new: the new ones are named as generated', () => {
    const diff = outcome.changes.map((c) => redactSecrets(unifiedDiff(c), outcome.generated)).join('');
    // Key lines that also occur in a certificate (an RSA key holds its public modulus) are public.
    const texts = outcome.changes.flatMap((c) => [c.before ?? '', c.after ?? '']);
    const publicText = texts.map((t) => t.replace(PRIVATE_KEY, '').replace(/client-key-data: \S+/g, '')).join('\n');
    const secrets = texts.flatMap(keyMaterial).filter((s) => !publicText.includes(s));
    assert.ok(secrets.length > 100, 'the changes hold keys to look for');
    for (const secret of secrets) assert.ok(!diff.includes(secret), `key material in the diff: ${secret.slice(0, 12)}...`);
    assert.match(diff, /^-<redacted>\n\+<generated RSA 2048 private key>$/m);
    assert.match(diff, /^\+ {4}client-key-data: <generated RSA 2048 private key>$/m);
    assert.match(diff, /^- {4}client-key-data: <redacted>$/m);
  });

  it('written: every PEM certificate chains to its CA (openssl verify), keeps subject and SANs, and its key matches', async () => {
    assert.deepEqual(await writeFixes(outcome.changes), []);
    const pki = join(root, 'etc/kubernetes/pki');
    const leaves: [string, string, string][] = [
      ['apiserver.crt', 'apiserver.key', 'ca.crt'],
      ['apiserver-kubelet-client.crt', 'apiserver-kubelet-client.key', 'ca.crt'],
      ['apiserver-etcd-client.crt', 'apiserver-etcd-client.key', 'etcd/ca.crt'],
      ['front-proxy-client.crt', 'front-proxy-client.key', 'front-proxy-ca.crt'],
      ['etcd/server.crt', 'etcd/server.key', 'etcd/ca.crt'],
      ['etcd/peer.crt', 'etcd/peer.key', 'etcd/ca.crt'],
      ['etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key', 'etcd/ca.crt'],
    ];
    for (const [crt, key, ca] of leaves) {
      const before = new X509Certificate(original.get(join(pki, crt))!);
      const after = new X509Certificate(readFileSync(join(pki, crt)));
      assert.equal(await opensslVerify(join(pki, ca), after.toString(), dir, NOW), 'OK', crt);
      assert.ok(after.verify(new X509Certificate(readFileSync(join(pki, ca))).publicKey), crt);
      assert.equal(after.subject, before.subject, crt);
      assert.equal(after.issuer, before.issuer, crt);
      assert.equal(after.subjectAltName, before.subjectAltName, crt);
      assert.deepEqual(after.keyUsage, before.keyUsage, crt);
      assert.notEqual(after.serialNumber, before.serialNumber, crt);
      assert.ok(after.checkPrivateKey(createPrivateKey(readFileSync(join(pki, key)))), `${key} is the new certificate's key`);
      assert.ok(!after.checkPrivateKey(createPrivateKey(original.get(join(pki, key))!)), `${key} is a new key`);
      assert.equal(new Date(after.validTo).getTime() - new Date(after.validFrom).getTime(), (365 * 86_400 + 300) * 1000, crt);
      assert.equal(after.publicKey.asymmetricKeyDetails?.modulusLength, 2048, crt);
    }
    assert.match(new X509Certificate(readFileSync(join(pki, 'apiserver.crt'))).subjectAltName!, /DNS:kubernetes\.default\.svc\.cluster\.local.*IP Address:10\.96\.0\.1/);
    // Keys the node had readable by others are 0600 now (a copy records modes in its sidecar).
    const sidecar = readFileSync(join(root, '.kubeward-stat.tsv'), 'utf8');
    for (const key of ['apiserver.key', 'front-proxy-client.key', 'etcd/server.key']) assert.match(sidecar, new RegExp(`^/etc/kubernetes/pki/${key.replace('.', '\\.')}\\t600\\t`, 'm'));
  });

  it('written: the kubelet client PEM (certificate and key in one file, behind a link) is re-issued in place', async () => {
    const link = join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link stays a link');
    const text = readFileSync(link, 'utf8');
    const cert = new X509Certificate(text.match(PEM_BLOCK)![0]);
    assert.equal(await opensslVerify(join(root, 'etc/kubernetes/pki/ca.crt'), cert.toString(), dir, NOW), 'OK');
    assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:cp-1');
    assert.ok(cert.checkPrivateKey(createPrivateKey(text)));
  });

  it('written: kubeconfig client certificates re-issued, every other byte of the file kept', async () => {
    const ca = join(root, 'etc/kubernetes/pki/ca.crt');
    for (const name of KUBECONFIGS) {
      const file = join(root, 'etc/kubernetes', name);
      const before = original.get(file)!;
      const text = readFileSync(file, 'utf8');
      const blank = (t: string) => t.replace(/(client-certificate-data|client-key-data): \S+/g, '$1: X');
      assert.equal(blank(text), blank(before), name);
      const user = (parse(text) as { users: { user: Record<string, string> }[] }).users[0]!.user;
      const old = new X509Certificate(Buffer.from((parse(before) as { users: { user: Record<string, string> }[] }).users[0]!.user['client-certificate-data']!, 'base64'));
      const cert = new X509Certificate(Buffer.from(user['client-certificate-data']!, 'base64'));
      assert.equal(await opensslVerify(ca, cert.toString(), dir, NOW), 'OK', name);
      assert.equal(cert.subject, old.subject, name);
      assert.ok(cert.checkPrivateKey(createPrivateKey(Buffer.from(user['client-key-data']!, 'base64'))), name);
    }
  });

  it('a second fix changes nothing, and the written files scan as the fix said', async () => {
    const again = await planFixes({ paths: [], nodeRoots: [root], only: CHECKS, unsafe: false, now: NOW });
    assert.deepEqual(again.changes.map((c) => `${c.action} ${c.file}`), []);
    assert.deepEqual(failing(again, 'before'), []);
  });
});

describe('what the re-issue fix leaves to a person', () => {
  const NOW = new Date('2026-06-01T00:00:00Z');
  let certs: CertFactory;
  let root: string;
  before(async () => {
    certs = await CertFactory.create();
    root = join(certs.dir, 'node');
    const pki = join(root, 'etc/kubernetes/pki');
    mkdirSync(join(pki, 'etcd'), { recursive: true });
    const long = { notBefore: new Date('2026-02-01T00:00:00Z'), days: 3650 };
    const put = (path: string, text: string, mode = 0o644) => writeFileSync(join(pki, path), text, { mode });
    // The cluster CA with its key; a leaf whose key is not beside it.
    const ca = await certs.ca('kubernetes', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    put('ca.crt', ca.pem);
    put('ca.key', ca.keyPem, 0o600);
    put('apiserver.crt', (await certs.leaf(ca, 'kube-apiserver', long)).pem);
    // The etcd CA without its key (an external CA).
    const etcdCa = await certs.ca('etcd-ca', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    put('etcd/ca.crt', etcdCa.pem);
    const server = await certs.leaf(etcdCa, 'etcd-server', long);
    put('etcd/server.crt', server.pem);
    put('etcd/server.key', server.keyPem, 0o600);
    // A weak (1024-bit) front-proxy CA: itself a finding, and no signer for a new leaf.
    const weakCa = await certs.ca('front-proxy-ca', { key: { type: 'rsa', bits: 1024 }, notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    put('front-proxy-ca.crt', weakCa.pem);
    put('front-proxy-ca.key', weakCa.keyPem, 0o600);
    const client = await certs.leaf(weakCa, 'front-proxy-client', long);
    put('front-proxy-client.crt', client.pem);
    put('front-proxy-client.key', client.keyPem, 0o600);
    // An expired CA and the expired leaf it signed.
    const oldCa = await certs.ca('old-ca', { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-03-01T00:00:00Z') });
    put('old-ca.crt', oldCa.pem);
    put('old-ca.key', oldCa.keyPem, 0o600);
    const oldLeaf = await certs.leaf(oldCa, 'old-client', { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-02-01T00:00:00Z') });
    put('old-client.crt', oldLeaf.pem);
    put('old-client.key', oldLeaf.keyPem, 0o600);
    // A self-signed leaf (no CA signs a new one).
    const self = await certs.cert({ commonName: 'self-signed', ...long });
    put('self-signed.crt', self.pem);
    put('self-signed.key', self.keyPem, 0o600);
    // An EC CA and an EC leaf with a SEC1 key: this one is fixed.
    const ecCa = await certs.ca('ec-ca', { key: { type: 'ec', curve: 'P-256' }, notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    put('ec-ca.crt', ecCa.pem);
    put('ec-ca.key', ecCa.keyPem, 0o600);
    const ecLeaf = await certs.leaf(ecCa, 'ec-client', { key: { type: 'ec', curve: 'P-256' }, ...long });
    put('ec-client.crt', ecLeaf.pem);
    put('ec-client.key', createPrivateKey(ecLeaf.keyPem).export({ type: 'sec1', format: 'pem' }) as string, 0o600);
  });
  after(async () => certs.remove());

  it('says why for each failure it cannot fix, changes only what it can, and verifies that', async () => {
    const outcome = await planFixes({ paths: [], nodeRoots: [root], only: CHECKS, unsafe: false, now: NOW });
    assert.deepEqual(outcome.introduced, []);
    const why = Object.fromEntries(outcome.remaining.map((r) => [`${r.finding.check} ${r.finding.resource.name.replace(/ on .*/, '')}`, r.why]));
    assert.match(why['leaf-certificate-valid-over-a-year /etc/kubernetes/pki/apiserver.crt']!, /private key is not beside it \(\/etc\/kubernetes\/pki\/apiserver\.key is absent\)/);
    assert.match(why['leaf-certificate-valid-over-a-year /etc/kubernetes/pki/etcd/server.crt']!, /private key of its CA \(CN=etcd-ca\) is not on the node \(looked in \/etc\/kubernetes\/pki\/etcd\/ca\.crt on .*, \/etc\/kubernetes\/pki\/etcd\/ca\.key on .*\)/);
    assert.match(why['leaf-certificate-valid-over-a-year /etc/kubernetes/pki/front-proxy-client.crt']!, /its CA \(CN=front-proxy-ca\) has a 1024-bit RSA key/);
    assert.match(why['certificate-weak-rsa-key /etc/kubernetes/pki/front-proxy-ca.crt']!, /^a CA certificate: replacing it is a CA rotation/);
    assert.match(why['certificate-expired /etc/kubernetes/pki/old-client.crt']!, /its CA \(CN=old-ca\) expired on 2026-03-01/);
    assert.match(why['certificate-expired /etc/kubernetes/pki/old-ca.crt']!, /^a CA certificate/);
    assert.match(why['leaf-certificate-valid-over-a-year /etc/kubernetes/pki/self-signed.crt']!, /^a self-signed certificate: no CA re-issues it/);
    assert.equal(outcome.remaining.filter((r) => CHECKS.includes(r.finding.check)).length, 7);
    assert.deepEqual(outcome.fixed.map((f) => `${f.check} ${f.resource.name.replace(/ on .*/, '')}`), ['leaf-certificate-valid-over-a-year /etc/kubernetes/pki/ec-client.crt']);
    assert.deepEqual(outcome.changes.map((c) => `${c.action} ${c.nodePath}`).sort(), ['edit /etc/kubernetes/pki/ec-client.crt', 'edit /etc/kubernetes/pki/ec-client.key']);

    assert.deepEqual(await writeFixes(outcome.changes), []);
    const pki = join(root, 'etc/kubernetes/pki');
    const cert = new X509Certificate(readFileSync(join(pki, 'ec-client.crt')));
    assert.equal(await opensslVerify(join(pki, 'ec-ca.crt'), cert.toString(), certs.dir, NOW), 'OK');
    const key = readFileSync(join(pki, 'ec-client.key'), 'utf8');
    assert.match(key, /^-----BEGIN EC PRIVATE KEY-----\n/, 'the key keeps its SEC1 format');
    assert.ok(cert.checkPrivateKey(createPrivateKey(key)));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal((await run('openssl', ['x509', '-in', join(pki, 'ec-client.crt'), '-noout', '-text'])).stdout.match(/Signature Algorithm: (\S+)/)![1], 'ecdsa-with-SHA256');
  });
});

describe('private keys never reach a diff', () => {
  it('PEM key blocks keep their armour only; base64 of a PEM key (a kubeconfig, even in flow style) is redacted; certificates and generated placeholders stay', () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFakeKeyMaterial\nAAAA\n-----END EC PRIVATE KEY-----';
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBCertBody\n-----END CERTIFICATE-----';
    const keyB64 = Buffer.from(`${key}\n`).toString('base64');
    const certB64 = Buffer.from(`${cert}\n`).toString('base64');
    const text = `${cert}\n${key}\nusers:\n- user: {client-certificate-data: ${certB64}, client-key-data: ${keyB64}}\n`;
    const out = redactPrivateKeys(text);
    assert.equal(out, `${cert}\n-----BEGIN EC PRIVATE KEY-----\n<redacted>\n-----END EC PRIVATE KEY-----\nusers:\n- user: {client-certificate-data: ${certB64}, client-key-data: <redacted>}\n`);
    const shown = '-----BEGIN RSA PRIVATE KEY-----\n<generated RSA 2048 private key>\n-----END RSA PRIVATE KEY-----\n';
    assert.equal(redactPrivateKeys(shown), shown);
    // Through a whole diff of a key file rewritten.
    const diff = unifiedDiff({ file: '/r/etc/kubernetes/pki/etcd/peer.key', action: 'edit', checks: [], safety: 'safe', before: `${key}\n`, after: '-----BEGIN EC PRIVATE KEY-----\nMHcNEWKEY\n-----END EC PRIVATE KEY-----\n', display: shown });
    assert.ok(!/FakeKeyMaterial|NEWKEY/.test(diff), diff);
    assert.match(diff, /^-<redacted>$/m);
  });
});
