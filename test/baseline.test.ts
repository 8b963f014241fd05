// Baselines end to end through the CLI: fingerprints that survive moved lines, `scan --baseline`
// (new, unchanged, fixed; --fail-on on new findings only; SARIF baselineState), `kubeward diff`,
// and baselines of other versions read or refused.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SHOP_DEPLOYMENT, kubeward, tempTree } from '../src/testing/cli.js';
import { reportValidator } from '../src/testing/report-schema.js';
import type { Finding, Report } from '../src/report/types.js';

const DEBUG_POD = `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers:
  - name: debug
    image: busybox:1.36
    securityContext: {privileged: true}
`;

const SNIFFER_POD = `apiVersion: v1
kind: Pod
metadata: {name: sniffer, namespace: shop}
spec:
  hostPID: true
  containers:
  - name: sniffer
    image: busybox:1.36
`;

const ADMIN_BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
`;

type JsonReport = Omit<Report, 'findings'> & { schemaVersion: number; findings: (Finding & { fingerprint: string })[] };

const key = (f: Finding) => `${f.check} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}`;

describe('baselines', () => {
  const tree = tempTree({ 'v1/apps.yaml': `${SHOP_DEPLOYMENT}---\n${DEBUG_POD}`, 'v1/rbac.yaml': ADMIN_BINDING });
  const dir = tree.dir;
  const v1 = join(dir, 'v1');
  const oldJson = join(dir, 'old.json');
  let old: JsonReport;

  before(() => {
    const r = kubeward(['scan', v1, '--format', 'json', '--fail-on', 'none', '-o', oldJson]);
    assert.equal(r.status, 0, r.stderr);
    old = JSON.parse(readFileSync(oldJson, 'utf8')) as JsonReport;
  });
  after(() => tree.cleanup());

  /** The same manifests, edited: lines moved by a comment block; optionally a pod added and the binding gone. */
  function edited(name: string, changes: { addSniffer?: boolean; dropBinding?: boolean }): string {
    const root = join(dir, name);
    mkdirSync(root);
    writeFileSync(join(root, 'apps.yaml'), `# owner: team-shop\n# reviewed 2026-11\n# do not edit by hand\n${SHOP_DEPLOYMENT}---\n${DEBUG_POD}${changes.addSniffer ? `---\n${SNIFFER_POD}` : ''}`);
    if (!changes.dropBinding) writeFileSync(join(root, 'rbac.yaml'), ADMIN_BINDING);
    return root;
  }

  it('every finding of a JSON report has a distinct fingerprint, and the report states its schema version', () => {
    assert.equal(old.schemaVersion, 1);
    const prints = old.findings.map((f) => f.fingerprint);
    assert.ok(prints.every((p) => /^[0-9a-f]{32}$/.test(p)));
    assert.equal(new Set(prints).size, prints.length);
    assert.ok(reportValidator()(old));
  });

  it('moving lines changes no fingerprint; --fail-on then counts new findings only', () => {
    const root = edited('moved', {});
    const plain = kubeward(['scan', root, '--format', 'json', '--fail-on', 'high']);
    assert.equal(plain.status, 1, 'without a baseline the high failures fail the run');
    const moved = JSON.parse(plain.stdout) as JsonReport;
    const debug = moved.findings.find((f) => f.resource.name === 'debug' && f.check === 'pod-violates-baseline-pod-security')!;
    const debugBefore = old.findings.find((f) => f.resource.name === 'debug' && f.check === 'pod-violates-baseline-pod-security')!;
    assert.notEqual(debug.location?.line, debugBefore.location?.line, 'the edit moved the pod');
    assert.deepEqual(moved.findings.map((f) => f.fingerprint).sort(), old.findings.map((f) => f.fingerprint).sort());

    const r = kubeward(['scan', root, '--baseline', oldJson, '--format', 'json', '--fail-on', 'high']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(report.findings.every((f) => f.baselineState === 'unchanged'));
    assert.deepEqual({ new: report.baseline!.new, fixed: report.baseline!.fixed.length, changed: report.baseline!.changed.length }, { new: 0, fixed: 0, changed: 0 });
  });

  describe('a new pod and a removed binding', () => {
    let root: string;
    before(() => {
      root = edited('v2', { addSniffer: true, dropBinding: true });
    });

    it('marks new and unchanged, lists what is fixed and what changed, and validates against the schema', () => {
      const r = kubeward(['scan', root, '--baseline', oldJson, '--format', 'json', '--fail-on', 'critical']);
      assert.equal(r.status, 0, `nothing new is critical: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as JsonReport;
      const fresh = report.findings.filter((f) => f.baselineState === 'new');
      assert.ok(fresh.length > 0);
      assert.ok(fresh.every((f) => f.resource.name === 'sniffer'), fresh.map(key).join('\n'));
      assert.ok(fresh.some((f) => f.check === 'pod-violates-baseline-pod-security' && f.severity === 'high'));
      assert.ok(report.findings.filter((f) => f.resource.name === 'debug').every((f) => f.baselineState === 'unchanged'));
      const fixed = report.baseline!.fixed.filter((f) => f.status === 'fail').map((f) => f.check).sort();
      assert.deepEqual(fixed, ['cluster-admin-equivalent-subject', 'serviceaccount-bound-to-cluster-admin']);
      const oldPrints = new Set(old.findings.map((f) => f.fingerprint));
      assert.ok(report.baseline!.fixed.every((f) => oldPrints.has(f.fingerprint!)));
      // The namespace findings list the new pod: the same finding, changed.
      const ingress = report.baseline!.changed.find((c) => c.check === 'namespace-pods-not-isolated-for-ingress');
      assert.ok(ingress && ingress.after.message.includes('shop/sniffer') && !ingress.before.message.includes('shop/sniffer'));
      assert.equal(report.baseline!.new, fresh.length);
      assert.equal(report.baseline!.unchanged + report.baseline!.new, report.findings.length);
      assert.ok(reportValidator()(report), JSON.stringify(reportValidator().errors));
    });

    it('exits 1 when a new finding reaches --fail-on, and the table shows it first, marked NEW, with the fixed ones', () => {
      const r = kubeward(['scan', root, '--baseline', oldJson, '--fail-on', 'high']);
      assert.equal(r.status, 1, r.stderr);
      const section = r.stdout.slice(r.stdout.indexOf('[pod-privileges]'));
      const rows = section.split('\n').filter((l) => /^ {2}(HIGH|MEDIUM|CRITICAL|LOW)/.test(l)).slice(0, 3);
      assert.match(rows[0]!, /^ {2}HIGH {5}NEW pod-violates-baseline-pod-security {2}Pod shop\/sniffer/);
      assert.doesNotMatch(rows[1]!, /NEW/);
      assert.match(r.stdout, /Baseline: \d+ new \(\d+ failing\), \d+ unchanged, \d+ fixed since /);
      assert.match(r.stdout, /FIXED {4}cluster-admin-equivalent-subject {2}ClusterRoleBinding deployer-admin/);
    });

    it('SARIF: baselineState new, unchanged and absent, with the JSON fingerprints', () => {
      const r = kubeward(['scan', root, '--baseline', oldJson, '--format', 'sarif', '--fail-on', 'none']);
      assert.equal(r.status, 0, r.stderr);
      const results = (JSON.parse(r.stdout) as { runs: { results: { ruleId: string; baselineState: string; partialFingerprints: Record<string, string> }[] }[] }).runs[0]!.results;
      const json = JSON.parse(kubeward(['scan', root, '--baseline', oldJson, '--format', 'json', '--fail-on', 'none']).stdout) as JsonReport;
      assert.equal(results.filter((x) => x.baselineState === 'new').length, json.baseline!.new);
      assert.equal(results.filter((x) => x.baselineState === 'unchanged').length, json.baseline!.unchanged);
      const absent = results.filter((x) => x.baselineState === 'absent');
      assert.equal(absent.length, json.baseline!.fixed.length);
      assert.ok(absent.some((x) => x.ruleId === 'cluster-admin-equivalent-subject'));
      const prints = new Set([...json.findings.map((f) => f.fingerprint), ...json.baseline!.fixed.map((f) => f.fingerprint)]);
      assert.ok(results.every((x) => prints.has(x.partialFingerprints['kubewardFinding/v1']!)));
    });

    it('kubeward diff prints new, fixed and changed, and exits by the new findings', () => {
      const newJson = join(dir, 'new.json');
      assert.equal(kubeward(['scan', root, '--format', 'json', '--fail-on', 'none', '-o', newJson]).status, 0);
      const table = kubeward(['diff', oldJson, newJson]);
      assert.equal(table.status, 1, table.stderr);
      assert.match(table.stdout, /^New \(\d+\)\n {2}HIGH {5}pod-violates-baseline-pod-security {2}Pod shop\/sniffer/m);
      assert.match(table.stdout, /^Fixed \(\d+\)\n {2}CRITICAL cluster-admin-equivalent-subject/m);
      assert.match(table.stdout, /^Changed \(\d+\)\n/m);
      assert.match(table.stdout, /now: namespace "shop": 3 of 3 pods\/workloads are not isolated for ingress/);
      assert.equal(kubeward(['diff', oldJson, newJson, '--fail-on', 'critical']).status, 0);
      // Nothing new from a report to itself.
      const itself = kubeward(['diff', newJson, newJson, '--fail-on', 'info']);
      assert.equal(itself.status, 0, itself.stderr);

      const json = kubeward(['diff', oldJson, newJson, '--format', 'json', '--fail-on', 'none']);
      assert.equal(json.status, 0);
      const viaDiff = JSON.parse(json.stdout) as JsonReport;
      const viaScan = JSON.parse(kubeward(['scan', root, '--baseline', oldJson, '--format', 'json', '--fail-on', 'none']).stdout) as JsonReport;
      assert.deepEqual(viaDiff.findings.map((f) => [f.fingerprint, f.baselineState]), viaScan.findings.map((f) => [f.fingerprint, f.baselineState]));
      assert.deepEqual(viaDiff.baseline!.fixed.map((f) => f.fingerprint), viaScan.baseline!.fixed.map((f) => f.fingerprint));
      assert.ok(reportValidator()(viaDiff));

      const html = kubeward(['diff', oldJson, newJson, '--format', 'html', '--fail-on', 'none']);
      assert.equal(html.status, 0);
      assert.match(html.stdout, /^<!DOCTYPE html>/);
      assert.match(html.stdout, /data-testid="baseline-counts"><strong>\d+ new<\/strong>/);
    });
  });

  describe('baselines of other versions', () => {
    const variant = (name: string, change: (r: Record<string, any>) => unknown) => {
      const path = join(dir, name);
      const copy = JSON.parse(JSON.stringify(old)) as Record<string, any>;
      writeFileSync(path, typeof change(copy) === 'string' ? (change(copy) as string) : JSON.stringify(copy, null, 2));
      return path;
    };

    it('reads a report of an earlier kubeward without schemaVersion or fingerprints', () => {
      const path = variant('older.json', (r) => {
        delete r.schemaVersion;
        r.tool.version = '0.0.9';
        for (const f of r.findings) delete f.fingerprint;
      });
      const r = kubeward(['scan', v1, '--baseline', path, '--format', 'json', '--fail-on', 'info']);
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.equal(report.baseline!.toolVersion, '0.0.9');
      assert.equal(report.baseline!.new, 0);
      assert.equal(report.baseline!.fixed.length, 0);
    });

    it('notes findings of checks this version does not have, and counts them fixed', () => {
      const path = variant('renamed.json', (r) => {
        r.findings[0].check = 'a-check-from-the-future';
      });
      const r = kubeward(['scan', v1, '--baseline', path, '--format', 'json', '--fail-on', 'none']);
      assert.equal(r.status, 0);
      assert.match(r.stderr, /note: baseline .*renamed\.json \(kubeward 0\.1\.0\) has findings of 1 check\(s\) kubeward \S+ does not have \(a-check-from-the-future\): they count as fixed/);
      assert.equal((JSON.parse(r.stdout) as JsonReport).baseline!.fixed[0]!.check, 'a-check-from-the-future');
    });

    const refusals: [string, (r: Record<string, any>) => unknown, RegExp][] = [
      ['schema2.json', (r) => { r.schemaVersion = 2; r.tool.version = '9.0.0'; }, /baseline \S+schema2\.json: report schema version 2 \(written by kubeward 9\.0\.0\); kubeward \S+ reads version 1: write the report again/],
      ['sarif.json', () => JSON.stringify({ version: '2.1.0', runs: [] }), /sarif\.json: is a SARIF log; a baseline is a report of kubeward scan --format json/],
      ['other.json', (r) => { r.tool.name = 'kubescape'; }, /other\.json: written by "kubescape", not kubeward/],
      ['bad-finding.json', (r) => { delete r.findings[3].resource; }, /bad-finding\.json: findings\[3\] has no resource kind and name \(written by kubeward 0\.1\.0\)/],
      ['broken.json', () => '{\n  "kind": "ScanReport",\n  "findings": [\n    oops\n  ]\n}\n', /baseline \S+broken\.json:4: invalid JSON/],
    ];
    for (const [name, change, message] of refusals) {
      it(`refuses ${name} with a clear error and exit 2`, () => {
        const path = variant(name, change);
        const r = kubeward(['scan', v1, '--baseline', path]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
      });
    }

    it('refuses a missing baseline and a diff of one report', () => {
      const missing = kubeward(['scan', v1, '--baseline', join(dir, 'nope.json')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot read baseline \S+nope\.json: no such file or directory/);
      const one = kubeward(['diff', oldJson]);
      assert.equal(one.status, 2);
      assert.match(one.stderr, /give two reports, OLD\.json and NEW\.json \(got 1\)/);
    });
  });
});
