import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Inventory } from '../../inventory/inventory.js';
import { CertFactory, type GeneratedCert } from '../../testing/certs.js';
import { inventoryFromYaml, runCheckOnYaml, runExample } from '../../testing/index.js';
import bootstrapTokenSecretPresent from './bootstrap-token-secret-present.js';
import certificateExpired from './certificate-expired.js';
import certificateExpiringSoon from './certificate-expiring-soon.js';
import legacyServiceAccountTokenSecret from './legacy-service-account-token-secret.js';
import { goDurationSeconds } from './service-account-token-max-expiration-long.js';

describe('credential-rotation', () => {
  let certs: CertFactory;
  let ca: GeneratedCert;
  before(async () => {
    certs = await CertFactory.create();
    ca = await certs.ca('kubernetes', { notBefore: new Date('2025-01-01T00:00:00Z') });
  });
  after(async () => certs.remove());

  it('judges client certificates embedded in kubeconfig files, with the field that holds them', async () => {
    const expired = await certs.leaf(ca, 'system:node:worker-1', { organization: 'system:nodes', usage: ['clientAuth'], notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    const soon = await certs.leaf(ca, 'kubernetes-admin', { organization: 'system:masters', usage: ['clientAuth'], notBefore: new Date('2025-06-01T00:00:00Z'), notAfter: new Date('2026-06-15T00:00:00Z') });
    const kubeconfig = (user: GeneratedCert, name: string) => `apiVersion: v1
kind: Config
users:
- name: ${name}
  user: {client-certificate-data: ${Buffer.from(user.pem).toString('base64')}}`;
    const inventory = (): Inventory => new Inventory([...inventoryFromYaml(kubeconfig(expired, 'kubelet'), '/etc/kubernetes/kubelet.conf').items, ...inventoryFromYaml(kubeconfig(soon, 'admin'), '/etc/kubernetes/admin.conf').items]);
    const example = { description: 'kubeconfigs', build: inventory, now: '2026-06-01T00:00:00Z' };

    const expiredResults = await runExample(certificateExpired, example);
    assert.deepEqual(expiredResults.map((r) => [r.status, r.subject.location?.file, r.status === 'fail' ? [r.field, r.message] : null]), [
      ['fail', '/etc/kubernetes/kubelet.conf', ['users[0].user.client-certificate-data', 'client certificate of user "kubelet" in kubeconfig /etc/kubernetes/kubelet.conf (CN=system:node:worker-1, O=system:nodes) expired on 2026-01-01, 151 day(s) before the scan']],
      ['pass', '/etc/kubernetes/admin.conf', null],
    ]);
    const soonResults = await runExample(certificateExpiringSoon, example);
    assert.deepEqual(soonResults.map((r) => [r.status, r.status === 'fail' ? r.message : null]), [
      ['fail', 'client certificate of user "admin" in kubeconfig /etc/kubernetes/admin.conf (CN=kubernetes-admin, O=system:masters) expires on 2026-06-15, in 14 day(s)'],
    ]);
  });

  it('leaves an unreadable certificate to the scan\'s input errors: no result of its own, never a pass', async () => {
    const { hostWithCertificates } = await import('../../testing/certs.js');
    const results = await runExample(certificateExpired, {
      description: 'garbage',
      build: () => new Inventory([], { hosts: [hostWithCertificates('n1', { '/etc/kubernetes/pki/ca.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })] }),
    });
    assert.deepEqual(results, []);
  });

  it('never reads token Secret values into findings', async () => {
    const marker = Buffer.from('SECRET-TOKEN-VALUE').toString('base64');
    const yaml = `apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata: {name: old-token, namespace: apps, annotations: {kubernetes.io/service-account.name: builder}, labels: {kubernetes.io/legacy-token-invalid-since: "2026-01-10"}}
data: {token: ${marker}, ca.crt: ${marker}}
---
apiVersion: v1
kind: Secret
type: bootstrap.kubernetes.io/token
metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
data: {token-id: YWJjZGVm, token-secret: ${marker}, expiration: ${Buffer.from('2026-07-01T00:00:00Z').toString('base64')}}`;
    const legacy = await runCheckOnYaml(legacyServiceAccountTokenSecret, yaml);
    assert.deepEqual(legacy.map((r) => [r.status, r.status === 'fail' ? [r.severity, r.message] : null]), [
      ['fail', ['low', 'Secret apps/old-token holds a legacy token of ServiceAccount apps/builder; invalidated by the token cleaner since 2026-01-10, still stored']],
    ]);
    const bootstrap = await runExample(bootstrapTokenSecretPresent, { description: 'valid token', yaml, now: '2026-06-01T00:00:00Z' });
    assert.deepEqual(bootstrap.map((r) => [r.status, r.status === 'fail' ? [r.severity, r.message] : null]), [
      ['fail', ['low', 'bootstrap token bootstrap-token-abcdef is valid until 2026-07-01T00:00:00Z; delete it once the nodes it was made for have joined']],
    ]);
    assert.ok(!JSON.stringify([legacy, bootstrap]).includes('SECRET-TOKEN-VALUE') && !JSON.stringify([legacy, bootstrap]).includes(marker));
  });

  it('does not call a token without expiration when Secret data was not read (live scans)', async () => {
    const { items } = inventoryFromYaml(`apiVersion: v1
kind: Secret
type: bootstrap.kubernetes.io/token
metadata: {name: bootstrap-token-abcdef, namespace: kube-system}`);
    const inventory = new Inventory([...items], { gaps: [{ scope: 'secret-data', reason: 'Secrets are read as metadata only' }] });
    const results = await runExample(bootstrapTokenSecretPresent, { description: 'live', build: () => inventory });
    assert.deepEqual(results.map((r) => [r.status, r.status === 'fail' ? [r.severity ?? 'check severity', r.message] : null]), [
      ['fail', ['check severity', 'bootstrap token bootstrap-token-abcdef is still present; whether it expires is unknown (Secrets are read as metadata only)']],
    ]);
  });

  it('is not evaluated when Secrets could not be listed', async () => {
    const inventory = new Inventory([], { gaps: [{ scope: 'secrets', reason: 'forbidden: cannot list secrets' }] });
    const results = await runExample(bootstrapTokenSecretPresent, { description: 'gap', build: () => inventory });
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
  });

  it('parses Go durations as kube-apiserver flags take them', () => {
    assert.equal(goDurationSeconds('24h'), 86_400);
    assert.equal(goDurationSeconds('1h30m'), 5_400);
    assert.equal(goDurationSeconds('8760h0m0s'), 31_536_000);
    assert.equal(goDurationSeconds('1.5h'), 5_400);
    assert.equal(goDurationSeconds('1 day'), undefined);
    assert.equal(goDurationSeconds('24'), undefined);
  });
});
