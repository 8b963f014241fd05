// End to end: real certificates in a node root folder, read by `kubeward scan --node-root`.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CertFactory } from '../../testing/certs.js';
import { REPO_ROOT } from '../../testing/index.js';

const run = promisify(execFile);

describe('certificates of a node root, through the CLI', () => {
  let certs: CertFactory;
  let root: string;
  before(async () => {
    certs = await CertFactory.create();
    root = await mkdtemp(join(tmpdir(), 'kubeward-node-'));
    const pki = join(root, 'etc/kubernetes/pki');
    await mkdir(join(pki, 'etcd'), { recursive: true });
    const ca = await certs.ca('kubernetes', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    const files: [string, Promise<{ certPath: string }>][] = [
      ['ca.crt', Promise.resolve(ca)],
      ['apiserver.crt', certs.leaf(ca, 'kube-apiserver', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 365 })],
      ['apiserver-kubelet-client.crt', certs.leaf(ca, 'kube-apiserver-kubelet-client', { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z'), usage: ['clientAuth'] })],
      ['front-proxy-client.crt', certs.leaf(ca, 'front-proxy-client', { key: { type: 'rsa', bits: 1024 }, digest: 'sha1', usage: ['clientAuth'], notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 })],
      ['etcd/server.crt', certs.leaf(ca, 'etcd-server', { key: { type: 'ec', curve: 'P-256' }, notBefore: new Date('2025-06-20T00:00:00Z'), notAfter: new Date('2026-06-20T00:00:00Z') })],
    ];
    for (const [name, cert] of files) await copyFile((await cert).certPath, join(pki, name));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
    await certs.remove();
  });

  it('reports each bad certificate once, with its file', async () => {
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), 'scan', '--node-root', root, '--format', 'json', '--fail-on', 'none', '--now', '2026-06-01T00:00:00Z']);
    const report = JSON.parse(stdout) as { findings: { check: string; status: string; severity: string; location?: { file: string } }[] };
    const mine = new Set(['certificate-expired', 'certificate-expiring-soon', 'leaf-certificate-valid-over-a-year', 'certificate-weak-rsa-key', 'certificate-weak-signature']);
    const failures = report.findings
      .filter((f) => mine.has(f.check) && f.status === 'fail')
      .map((f) => `${f.check} ${f.severity} ${f.location?.file.slice(root.length)}`)
      .sort();
    assert.deepEqual(failures, [
      'certificate-expired high /etc/kubernetes/pki/apiserver-kubelet-client.crt',
      'certificate-expiring-soon medium /etc/kubernetes/pki/etcd/server.crt',
      'certificate-weak-rsa-key medium /etc/kubernetes/pki/front-proxy-client.crt',
      'certificate-weak-signature medium /etc/kubernetes/pki/front-proxy-client.crt',
      'leaf-certificate-valid-over-a-year low /etc/kubernetes/pki/front-proxy-client.crt',
    ]);
  });
});
