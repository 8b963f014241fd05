// --report-to-cluster end to end: the CLI scans the test API server with the install's own
// RBAC (create/patch/delete on reports, nothing more) and writes PolicyReports by server-side
// apply; the server validates each against the CRD schema of the spec corpus and refuses
// objects etcd would refuse.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { K8sObject } from '../inventory/types.js';
import { kubeward } from '../testing/apiserver/cli.js';
import { crdValidator, crdsOfFile } from '../testing/apiserver/custom-resources.js';
import { kubeadmCluster } from '../testing/apiserver/fixtures.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver/index.js';
import { describeWithCorpus } from '../testing/corpus.js';
import { REPO_ROOT } from '../testing/index.js';
import { installManifests } from './manifests.js';

const SCANNER = { name: 'system:serviceaccount:kubeward:kubeward-scanner', groups: [] };
const NODE_AGENT = { name: 'system:serviceaccount:kubeward-node:kubeward-node', groups: [] };
const NOW = '2026-06-01T00:00:00Z';

const crds = (dir: string, api: 'wgpolicy' | 'openreports') => (api === 'wgpolicy'
  ? ['wgpolicyk8s.io_v1alpha2_policyreports.yaml', 'wgpolicyk8s.io_v1alpha2_clusterpolicyreports.yaml']
  : ['openreports.io_reports.yaml', 'openreports.io_clusterreports.yaml']).flatMap((f) => crdsOfFile(join(dir, 'policy-reports', f)));

/** A stale report of an earlier scan, and one of another tool that must survive. */
const report = (kind: string, namespace: string | undefined, name: string, labels: Record<string, string>): K8sObject => ({
  apiVersion: 'wgpolicyk8s.io/v1alpha2', kind,
  metadata: { name, ...(namespace ? { namespace } : {}), labels },
  results: [],
});

describeWithCorpus('spec', '--report-to-cluster against the test API server', (spec) => {
  let server: TestApiServer;
  let dir: string;
  let kubeconfig: string;
  let nodeKubeconfig: string;
  // The install's namespaces and RBAC: the scan and the node agent get exactly those grants.
  const rbac = installManifests({ nodes: true }).map((m) => m.object).filter((o) => /Role|Namespace/.test(o.kind ?? ''));

  before(async () => {
    const fixture = kubeadmCluster();
    server = await startTestApiServer({
      ...fixture,
      objects: [
        ...fixture.objects, ...rbac, ...crds(spec, 'wgpolicy'),
        report('PolicyReport', 'team-a', 'kubeward-2', { 'app.kubernetes.io/managed-by': 'kubeward' }),
        report('PolicyReport', 'team-a', 'kubeward-3', { 'app.kubernetes.io/managed-by': 'kubeward' }),
        report('PolicyReport', 'kube-public', 'kubeward', { 'app.kubernetes.io/managed-by': 'kubeward' }),
        report('PolicyReport', 'team-a', 'polr-other-tool', { 'app.kubernetes.io/managed-by': 'kyverno' }),
        // A binding whose ServiceAccount's namespace is gone: its results cannot go in that namespace.
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'old-ci' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'gone' }] },
      ],
      tokens: { 'scanner-token': SCANNER, 'node-token': NODE_AGENT },
      recordBodies: true,
    });
    dir = await mkdtemp(join(tmpdir(), 'kubeward-incluster-'));
    kubeconfig = join(dir, 'kubeconfig');
    nodeKubeconfig = join(dir, 'node-kubeconfig');
    await server.writeKubeconfig(kubeconfig, { token: 'scanner-token' });
    await server.writeKubeconfig(nodeKubeconfig, { token: 'node-token' });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a cluster scan writes one PolicyReport per namespace and a ClusterPolicyReport, valid, with the install\'s RBAC only', async () => {
    const result = await kubeward(['scan', '--cluster', '--kubeconfig', kubeconfig, '--no-secrets', '--no-kubelet-config', '--no-progress', '--report-to-cluster', '--fail-on', 'none', '--now', NOW]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '', 'without --format or -o the reports are the output');
    assert.match(result.stderr, /wrote 1 ClusterPolicyReport, \d+ PolicyReport \(largest \d+ KiB\), deleted 3 stale\n$/);

    const writes = server.requests.filter((r) => r.method === 'PATCH');
    assert.ok(writes.length > 0);
    assert.ok(writes.every((r) => r.status === 200 || r.status === 201), writes.map((r) => `${r.path} ${r.status} ${r.body}`).join('\n'));
    assert.ok(writes.every((r) => /fieldManager=kubeward&force=true&fieldValidation=Strict/.test(r.query)));
    assert.ok(server.requests.every((r) => !(r.method === 'GET' && /policyreports/.test(r.path))), 'no get or list of reports');

    const namespaced = server.objectsOf('policyreports');
    const cluster = server.objectsOf('clusterpolicyreports');
    assert.deepEqual(cluster.map((o) => o.metadata?.name), ['kubeward-cluster']);
    const names = namespaced.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();
    // Stale chunks and the report of a namespace with nothing left to say are gone; the other tool's stays.
    assert.ok(!names.includes('team-a/kubeward-2') && !names.includes('team-a/kubeward-3') && !names.includes('kube-public/kubeward'), names.join(' '));
    assert.ok(names.includes('team-a/kubeward') && names.includes('team-a/polr-other-tool') && names.includes('kube-system/kubeward'), names.join(' '));

    const validate = crdValidator(crds(spec, 'wgpolicy')[0]!, 'v1alpha2');
    const teamA = namespaced.find((o) => o.metadata?.namespace === 'team-a' && o.metadata.name === 'kubeward')!;
    assert.deepEqual(validate(teamA), []);
    assert.equal(teamA.metadata?.labels?.['app.kubernetes.io/managed-by'], 'kubeward');
    assert.equal((teamA.metadata?.managedFields as { manager: string; operation: string }[])[0]!.manager, 'kubeward');
    const results = teamA.results as { policy: string; result: string; resources: { name: string }[]; message: string }[];
    // The privileged Deployment of the fixture fails, and it is in its namespace's report.
    assert.ok(results.some((r) => r.policy === 'pod-violates-baseline-pod-security' && r.result === 'fail' && r.resources[0]!.name === 'web'), JSON.stringify(results.filter((r) => r.result === 'fail').map((r) => r.policy)));
    assert.ok(results.some((r) => r.result === 'pass'));
    const summary = teamA.summary as Record<string, number>;
    assert.equal(summary.fail, results.filter((r) => r.result === 'fail').length);
    // Without --no-secrets' Secrets, their checks are skipped with the reason, never passed.
    const clusterResults = cluster[0]!.results as { policy: string; result: string; message: string; resources?: { namespace?: string }[] }[];
    assert.ok(clusterResults.some((r) => r.resources?.[0]?.namespace === 'gone'), 'results naming a namespace that does not exist are cluster-scoped');
    const skipped = clusterResults.filter((r) => r.result === 'skip');
    assert.ok(skipped.length > 0 && skipped.every((r) => r.message.length > 0));
  });

  it('a second scan applies the same names again and deletes nothing more', async () => {
    const before = server.objectsOf('policyreports').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();
    const result = await kubeward(['scan', '--cluster', '--kubeconfig', kubeconfig, '--no-secrets', '--no-kubelet-config', '--report-to-cluster', '--fail-on', 'none', '--now', NOW]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /deleted 0 stale/);
    assert.deepEqual(server.objectsOf('policyreports').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort(), before);
    const ours = server.objectsOf('policyreports').filter((o) => o.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kubeward');
    assert.ok(ours.length > 0 && ours.every((o) => o.metadata?.generation === 1), 'the same results apply as a no-op');
  });

  it('the node agent writes its node\'s ClusterPolicyReport, scoped to the Node, with only create/patch/delete on it', async () => {
    const result = await kubeward(['node', '--root', join(REPO_ROOT, 'examples/insecure-cluster/node-root'), '--node-name', 'cp1', '--report-to-cluster', '--kubeconfig', nodeKubeconfig, '--fail-on', 'none', '--now', NOW]);
    assert.equal(result.code, 0, result.stderr);
    const report = server.objectsOf('clusterpolicyreports').find((o) => o.metadata?.name === 'kubeward-node-cp1');
    assert.ok(report, server.objectsOf('clusterpolicyreports').map((o) => o.metadata?.name).join(' '));
    assert.deepEqual(report.scope, { apiVersion: 'v1', kind: 'Node', name: 'cp1' });
    assert.equal(report.metadata?.labels?.['kubeward.io/report-scope'], 'node.cp1');
    const results = report.results as { policy: string; result: string; properties?: Record<string, string> }[];
    assert.ok(results.some((r) => r.result === 'fail' && r.properties?.file?.includes('node-root')), 'node findings name their file');
    // The cluster scan's report is not the node agent's to delete.
    assert.ok(server.objectsOf('clusterpolicyreports').some((o) => o.metadata?.name === 'kubeward-cluster'));
  });

  it('says plainly that the CRDs are not installed, and exits 2', async () => {
    const bare = await startTestApiServer({ ...kubeadmCluster(), tokens: { t: { name: 'admin', groups: ['system:masters'] } } });
    const config = join(dir, 'bare-kubeconfig');
    try {
      await bare.writeKubeconfig(config, { token: 't' });
      const result = await kubeward(['scan', '--cluster', '--kubeconfig', config, '--report-to-cluster', '--report-api', 'openreports', '--fail-on', 'none']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /the reports were not written: the cluster does not serve clusterreports\.openreports\.io .*CRDs are not installed/);
      assert.ok(bare.requests.every((r) => r.method === 'GET'), 'nothing written');
    } finally {
      await bare.close();
    }
  });

  it('openreports Reports validate against their CRDs and are received through server-side apply', async () => {
    const fixture = kubeadmCluster();
    const other = await startTestApiServer({ ...fixture, objects: [...fixture.objects, ...crds(spec, 'openreports')], tokens: { t: { name: 'admin', groups: ['system:masters'] } } });
    const config = join(dir, 'or-kubeconfig');
    try {
      await other.writeKubeconfig(config, { token: 't' });
      const result = await kubeward(['scan', '--cluster', '--kubeconfig', config, '--report-to-cluster', '--report-api', 'openreports', '--fail-on', 'none', '--now', NOW]);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(other.objectsOf('reports').length >= 3);
      assert.deepEqual(other.objectsOf('clusterreports').map((o) => o.kind), ['ClusterReport']);
    } finally {
      await other.close();
    }
  });
});
