// `kubeward scan --cluster` and `kubeward snapshot` end to end, as a user runs them, against the
// in-repo HTTPS API server: the live scan and the scan of its snapshot give the same report.

import assert from 'node:assert/strict';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScan } from '../src/scan/run.js';
import { loadCluster } from '../src/sources/cluster/index.js';
import { loadPaths } from '../src/sources/files.js';
import { writeSnapshot } from '../src/sources/snapshot.js';
import { startTestApiServer, type TestApiServer } from '../src/testing/apiserver/index.js';
import { kubeward } from '../src/testing/apiserver/cli.js';
import { SECRET_VALUE, kubeadmCluster } from '../src/testing/apiserver/fixtures.js';
import { REPO_ROOT } from '../src/testing/index.js';

const NOW = '2026-06-01T00:00:00Z';

/** A report without what legitimately differs between two scans of the same input. */
function comparable(json: string): unknown {
  const report = JSON.parse(json) as Record<string, unknown>;
  delete report.generatedAt;
  delete report.sources;
  return report;
}

describe('live scan and snapshot', () => {
  let server: TestApiServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    server = await startTestApiServer(kubeadmCluster());
    dir = await mkdtemp(join(tmpdir(), 'kubeward-live-'));
    kubeconfig = join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('kubernetes-admin', 'system:masters') }, 'kind-test');
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scans the snapshot offline with the same report as the live scan (CLI)', async () => {
    const common = ['--format', 'json', '--now', NOW, '--no-progress'];
    const live = await kubeward(['scan', '--cluster', '--kubeconfig', kubeconfig, ...common]);
    assert.equal(live.stderr, '');
    const snapshotDir = join(dir, 'snap-cli');
    const snap = await kubeward(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '-o', snapshotDir, '--no-progress']);
    assert.equal(snap.code, 0, snap.stderr);
    assert.match(snap.stderr, /wrote \d+ objects \(\d+ files\) from https:\/\/127\.0\.0\.1:\d+ to /);
    const offline = await kubeward(['scan', snapshotDir, ...common]);
    assert.equal(offline.code, live.code);
    const liveReport = comparable(live.stdout) as { findings: unknown[]; kubernetesVersion: string; kubernetesVersionSource: string };
    assert.ok(liveReport.findings.length > 0, 'the example cluster has findings');
    assert.equal(liveReport.kubernetesVersion, 'v1.30.4');
    assert.equal(liveReport.kubernetesVersionSource, `${server.url}/version`);
    assert.deepEqual(comparable(offline.stdout), liveReport);

    const sources = (JSON.parse(live.stdout) as { sources: { type: string; name: string }[] }).sources;
    assert.deepEqual(sources.map((s) => [s.type, s.name]), [['cluster', `kind-test (${server.url})`]]);
    // nothing of a Secret's value on disk
    for (const file of await readdir(snapshotDir)) {
      const text = await readFile(join(snapshotDir, file), 'utf8');
      assert.ok(!text.includes(SECRET_VALUE) && !text.includes(Buffer.from(SECRET_VALUE).toString('base64')), file);
    }
  });

  it('reads a live cluster against CIS 1.12: kubelets from /configz and the control plane\'s pods are judged, node files are not evaluated', async () => {
    const common = ['--format', 'json', '--now', NOW, '--no-progress', '--framework', 'cis-1.12', '--fail-on', 'none'];
    const live = await kubeward(['scan', '--cluster', '--kubeconfig', kubeconfig, ...common]);
    assert.equal(live.code, 0, live.stderr);
    const framework = (JSON.parse(live.stdout) as { framework: { controls: { id: string; verdict: string }[] } }).framework;
    const verdict = (id: string) => framework.controls.find((c) => c.id === id)!.verdict;
    for (const id of ['4.2.1', '4.2.4', '1.2.7', '1.2.14']) assert.ok(['pass', 'fail'].includes(verdict(id)), `${id}: ${verdict(id)}`);
    // File modes and owners are on the nodes, which an API server does not show: never a pass.
    for (const id of ['1.1.1', '1.1.13', '4.1.9']) assert.equal(verdict(id), 'not-evaluated', id);
    // A snapshot of it is read the same way.
    const snapshotDir = join(dir, 'snap-cis');
    assert.equal((await kubeward(['snapshot', '--cluster', '--kubeconfig', kubeconfig, '-o', snapshotDir, '--no-progress'])).code, 0);
    const offline = await kubeward(['scan', snapshotDir, ...common]);
    assert.deepEqual((JSON.parse(offline.stdout) as { framework: unknown }).framework, framework);
  });

  it('keeps gaps, errors and locations through the snapshot (library)', async () => {
    server.faults.push({ match: /^\/api\/v1\/nodes\/worker1\/proxy\/configz/, mode: 'server-error', status: 503 });
    try {
      const live = await loadCluster({ kubeconfig, attempts: 2, baseDelayMs: 5 });
      assert.equal(live.result.errors.length, 1);
      assert.equal(live.result.errors[0]!.source, `${server.url}/api/v1/nodes/worker1/proxy/configz`);
      assert.match(live.result.gaps.find((g) => g.scope === 'kubelet-config')?.reason ?? '', /1 of 3 nodes: worker1/);
      const snapshotDir = join(dir, 'snap-lib');
      await writeSnapshot(snapshotDir, live.result, { server: live.server, context: live.context, now: new Date(NOW) });
      const offline = await loadPaths([snapshotDir]);
      assert.deepEqual(offline.errors, live.result.errors);
      assert.deepEqual(offline.gaps, live.result.gaps);
      assert.deepEqual(offline.version, live.result.version);
      assert.deepEqual(offline.skipped, live.result.skipped);
      assert.deepEqual(offline.items.map((i) => i.location), live.result.items.map((i) => i.location));
      assert.deepEqual(offline.items.map((i) => i.object), live.result.items.map((i) => i.object));
      const a = runScan(live.result, { now: new Date(NOW) });
      const b = runScan(offline, { now: new Date(NOW) });
      assert.deepEqual({ ...b, generatedAt: '', sources: [] }, { ...a, generatedAt: '', sources: [] });
    } finally {
      server.faults.splice(0);
    }
  });

  it('says which snapshot files were edited or left out', async () => {
    const live = await loadCluster({ kubeconfig });
    const snapshotDir = join(dir, 'snap-partial');
    const doc = await writeSnapshot(snapshotDir, live.result, { server: live.server, context: live.context, now: new Date(NOW) });
    const nodesFile = doc.files.find((f) => f.kind === 'Node')!;
    await rm(join(snapshotDir, nodesFile.file));
    const offline = await loadPaths([snapshotDir]);
    assert.ok(offline.errors.some((e) => e.message.startsWith(`${nodesFile.file}: the snapshot lists 3 objects but 0 were read`)));
    await assert.rejects(writeSnapshot(snapshotDir, live.result, { server: live.server, context: live.context, now: new Date(NOW) }), /is not empty; a snapshot needs an empty or new folder/);
  });

  it('honours KUBECONFIG and --context, and refuses an unknown context', async () => {
    const other = join(dir, 'other.kubeconfig');
    await server.writeKubeconfig(other, { cert: await server.clientCert('kubernetes-admin', 'system:masters') }, 'second');
    const viaEnv = await kubeward(['scan', '--cluster', '--context', 'second', '--format', 'json', '--now', NOW, '--fail-on', 'none'], { KUBECONFIG: `${kubeconfig}:${other}` });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal((JSON.parse(viaEnv.stdout) as { sources: { name: string }[] }).sources[0]!.name, `second (${server.url})`);
    const unknown = await kubeward(['scan', '--cluster', '--context', 'nope'], { KUBECONFIG: kubeconfig });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /context "nope" is not in the kubeconfig \(contexts: kind-test\)/);
    const noSnapshotDir = await kubeward(['snapshot', '--cluster', '--kubeconfig', kubeconfig]);
    assert.equal(noSnapshotDir.code, 2);
    assert.match(noSnapshotDir.stderr, /give -o DIR/);
  });

  it('fails clearly, with exit code 2, when the credentials are refused', async () => {
    const bad = join(dir, 'bad.kubeconfig');
    await server.writeKubeconfig(bad, { token: 'not-a-valid-token' });
    const result = await kubeward(['scan', '--cluster', '--kubeconfig', bad]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the API of https:\/\/127\.0\.0\.1:\d+ \(context "test"\): 401 Unauthorized/);
    assert.ok(!result.stderr.includes('    at '), 'no stack trace');
  });
});

describe('the example clusters through the API', () => {
  for (const example of ['insecure-cluster', 'hardened-cluster']) {
    it(`${example}: the live scan fails what the scan of its dump fails`, async () => {
      const files = await loadPaths([join(REPO_ROOT, 'examples', example, 'cluster')]);
      assert.deepEqual(files.errors, []);
      const offline = runScan(files, { now: new Date(NOW) });
      const server = await startTestApiServer({
        objects: files.items.map((i) => structuredClone(i.object)),
        bootstrapPolicy: false,
        gitVersion: offline.kubernetesVersion ?? 'v1.30.4',
      });
      const dir = await mkdtemp(join(tmpdir(), 'kubeward-example-'));
      try {
        const kubeconfig = join(dir, 'kubeconfig');
        await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('admin', 'system:masters') });
        const live = await loadCluster({ kubeconfig, kubeletConfig: false });
        assert.deepEqual(live.result.errors, []);
        const report = runScan(live.result, { now: new Date(NOW) });
        assert.equal(report.kubernetesVersion, offline.kubernetesVersion);
        // Messages list objects in the order read (the API's is namespace/name) and name their
        // location; what fails, where, and how badly is the same. Except a bootstrap token's
        // severity: it depends on its expiration, Secret data a live scan never reads.
        const failures = (r: typeof report) => r.findings.filter((f) => f.status === 'fail')
          .map((f) => JSON.stringify([f.check, f.check === 'bootstrap-token-secret-present' ? '' : f.severity, f.resource.kind, f.resource.namespace ?? '', f.resource.name, f.field ?? ''])).sort();
        assert.ok(failures(offline).length > 0);
        assert.deepEqual(failures(report), failures(offline));
      } finally {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
