import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Inventory } from '../../inventory/inventory.js';
import { CertFactory, hostWithCertificates, type GeneratedCert } from '../../testing/certs.js';
import { inventoryFromYaml } from '../../testing/index.js';
import { certificateFacts, daysLeft, isWeakRsa, lifetimeDays, parsePemBundle } from './certificate.js';
import { collectCertificates, issuerOf, kubeconfigCertificateErrors, pemErrors } from './collect.js';

const run = promisify(execFile);

/** openssl's own reading of the signature algorithm, to compare with the DER reader. */
async function opensslSignatureAlgorithm(cert: GeneratedCert): Promise<string> {
  const { stdout } = await run('openssl', ['x509', '-in', cert.certPath, '-noout', '-text']);
  return /Signature Algorithm: (\S+)/.exec(stdout)![1]!;
}

describe('certificate facts', () => {
  let certs: CertFactory;
  let ca: GeneratedCert;
  before(async () => {
    certs = await CertFactory.create();
    ca = await certs.ca('kubernetes-ca');
  });
  after(async () => certs.remove());

  it('reads key, signature algorithm and CA flag as openssl does', async () => {
    const cases = [
      { cert: await certs.leaf(ca, 'rsa2048'), key: { type: 'rsa', bits: 2048 }, hash: 'sha256' },
      { cert: await certs.leaf(ca, 'rsa1024-sha1', { key: { type: 'rsa', bits: 1024 }, digest: 'sha1' }), key: { type: 'rsa', bits: 1024 }, hash: 'sha1' },
      { cert: await certs.leaf(ca, 'ec', { key: { type: 'ec', curve: 'P-256' }, digest: 'sha384' }), key: { type: 'ec', bits: 256, curve: 'prime256v1' }, hash: 'sha384' },
    ];
    for (const c of cases) {
      const facts = certificateFacts(c.cert.x509);
      assert.deepEqual(facts.key, c.key);
      assert.equal(facts.signature.hash, c.hash);
      // The leaf's signature is made with the CA's RSA key.
      assert.equal(facts.signature.name, await opensslSignatureAlgorithm(c.cert));
      assert.equal(facts.isCA, false);
      assert.equal(facts.selfSigned, false);
    }
    const ecCa = await certs.ca('ec-ca', { key: { type: 'ec', curve: 'P-384' }, digest: 'sha384' });
    const ecFacts = certificateFacts(ecCa.x509);
    assert.equal(ecFacts.signature.name, 'ecdsa-with-SHA384');
    assert.equal(ecFacts.signature.name, await opensslSignatureAlgorithm(ecCa));
    assert.equal(ecFacts.isCA, true);
    assert.equal(ecFacts.selfSigned, true);
    assert.equal(isWeakRsa(certificateFacts(cases[1]!.cert.x509)), true);
    assert.equal(isWeakRsa(certificateFacts(cases[0]!.cert.x509)), false);
  });

  it('reads the hash of an RSASSA-PSS signature from its parameters', async () => {
    const pss = await certs.leaf(ca, 'pss', { pss: true, digest: 'sha256' });
    const facts = certificateFacts(pss.x509);
    assert.deepEqual([facts.signature.name, facts.signature.oid, facts.signature.hash], ['RSASSA-PSS', '1.2.840.113549.1.1.10', 'sha256']);
    assert.equal(await opensslSignatureAlgorithm(pss), 'rsassaPss');
  });

  it('reads exact validity times, before 2050 (UTCTime) and after (GeneralizedTime)', async () => {
    const expired = await certs.leaf(ca, 'old', { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T12:30:00Z') });
    const longLived = await certs.leaf(ca, 'long', { notBefore: new Date('2024-06-01T00:00:00Z'), notAfter: new Date('2054-06-01T00:00:00Z') });
    const e = certificateFacts(expired.x509);
    assert.deepEqual([e.notBefore.toISOString(), e.notAfter.toISOString()], ['2020-01-01T00:00:00.000Z', '2021-01-01T12:30:00.000Z']);
    assert.ok(daysLeft(e, new Date('2021-01-01T00:30:00Z')) === 0.5);
    const l = certificateFacts(longLived.x509);
    assert.equal(l.notAfter.toISOString(), '2054-06-01T00:00:00.000Z');
    assert.equal(Math.round(lifetimeDays(l)), 10957);
  });

  it('parses every certificate of a bundle and reports the ones it cannot read', async () => {
    const a = await certs.leaf(ca, 'a');
    const broken = '-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n';
    const entries = parsePemBundle(`${a.pem}${a.keyPem}${broken}${ca.pem}`);
    assert.equal(entries.length, 3);
    assert.ok('facts' in entries[0]! && entries[0].facts.subject === 'CN=a');
    assert.ok('error' in entries[1]! && /certificate 2 of the bundle cannot be parsed/.test(entries[1].error));
    assert.ok('facts' in entries[2]! && entries[2].facts.isCA);
  });

  it('collects node certificates and kubeconfig-embedded ones, and finds issuers', async () => {
    const client = await certs.leaf(ca, 'kubernetes-admin', { organization: 'system:masters', usage: ['clientAuth'] });
    const kubeconfig = inventoryFromYaml(`apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${Buffer.from(ca.pem).toString('base64')}}
users:
- name: kubernetes-admin
  user: {client-certificate-data: ${Buffer.from(client.pem).toString('base64')}, client-key-data: REDACTED}
`, '/etc/kubernetes/admin.conf');
    const inventory = new Inventory([...kubeconfig.items], {
      hosts: [hostWithCertificates('cp-1', { '/etc/kubernetes/pki/ca.crt': ca, '/etc/kubernetes/pki/empty.crt': '' }, '/tmp/root')],
    });
    const found = collectCertificates(inventory);
    assert.deepEqual(found.map((c) => [c.label, c.field ?? null, c.facts.subject]), [
      ['/etc/kubernetes/pki/ca.crt on cp-1', null, 'CN=kubernetes-ca'],
      ['client certificate of user "kubernetes-admin" in kubeconfig /etc/kubernetes/admin.conf', 'users[0].user.client-certificate-data', 'CN=kubernetes-admin, O=system:masters'],
      ['CA of cluster "kubernetes" in kubeconfig /etc/kubernetes/admin.conf', 'clusters[0].cluster.certificate-authority-data', 'CN=kubernetes-ca'],
    ]);
    assert.equal(found[0]!.location.file, '/tmp/root/etc/kubernetes/pki/ca.crt');
    assert.equal(issuerOf(found[1]!.facts, found)?.subject, 'CN=kubernetes-ca');
    assert.equal(issuerOf(found[0]!.facts, found), undefined);
  });

  it('leaves certificates that do not parse to input errors at their line, once each', () => {
    const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    assert.deepEqual(pemErrors(`# bundle\n${ca.pem}${bad}`, '/r/ca.crt').map((e) => [e.source, e.line, e.message.replace(/: error:.*/, '')]), [
      ['/r/ca.crt', 2 + ca.pem.trimEnd().split('\n').length, 'certificate 2 of the bundle cannot be parsed'],
    ]);
    assert.deepEqual(pemErrors(ca.pem, '/r/ca.crt'), []);
    const kubeconfig = inventoryFromYaml(`apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${Buffer.from(bad).toString('base64')}}
- name: b
  cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: bm90IGEgY2VydA==}
users: "not a list"
`, '/etc/kubernetes/admin.conf');
    const item = kubeconfig.items[0]!;
    assert.deepEqual(kubeconfigCertificateErrors(item).map((e) => e.message.replace(/: error:.*/, '')), [
      'kubeconfig clusters[0].cluster.certificate-authority-data: certificate 1 of the bundle cannot be parsed',
      'kubeconfig clusters[1].cluster.certificate-authority-data holds no PEM certificate',
    ]);
    assert.deepEqual(collectCertificates(new Inventory([item])), []);
  });
});
