// The live-cluster source against the in-repo HTTPS API server: paging, faults, retries,
// concurrency, metadata-only Secrets, visibility gaps.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApiServer, type Fault, type TestApiServer } from '../../testing/apiserver/index.js';
import { SECRET_VALUE, kubeadmCluster, scannerRbac } from '../../testing/apiserver/fixtures.js';
import { loadCluster, type ClusterLoadOptions } from './index.js';
import { progressLine, progressRenderer } from './progress.js';
import { METADATA_LIST_ACCEPT, RESOURCE_TYPES } from './resources.js';
import { retryAfterMs } from './client.js';
import { isKnownKind } from '../../inventory/kinds.js';
import kubernetesVersionWithKnownCve from '../../checks/security-updates/kubernetes-version-with-known-cve.js';
import type { K8sObject } from '../../inventory/types.js';
import { buildInventory, runScan } from '../../scan/run.js';
import { loadPaths } from '../files.js';
import { SNAPSHOT_FILE, writeSnapshot } from '../snapshot.js';
import type { LoadResult } from '../types.js';

const FAST_RETRIES = { baseDelayMs: 10, maxDelayMs: 50 } as const;

describe('live cluster source', () => {
  let dir: string;
  let server: TestApiServer;
  let kubeconfig: string;
  const fixture = kubeadmCluster();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeward-cluster-'));
    server = await startTestApiServer({ ...fixture, recordBodies: true });
    kubeconfig = join(dir, 'admin.kubeconfig');
    await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('kubernetes-admin', 'system:masters') });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs a load with faults in effect, and the requests it issued. */
  async function load(faults: Fault[] = [], options: Partial<ClusterLoadOptions> = {}) {
    server.faults.splice(0, server.faults.length, ...faults);
    const first = server.requests.length;
    try {
      const result = await loadCluster({ kubeconfig, ...FAST_RETRIES, ...options });
      return { ...result, log: server.requests.slice(first) };
    } finally {
      server.faults.splice(0);
    }
  }

  it('lists every resource type the checks need, in pages, with apiVersion and kind set', async () => {
    const { result, log } = await load([], { pageSize: 5 });
    assert.deepEqual(result.errors, []);
    const served = fixture.objects.filter((o) => o.kind === 'ClusterRole').length;
    // bootstrap policy ClusterRoles (cluster-admin, system:discovery, system:public-info-viewer) come on top
    assert.equal(result.items.filter((i) => i.ref.kind === 'ClusterRole').length, served + 3);
    assert.equal(result.items.filter((i) => i.ref.kind === 'Node').length, 3);
    const paged = log.filter((r) => r.path === '/apis/rbac.authorization.k8s.io/v1/clusterroles');
    assert.ok(paged.length >= Math.ceil((served + 3) / 5), `expected paging, got ${paged.length} requests`);
    assert.ok(paged.slice(1).every((r) => r.query.includes('continue=')));
    for (const item of result.items) {
      assert.ok(item.object.apiVersion && item.object.kind, `${item.location.file}: no apiVersion/kind`);
      assert.equal(item.location.line, undefined);
      assert.equal((item.object.metadata as { managedFields?: unknown }).managedFields, undefined);
    }
    const deployment = result.items.find((i) => i.ref.kind === 'Deployment' && i.ref.name === 'web');
    assert.equal(deployment?.object.apiVersion, 'apps/v1');
    assert.equal(deployment?.location.file, `${server.url}/apis/apps/v1/deployments`);
    // ConfigMaps of kube-system only
    assert.ok(result.items.filter((i) => i.ref.kind === 'ConfigMap').every((i) => i.ref.namespace === 'kube-system'));
    assert.ok(result.items.some((i) => i.ref.kind === 'ConfigMap' && i.ref.name === 'kube-proxy'));
  });

  it('never receives Secret data: metadata-only lists, no data on the wire or in the items', async () => {
    const { result, log } = await load();
    const secretRequests = log.filter((r) => r.path.endsWith('/secrets'));
    assert.ok(secretRequests.every((r) => r.query.includes('fieldSelector=type')), 'listed by type');
    for (const r of secretRequests) {
      assert.equal(r.accept, METADATA_LIST_ACCEPT);
      const body = JSON.parse(r.body!) as { kind: string; items: Record<string, unknown>[] };
      assert.equal(body.kind, 'PartialObjectMetadataList');
      for (const item of body.items) assert.deepEqual(Object.keys(item).sort(), ['apiVersion', 'kind', 'metadata']);
      assert.ok(!r.body!.includes('"data"') && !r.body!.includes('"stringData"'));
    }
    const secrets = result.items.filter((i) => i.ref.kind === 'Secret');
    assert.equal(secrets.length, fixture.objects.filter((o) => o.kind === 'Secret').length);
    for (const s of secrets) assert.deepEqual(Object.keys(s.object).filter((k) => !['apiVersion', 'kind', 'metadata', 'type'].includes(k)), []);
    // each Secret fetched once, with its type where it is a known one, in the server's order
    const sent = secretRequests.reduce((n, r) => n + (JSON.parse(r.body!) as { items: unknown[] }).items.length, 0);
    assert.equal(sent, secrets.length);
    const typeOf = (name: string) => secrets.find((s) => s.ref.name === name)?.object.type;
    assert.equal(typeOf('legacy-token'), 'kubernetes.io/service-account-token');
    assert.equal(typeOf('bootstrap-token-abcdef'), 'bootstrap.kubernetes.io/token');
    assert.equal(typeOf('db-password'), 'Opaque');
    assert.equal(typeOf('tls-cert'), 'kubernetes.io/tls');
    assert.equal(typeOf('vendor-license'), undefined);
    assert.ok(secrets.some((s) => s.ref.name === 'vendor-license'));
    const keys = secrets.map((s) => `${s.ref.namespace}/${s.ref.name}`);
    assert.deepEqual(keys, [...keys].sort());
    // the last-applied annotation held the value; it went over the wire in metadata but is not kept
    assert.ok(!JSON.stringify(result.items).includes(Buffer.from(SECRET_VALUE).toString('base64')));
    assert.ok(!JSON.stringify(result.items).includes(SECRET_VALUE));
    assert.ok(result.gaps.some((g) => g.scope === 'secret-data'));
  });

  it('reads control-plane pods, each kubelet /configz and /version', async () => {
    const { result } = await load();
    assert.equal(result.version?.text, 'v1.30.4');
    assert.equal(result.version?.source, `${server.url}/version`);
    const kubelets = result.items.filter((i) => i.ref.kind === 'KubeletConfiguration');
    assert.deepEqual(kubelets.map((k) => k.ref.name).sort(), ['cp1', 'worker1', 'worker2']);
    const worker2 = kubelets.find((k) => k.ref.name === 'worker2')!;
    assert.equal(worker2.object.apiVersion, 'kubelet.config.k8s.io/v1beta1');
    assert.equal(worker2.object.readOnlyPort, 10255);
    assert.equal(worker2.object.metadata?.annotations?.['kubeward.io/source'], 'configz');
    assert.equal(worker2.location.file, `${server.url}/api/v1/nodes/worker2/proxy/configz`);
    for (const scope of ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'kubelet-config']) {
      assert.equal(result.gaps.find((g) => g.scope === scope), undefined, scope);
    }
  });

  it('retries 429 after Retry-After, and 5xx, and completes', async () => {
    const { result, log } = await load([
      { match: /^\/api\/v1\/pods\?/, mode: 'too-many-requests', retryAfterSeconds: 1, times: 1 },
      { match: /^\/apis\/apps\/v1\/deployments\?/, mode: 'server-error', times: 2 },
      { match: /^\/apis\/batch\/v1\/jobs\?/, mode: 'server-error', status: 503, times: 1 },
    ]);
    assert.deepEqual(result.errors, []);
    const pods = log.filter((r) => r.path === '/api/v1/pods');
    assert.deepEqual(pods.map((r) => r.status), [429, 200]);
    assert.deepEqual(log.filter((r) => r.path === '/apis/apps/v1/deployments').map((r) => r.status), [500, 500, 200]);
    assert.equal(result.items.filter((i) => i.ref.kind === 'Deployment').length, fixture.objects.filter((o) => o.kind === 'Deployment').length);
  });

  it('lists again from the start when a continue token expired (410)', async () => {
    const { result, log } = await load([{ match: /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/clusterroles\?/, mode: 'expire-continue', times: 1 }], { pageSize: 4 });
    assert.deepEqual(result.errors, []);
    const requests = log.filter((r) => r.path === '/apis/rbac.authorization.k8s.io/v1/clusterroles');
    const expired = requests.findIndex((r) => r.status === 410);
    assert.ok(expired > 0);
    assert.ok(!requests[expired + 1]!.query.includes('continue='), 'relisted from the start');
    const names = result.items.filter((i) => i.ref.kind === 'ClusterRole').map((i) => i.ref.name);
    assert.equal(new Set(names).size, names.length, 'no duplicates after the relist');
    assert.equal(names.length, fixture.objects.filter((o) => o.kind === 'ClusterRole').length + 3);
  });

  it('retries a dropped connection', async () => {
    const { result, log } = await load([{ match: /^\/api\/v1\/namespaces\?/, mode: 'drop-connection', times: 2 }]);
    assert.deepEqual(result.errors, []);
    assert.equal(log.filter((r) => r.path === '/api/v1/namespaces').length, 3);
    assert.equal(result.items.filter((i) => i.ref.kind === 'Namespace').length, fixture.objects.filter((o) => o.kind === 'Namespace').length);
  });

  it('gives up after the attempts on a slow server: error naming the request, gap, no partial list', async () => {
    const { result } = await load([{ match: /^\/api\/v1\/serviceaccounts\?/, mode: 'slow', delayMs: 400 }], { timeoutMs: 100, attempts: 2 });
    const error = result.errors.find((e) => e.source === `${server.url}/api/v1/serviceaccounts`);
    assert.ok(error, JSON.stringify(result.errors));
    assert.match(error.message, /no complete response within 100 ms \(after 2 attempts\)/);
    assert.equal(result.items.filter((i) => i.ref.kind === 'ServiceAccount').length, 0);
    assert.match(result.gaps.find((g) => g.scope === 'serviceaccounts')?.reason ?? '', /request failed/);
  });

  it('reports a persistent 500 as an error after its attempts', async () => {
    const { result, log } = await load([{ match: /^\/api\/v1\/services\?/, mode: 'server-error' }], { attempts: 3 });
    assert.equal(log.filter((r) => r.path === '/api/v1/services').length, 3);
    assert.match(result.errors.find((e) => e.source.endsWith('/api/v1/services'))?.message ?? '', /^500 InternalError: .*after 3 attempts/);
  });

  it('names the group whose discovery failed and lists the rest', async () => {
    const { result } = await load([{ match: /^\/apis\/batch\/v1$/, mode: 'server-error' }], { attempts: 2 });
    assert.deepEqual(result.errors.map((e) => e.source), [`${server.url}/apis/batch/v1`]);
    assert.match(result.gaps.find((g) => g.scope === 'jobs')?.reason ?? '', /jobs \(discovery of its API group\) could not be read: request failed/);
    assert.ok(result.gaps.some((g) => g.scope === 'cronjobs'));
    assert.ok(result.items.some((i) => i.ref.kind === 'Deployment'));
    assert.ok(!result.items.some((i) => i.ref.kind === 'Job'));
  });

  it('keeps requests in flight within the concurrency bound', async () => {
    const before = server.maxInFlight();
    await load([{ match: /\?limit=/, mode: 'slow', delayMs: 20 }], { concurrency: 3 });
    assert.ok(server.maxInFlight() <= Math.max(before, 3), `max in flight ${server.maxInFlight()}`);
    const { requests } = await load([], { concurrency: 2 });
    assert.ok(requests > RESOURCE_TYPES.length);
  });

  it('lists only kinds the inventory knows', () => {
    for (const type of RESOURCE_TYPES) assert.ok(isKnownKind(type.kind), type.kind);
  });
});

describe('managed control plane', () => {
  it('says the control-plane flags are not visible, without calling it an error', async () => {
    const server = await startTestApiServer(kubeadmCluster({ managed: true }));
    const dir = await mkdtemp(join(tmpdir(), 'kubeward-managed-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('admin', 'system:masters') });
      const { result } = await loadCluster({ kubeconfig });
      assert.deepEqual(result.errors, []);
      for (const scope of ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager']) {
        assert.match(result.gaps.find((g) => g.scope === scope)?.reason ?? '', /no .* pod in kube-system: the control plane is managed/);
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('older clusters', () => {
  it('lists PodSecurityPolicies where the server still serves them (before 1.25)', async () => {
    const psp = { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'privileged' }, spec: { privileged: true } };
    const dir = await mkdtemp(join(tmpdir(), 'kubeward-old-'));
    for (const gitVersion of ['v1.24.17', 'v1.30.4']) {
      const server = await startTestApiServer({ objects: [psp], gitVersion });
      try {
        const kubeconfig = join(dir, 'kubeconfig');
        await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('admin', 'system:masters') });
        const { result } = await loadCluster({ kubeconfig, kubeletConfig: false });
        assert.deepEqual(result.errors, []);
        const psps = result.items.filter((i) => i.ref.kind === 'PodSecurityPolicy');
        assert.equal(psps.length, gitVersion === 'v1.24.17' ? 1 : 0, gitVersion);
        if (psps.length) assert.equal(psps[0]!.object.apiVersion, 'policy/v1beta1');
      } finally {
        await server.close();
      }
    }
    await rm(dir, { recursive: true, force: true });
  });
});

describe('StorageClasses decide the Portworx CVE (CVE-2025-13281) of a live scan', () => {
  const SCANNER = { name: 'system:serviceaccount:kubeward:kubeward-scanner', groups: [] };
  // The scanner as installed before it was granted list storageclasses.
  const scannerWithoutStorageClasses = scannerRbac().map((o) => (o.kind === 'ClusterRole'
    ? { ...o, rules: (o.rules as { apiGroups?: string[] }[]).filter((r) => !r.apiGroups?.includes('storage.k8s.io')) }
    : o));
  const storageClass = (provisioner: string): K8sObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'px-fast' }, provisioner, reclaimPolicy: 'Delete' });
  let dir: string;
  let server: TestApiServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubeward-storage-'));
    server = await startTestApiServer({ objects: [storageClass('kubernetes.io/portworx-volume'), ...scannerWithoutStorageClasses], gitVersion: 'v1.30.2', tokens: { 'scanner-token': SCANNER } });
    await server.writeKubeconfig(join(dir, 'admin'), { cert: await server.clientCert('admin', 'system:masters') });
    await server.writeKubeconfig(join(dir, 'scanner'), { token: 'scanner-token' });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The control plane's CVE-2025-13281 finding of a scan of `load`, if any. */
  function portworxFinding(load: LoadResult, k8sVersion?: string) {
    const report = runScan(load, { now: new Date('2026-06-01T00:00:00Z'), checks: [kubernetesVersionWithKnownCve], ...(k8sVersion ? { k8sVersion } : {}) });
    assert.equal(report.kubernetesVersion, 'v1.30.2');
    return report.findings.find((f) => f.resource.kind === 'ControlPlane' && f.message.includes('CVE-2025-13281'));
  }

  /** The live scan's StorageClasses and the control plane's CVE-2025-13281 finding, if any. */
  async function scan(kubeconfig: string) {
    const live = await loadCluster({ kubeconfig: join(dir, kubeconfig), secrets: false, kubeletConfig: false });
    return { ...live, finding: portworxFinding(live.result) };
  }

  it('lists them: a Portworx provisioner meets the condition, another one leaves the CVE out', async () => {
    const portworx = await scan('admin');
    assert.deepEqual(portworx.result.errors, []);
    const listed = portworx.result.items.filter((i) => i.ref.kind === 'StorageClass');
    assert.deepEqual(listed.map((i) => [i.ref.name, i.object.provisioner, i.location.file]), [['px-fast', 'kubernetes.io/portworx-volume', `${server.url}/apis/storage.k8s.io/v1/storageclasses`]]);
    assert.match(portworx.finding?.message ?? '', /; met: StorageClass px-fast uses kubernetes\.io\/portworx-volume\./);

    server.put(storageClass('rancher.io/local-path'));
    try {
      assert.equal((await scan('admin')).finding, undefined);
    } finally {
      server.put(storageClass('kubernetes.io/portworx-volume'));
    }
  });

  it('says the CVE could not be checked when listing them is forbidden', async () => {
    const { result, finding } = await scan('scanner');
    assert.deepEqual(result.errors.map((e) => e.source), [`${server.url}/apis/storage.k8s.io/v1/storageclasses`]);
    assert.match(finding?.message ?? '', /; could not be checked from the input: storageclasses: storageclasses could not be read: forbidden \(403 Forbidden: storageclasses is forbidden: /);
    assert.ok(!result.listed?.includes('storageclasses'));
  });

  it('proves the condition unmet from an empty list, live and through its snapshot; the same objects as manifests prove nothing', async () => {
    server.remove('StorageClass', undefined, 'px-fast');
    try {
      const live = await scan('admin');
      assert.deepEqual(live.result.errors, []);
      assert.deepEqual(live.result.items.filter((i) => i.ref.kind === 'StorageClass'), []);
      const listed = live.result.listed ?? [];
      assert.ok(listed.includes('storageclasses'));
      // ConfigMaps are listed in kube-system only: not the cluster's whole set.
      assert.ok(!listed.includes('configmaps'));
      assert.equal(live.finding, undefined);

      // An empty list writes no file; the snapshot document keeps it listed.
      const snapshotDir = join(dir, 'snapshot-empty');
      const document = await writeSnapshot(snapshotDir, live.result, { server: live.server, context: live.context, now: new Date('2026-06-01T00:00:00Z') });
      assert.ok(!document.files.some((f) => f.kind === 'StorageClass'));
      const offline = await loadPaths([snapshotDir]);
      assert.deepEqual(offline.errors, []);
      assert.deepEqual(offline.listed, live.result.listed);
      assert.equal(portworxFinding(offline), undefined);

      // The document is input like any other: a malformed listed is refused, with the reason.
      await writeFile(join(snapshotDir, SNAPSHOT_FILE), JSON.stringify({ ...document, listed: 'storageclasses' }));
      const edited = await loadPaths([snapshotDir]);
      assert.deepEqual(edited.errors.map((e) => e.message), ['Snapshot document: listed must be a list of strings; not applied']);
      assert.equal(edited.listed, undefined);

      // Without the Snapshot document the folder is plain manifests: nothing listed, the CVE stays.
      await rm(join(snapshotDir, SNAPSHOT_FILE));
      const manifests = await loadPaths([snapshotDir]);
      assert.equal(manifests.listed, undefined);
      assert.equal(buildInventory(manifests).wasListed('storageclasses'), false);
      assert.match(portworxFinding(manifests, 'v1.30.2')?.message ?? '', /; could not be checked from the input: the input holds no StorageClass read from the cluster \(add the output of kubectl get storageclasses -o yaml;/);
    } finally {
      server.put(storageClass('kubernetes.io/portworx-volume'));
    }
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, capped', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('86400'), 60_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});

describe('progress', () => {
  const event = { requests: 12, types: [{ resource: 'pods', listed: 12000, done: false }, { resource: 'nodes', listed: 3, done: true }] };
  it('shows a bar, totals and the counts of the types being listed', () => {
    assert.equal(progressLine(event, 200), '[##########..........] 1/2 types  12,003 objects  12 requests  pods 12,000');
    assert.equal(progressLine(event, 30).length, 29);
  });
  it('writes nothing when not wanted or not on a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: false, columns: 80, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    progressRenderer(stream, true).update(event);
    const tty = { isTTY: true, columns: 80, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    progressRenderer(tty, false).update(event);
    assert.deepEqual(written, []);
    const shown = progressRenderer(tty, true);
    shown.update(event);
    shown.finish();
    assert.equal(written.length, 2);
    assert.match(written[0]!, /12,003 objects/);
  });
});
