// --format policyreport: the mapping of a scan onto PolicyReports and openreports Reports, every
// report valid against the CRD schemas of the spec corpus, and the split of large namespaces
// into reports etcd accepts, named the same way on every run.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { sectionTitle } from '../src/checks/sections.js';
import type { K8sObject } from '../src/inventory/types.js';
import { policyReports, REPORT_KINDS, type ReportApi } from '../src/report/policyreport.js';
import type { Finding, Report } from '../src/report/types.js';
import { loadExceptions } from '../src/scan/exceptions.js';
import { runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { readNodeRoot } from '../src/sources/node-root.js';
import { mergeLoadResults } from '../src/sources/types.js';
import { crdValidator, crdsOfFile, type Validate } from '../src/testing/apiserver/custom-resources.js';
import { kubeward, tempTree } from '../src/testing/cli.js';
import { describeWithCorpus } from '../src/testing/corpus.js';
import { REPO_ROOT } from '../src/testing/index.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const EXAMPLE = join(REPO_ROOT, 'examples/insecure-cluster');
const ETCD_LIMIT = 1.5 * 1024 * 1024;

interface Result {
  policy: string;
  category?: string;
  severity?: string;
  result: string;
  message: string;
  scored: boolean;
  source: string;
  resources?: { kind: string; name: string; namespace?: string }[];
  properties?: Record<string, string>;
}
const resultsOf = (o: K8sObject) => o.results as Result[];

async function exampleReport(): Promise<Report> {
  const exceptions = tempTree({ 'exceptions.yaml': 'exceptions:\n  - check: namespace-without-resource-quota\n    kind: Namespace\n    name: batch\n    reason: sized by the batch team\n' });
  try {
    const load = mergeLoadResults([await loadPaths([join(EXAMPLE, 'cluster')]), await readNodeRoot(join(EXAMPLE, 'node-root'))]);
    return runScan(load, { now: NOW, keepPasses: true, exceptions: await loadExceptions(join(exceptions.dir, 'exceptions.yaml'), NOW) });
  } finally {
    exceptions.cleanup();
  }
}

describeWithCorpus('spec', 'PolicyReports of a scan', (spec) => {
  const files: Record<ReportApi, [string, string]> = {
    wgpolicy: ['wgpolicyk8s.io_v1alpha2_policyreports.yaml', 'wgpolicyk8s.io_v1alpha2_clusterpolicyreports.yaml'],
    openreports: ['openreports.io_reports.yaml', 'openreports.io_clusterreports.yaml'],
  };
  const validators = (api: ReportApi): Record<string, Validate> => {
    const [namespaced, cluster] = files[api].map((f) => crdsOfFile(join(spec, 'policy-reports', f))[0]!);
    const version = REPORT_KINDS[api].namespaced.version;
    return { [REPORT_KINDS[api].namespaced.kind]: crdValidator(namespaced!, version), [REPORT_KINDS[api].cluster.kind]: crdValidator(cluster!, version) };
  };

  for (const api of ['wgpolicy', 'openreports'] as const) {
    it(`${api}: every report of the example cluster validates against its CRD schema`, async () => {
      const reports = policyReports(await exampleReport(), { api });
      const validate = validators(api);
      assert.ok(reports.length >= 3);
      for (const r of reports) assert.deepEqual(validate[r.kind!]!(r), [], `${r.kind} ${r.metadata?.namespace}/${r.metadata?.name}`);
    });
  }

  it('maps each finding and pass: policy, category, severity, result, resources, properties, summary', async () => {
    const report = await exampleReport();
    const reports = policyReports(report, { api: 'wgpolicy' });
    const all = reports.flatMap(resultsOf);
    const count = (status: Finding['status']) => report.findings.filter((f) => f.status === status).length;
    assert.equal(all.filter((r) => r.result === 'fail').length, count('fail'));
    assert.equal(all.filter((r) => r.result === 'skip').length, count('not-evaluated') + count('excepted'));
    assert.equal(all.filter((r) => r.result === 'pass').length, report.checks.reduce((n, c) => n + c.pass, 0));
    assert.ok(all.every((r) => r.source === 'kubeward' && r.resources?.length === 1));

    const fail = report.findings.find((f) => f.status === 'fail' && f.field && f.location?.line)!;
    const mapped = all.find((r) => r.result === 'fail' && r.policy === fail.check && r.resources![0]!.name === fail.resource.name && r.properties?.field === fail.field)!;
    assert.deepEqual({ category: mapped.category, severity: mapped.severity, message: mapped.message, scored: mapped.scored }, { category: sectionTitle(fail.section), severity: fail.severity, message: fail.message, scored: true });
    assert.equal(mapped.properties?.line, String(fail.location!.line));

    // Not evaluated is skip with its reason, never pass; excepted is skip with the exception's reason.
    const notEvaluated = report.findings.find((f) => f.status === 'not-evaluated')!;
    assert.ok(all.some((r) => r.policy === notEvaluated.check && r.result === 'skip' && r.message === notEvaluated.message && !r.scored));
    const excepted = all.filter((r) => r.properties?.exception === 'sized by the batch team');
    assert.ok(excepted.length > 0 && excepted.every((r) => r.result === 'skip' && r.policy === 'namespace-without-resource-quota'));

    for (const r of reports) {
      const results = resultsOf(r);
      const summary = r.summary as Record<string, number>;
      for (const status of ['pass', 'fail', 'skip', 'error']) assert.equal(summary[status], results.filter((x) => x.result === status).length);
      // A namespace's report holds that namespace's results only; everything else is cluster-scoped.
      if (r.kind === 'PolicyReport') assert.ok(results.every((x) => x.resources![0]!.namespace === r.metadata?.namespace));
      else assert.ok(results.every((x) => !x.resources?.[0]?.namespace));
      assert.equal(r.metadata?.labels?.['app.kubernetes.io/managed-by'], 'kubeward');
    }
  });

  it('an incomplete scan shows as error results, so a dashboard does not look complete', () => {
    const report = runScan({ ...mergeLoadResults([]), errors: [{ source: 'cluster.yaml', line: 12, message: 'bad indentation' }] }, { now: NOW, keepPasses: true });
    const [cluster] = policyReports(report, { api: 'wgpolicy' });
    assert.deepEqual(resultsOf(cluster!).filter((r) => r.result === 'error').map((r) => r.message), ['cluster.yaml:12: bad indentation']);
    assert.deepEqual(validators('wgpolicy').ClusterPolicyReport!(cluster), []);
  });

  it('a node agent\'s results are one ClusterPolicyReport scoped to its Node', async () => {
    const reports = policyReports(await exampleReport(), { api: 'openreports', node: 'cp1' });
    assert.deepEqual(reports.map((r) => `${r.kind}/${r.metadata?.name}`), ['ClusterReport/kubeward-node-cp1']);
    assert.deepEqual(reports[0]!.scope, { apiVersion: 'v1', kind: 'Node', name: 'cp1' });
    assert.deepEqual(validators('openreports').ClusterReport!(reports[0]), []);
  });

  it('splits a namespace too large for etcd into NAME, NAME-2... deterministically, each valid and under the limit', () => {
    // 12,000 failing pods in one namespace: about 5 MB of results.
    const findings: Finding[] = Array.from({ length: 12_000 }, (_, i) => ({
      check: 'pod-violates-baseline-pod-security', section: 'pod-privileges', severity: 'high', status: 'fail',
      message: `violates PodSecurity "baseline:latest": privileged (container "app-${i}" must not set securityContext.privileged=true)`,
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'big', name: `app-${String(i).padStart(5, '0')}-7d9f8b6c5d-x2x4z` },
      field: 'spec.containers[0].securityContext.privileged', location: { file: 'cluster.json', line: i * 40 + 1 },
    }));
    const report = { ...runScan(mergeLoadResults([]), { now: NOW }), findings: [...findings].reverse() };
    const first = policyReports(report, { api: 'wgpolicy' });
    const big = first.filter((r) => r.metadata?.namespace === 'big');
    assert.ok(big.length >= 4, `${big.length} reports`);
    assert.deepEqual(big.map((r) => r.metadata?.name), big.map((_, i) => (i === 0 ? 'kubeward' : `kubeward-${i + 1}`)));
    const validate = validators('wgpolicy').PolicyReport!;
    for (const r of big) {
      assert.ok(Buffer.byteLength(JSON.stringify(r)) < ETCD_LIMIT * 0.75, `${r.metadata?.name}: ${Buffer.byteLength(JSON.stringify(r))} bytes`);
      assert.deepEqual(validate(r), []);
    }
    assert.equal(big.reduce((n, r) => n + (r.summary as { fail: number }).fail, 0), 12_000);
    // The same findings in another order give the same reports.
    assert.deepEqual(policyReports({ ...report, findings }, { api: 'wgpolicy' }), first);
  });
});

it('kubeward scan --format policyreport prints a List and exits as the other formats do', () => {
  const result = kubeward(['scan', join(EXAMPLE, 'cluster'), '--format', 'policyreport', '--report-api', 'openreports', '--now', NOW.toISOString()]);
  const table = kubeward(['scan', join(EXAMPLE, 'cluster'), '--now', NOW.toISOString()]);
  assert.equal(result.status, table.status);
  const list = JSON.parse(result.stdout) as { kind: string; items: K8sObject[] };
  assert.equal(list.kind, 'List');
  assert.deepEqual([...new Set(list.items.map((i) => i.kind))].sort(), ['ClusterReport', 'Report']);
  assert.ok(list.items.flatMap(resultsOf).some((r) => r.result === 'pass'));
});

it('--report-to-cluster without --cluster or --node-name is a usage error', () => {
  const result = kubeward(['scan', join(EXAMPLE, 'cluster'), '--report-to-cluster']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--report-to-cluster needs --cluster .* or --node-name/);
});
