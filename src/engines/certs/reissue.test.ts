import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CertFactory, type GeneratedCert } from '../../testing/certs.js';
import { certificateFacts } from './certificate.js';
import { childrenOf, decodeOid, readTlv, TAG } from './der.js';
import { newKeySpecFor, privateKeyPem, privateKeysIn, reissueCertificate, ReissueError, type Reissued } from './reissue.js';

const run = promisify(execFile);
const SKI = '2.5.29.14';

/** Each extension of a certificate: OID -> the whole Extension element in hex, read from its DER. */
function extensionsOf(der: Buffer): Map<string, string> {
  const [tbs] = childrenOf(der, readTlv(der, 0));
  const wrapper = childrenOf(der, tbs!).find((t) => t.tag === TAG.context3)!;
  const [list] = childrenOf(der, wrapper);
  return new Map(childrenOf(der, list!).map((e) => [decodeOid(der, childrenOf(der, e)[0]!), der.subarray(e.start, e.end).toString('hex')]));
}

describe('re-issuing a certificate with its CA key', () => {
  let certs: CertFactory;
  let ca: GeneratedCert;
  before(async () => {
    certs = await CertFactory.create();
    ca = await certs.ca('kubernetes', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
  });
  after(async () => certs.remove());

  /** openssl's own verdict on the chain, and the text of one extension as openssl prints it. */
  async function verify(issuer: GeneratedCert, reissued: Reissued, name: string, at: Date): Promise<string> {
    const file = join(certs.dir, `${name}.reissued.crt`);
    await writeFile(file, reissued.pem);
    const { stdout } = await run('openssl', ['verify', '-attime', String(Math.floor(at.getTime() / 1000)), '-CAfile', issuer.certPath, file]);
    return stdout.trim();
  }
  async function opensslExtension(pem: string, name: string, ext: string): Promise<string> {
    const file = join(certs.dir, `${name}.ext.crt`);
    await writeFile(file, pem);
    return (await run('openssl', ['x509', '-in', file, '-noout', '-ext', ext])).stdout.replace(/^.*\n/, '').trim();
  }

  it('keeps subject, issuer, SANs and every extension but the key identifier; new key, serial, validity and SHA-256 signature', async () => {
    const old = await certs.leaf(ca, 'kube-apiserver-kubelet-client', {
      organization: 'kubeadm:cluster-admins', key: { type: 'rsa', bits: 1024 }, digest: 'sha1',
      altNames: ['DNS:cp-1', 'DNS:kubernetes.default.svc', 'IP:10.96.0.1', 'IP:::1'], notBefore: new Date('2026-02-01T00:00:00Z'), days: 3650,
    });
    const notBefore = new Date('2026-06-01T00:00:00Z');
    const notAfter = new Date('2027-06-01T00:00:00Z');
    const reissued = reissueCertificate({ old: old.x509, issuer: ca.x509, issuerKey: createPrivateKey(ca.keyPem), notBefore, notAfter });
    const cert = reissued.certificate;

    assert.equal(await verify(ca, reissued, 'rsa', new Date('2026-07-01T00:00:00Z')), `${join(certs.dir, 'rsa.reissued.crt')}: OK`);
    assert.equal(cert.subject, old.x509.subject);
    assert.equal(cert.issuer, old.x509.issuer);
    assert.equal(cert.subjectAltName, old.x509.subjectAltName);
    assert.deepEqual(cert.keyUsage, old.x509.keyUsage);
    assert.ok(cert.checkPrivateKey(reissued.privateKey));
    assert.ok(!cert.checkPrivateKey(createPrivateKey(old.keyPem)), 'a new key pair, not the old one');

    const facts = certificateFacts(cert);
    assert.deepEqual(facts.key, { type: 'rsa', bits: 2048 });
    assert.equal(facts.signature.name, 'sha256WithRSAEncryption');
    assert.deepEqual([facts.notBefore.toISOString(), facts.notAfter.toISOString()], [notBefore.toISOString(), notAfter.toISOString()]);
    assert.notEqual(cert.serialNumber, old.x509.serialNumber);
    assert.match(cert.serialNumber, /^[0-7][0-9A-F]{31}$/, 'a positive 16-byte serial');

    // The extensions as DER: all but subjectKeyIdentifier byte for byte (authorityKeyIdentifier included).
    const before = extensionsOf(old.x509.raw);
    const now = extensionsOf(cert.raw);
    assert.deepEqual([...now.keys()], [...before.keys()]);
    for (const [oid, hex] of before) if (oid !== SKI) assert.equal(now.get(oid), hex, oid);
    assert.notEqual(now.get(SKI), before.get(SKI));
    // The identifier is the one openssl derives from the new key (subjectKeyIdentifier = hash).
    const keyFile = join(certs.dir, 'new.key');
    await writeFile(keyFile, reissued.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const self = (await run('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=x', '-days', '1', '-addext', 'subjectKeyIdentifier=hash'])).stdout;
    assert.equal(await opensslExtension(reissued.pem, 'ski-new', 'subjectKeyIdentifier'), await opensslExtension(self, 'ski-openssl', 'subjectKeyIdentifier'));

    // Random serials: a second re-issue differs.
    const again = reissueCertificate({ old: old.x509, issuer: ca.x509, issuerKey: createPrivateKey(ca.keyPem), notBefore, notAfter });
    assert.notEqual(again.certificate.serialNumber, cert.serialNumber);
  });

  it('an EC CA signs with ecdsa-with-SHA256; an EC leaf gets a new key on its curve; GeneralizedTime after 2049', async () => {
    const ecCa = await certs.ca('etcd-ca', { key: { type: 'ec', curve: 'P-384' }, digest: 'sha384', notBefore: new Date('2026-01-01T00:00:00Z'), days: 36500 });
    const old = await certs.leaf(ecCa, 'etcd-peer', { key: { type: 'ec', curve: 'P-384' }, notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2025-01-01T00:00:00Z') });
    const reissued = reissueCertificate({ old: old.x509, issuer: ecCa.x509, issuerKey: createPrivateKey(ecCa.keyPem), notBefore: new Date('2049-12-31T00:00:00Z'), notAfter: new Date('2050-06-01T00:00:00Z') });
    assert.match(await verify(ecCa, reissued, 'ec', new Date('2050-01-01T00:00:00Z')), /: OK$/);
    const facts = certificateFacts(reissued.certificate);
    assert.deepEqual(facts.key, { type: 'ec', bits: 384, curve: 'secp384r1' });
    assert.equal(facts.signature.name, 'ecdsa-with-SHA256');
    assert.equal(facts.notAfter.toISOString(), '2050-06-01T00:00:00.000Z');
    assert.equal(reissued.keyLabel, 'EC secp384r1');
  });

  it('refuses a CA that did not issue it, a key that is not the CA\'s, and an empty validity', async () => {
    const other = await certs.ca('other-ca');
    const old = await certs.leaf(ca, 'kube-apiserver');
    const window = { notBefore: new Date('2026-06-01T00:00:00Z'), notAfter: new Date('2027-06-01T00:00:00Z') };
    assert.throws(() => reissueCertificate({ old: old.x509, issuer: other.x509, issuerKey: createPrivateKey(other.keyPem), ...window }), ReissueError);
    assert.throws(() => reissueCertificate({ old: old.x509, issuer: ca.x509, issuerKey: createPrivateKey(other.keyPem), ...window }), /not the issuer's/);
    assert.throws(() => reissueCertificate({ old: old.x509, issuer: ca.x509, issuerKey: createPrivateKey(ca.keyPem), notBefore: window.notAfter, notAfter: window.notBefore }), /notAfter/);
  });

  it('chooses the new key from the old: RSA at least 2048 bits (more when it had more), EC on its standard curve', async () => {
    const weak = await certs.leaf(ca, 'weak', { key: { type: 'rsa', bits: 1024 } });
    const strong = await certs.leaf(ca, 'strong', { key: { type: 'rsa', bits: 3072 } });
    const ec = await certs.leaf(ca, 'ec', { key: { type: 'ec', curve: 'P-256' } });
    assert.deepEqual(newKeySpecFor(weak.x509), { type: 'rsa', bits: 2048, label: 'RSA 2048' });
    assert.deepEqual(newKeySpecFor(strong.x509), { type: 'rsa', bits: 3072, label: 'RSA 3072' });
    assert.deepEqual(newKeySpecFor(ec.x509), { type: 'ec', curve: 'prime256v1', label: 'EC prime256v1' });
  });

  it('writes new keys in the old key\'s PEM format, and finds the keys of a PEM text', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    assert.match(privateKeyPem(rsa, 'RSA PRIVATE KEY'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(privateKeyPem(rsa, 'PRIVATE KEY'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(privateKeyPem(ec, 'EC PRIVATE KEY'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    // A label that cannot hold the key falls back to PKCS#8.
    assert.match(privateKeyPem(ec, 'RSA PRIVATE KEY'), /^-----BEGIN PRIVATE KEY-----\n/);
    const text = `${ca.pem}${privateKeyPem(ec, 'EC PRIVATE KEY')}-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n`;
    const found = privateKeysIn(text);
    assert.deepEqual(found.map((k) => [k.label, k.key.asymmetricKeyType, text.slice(k.start, k.start + 30)]), [['EC PRIVATE KEY', 'ec', '-----BEGIN EC PRIVATE KEY-----']]);
  });
});
