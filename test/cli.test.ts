// End to end: `node bin/kubeward.js scan` on real files in temporary folders, as CI runs it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { severityRank, type Severity } from '../src/checks/sections.js';
import type { Report } from '../src/report/types.js';
import { SHOP_DEPLOYMENT, kubeward, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { reportValidator } from '../src/testing/report-schema.js';

const validateReport = reportValidator();
const QUOTA_CHECK = 'namespace-without-resource-quota';

function json(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
  return report;
}

/** The exit code the contract gives for a report at a --fail-on threshold. */
function expectedExit(report: Report, failOn: Severity | 'none'): number {
  if (report.errors.length > 0) return 2;
  if (failOn === 'none') return 0;
  return report.findings.some((f) => f.status === 'fail' && severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

describe('kubeward CLI', () => {
  const tree = tempTree({ 'manifests/shop.yaml': SHOP_DEPLOYMENT });
  after(tree.cleanup);
  const manifests = join(tree.dir, 'manifests');

  it('prints help and exits 0', () => {
    const r = kubeward(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /scan/);
    assert.match(kubeward(['scan', '--help']).stdout, /--format table\|json\|sarif\|junit/);
  });

  it('exits 2 on usage errors, with a message and no stack trace', () => {
    for (const args of [['scan', '--bogus', manifests], ['scan', '--format', 'xml', manifests], ['scan'], ['scan', '--fail-on', 'urgent', manifests], ['nonsense']]) {
      const r = kubeward(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.ok(r.stderr.length > 0);
      assert.equal(r.stdout.includes('"ScanReport"'), false);
    }
  });

  it('--fail-on sets the threshold of exit code 1', () => {
    const report = json(kubeward(['scan', manifests, '--format', 'json']).stdout);
    const quota = report.findings.find((f) => f.check === QUOTA_CHECK)!;
    assert.equal(quota.status, 'fail');
    assert.equal(quota.severity, 'medium');
    for (const failOn of ['critical', 'high', 'medium', 'low', 'info', 'none'] as const) {
      const r = kubeward(['scan', manifests, '--format', 'json', '--fail-on', failOn]);
      assert.equal(r.status, expectedExit(report, failOn), `--fail-on ${failOn}`);
    }
    // A medium failure is in the report, so these are certain.
    assert.equal(kubeward(['scan', manifests, '--fail-on', 'medium']).status, 1);
    assert.equal(kubeward(['scan', manifests, '--fail-on', 'none']).status, 0);
  });

  it('--output writes the report to a file and nothing to stdout', () => {
    for (const format of ['json', 'sarif', 'junit', 'table'] as const) {
      const out = join(tree.dir, `report.${format}`);
      const r = kubeward(['scan', manifests, '--format', format, '--output', out, '--fail-on', 'none']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, '');
      const text = readFileSync(out, 'utf8');
      if (format === 'json') assert.equal(json(text).kind, 'ScanReport');
      if (format === 'sarif') assert.equal(JSON.parse(text).version, '2.1.0');
      if (format === 'junit') assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
      if (format === 'table') assert.match(text, /Limiting resource usage on a cluster/);
      assert.doesNotMatch(text, /\u001b\[/, 'no colour in files');
    }
  });

  it('writes SARIF locations relative to the working directory', () => {
    const r = kubeward(['scan', 'manifests', '--format', 'sarif', '--fail-on', 'none'], { cwd: tree.dir });
    const results = JSON.parse(r.stdout).runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[];
    const uris = results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('manifests/shop.yaml') || uris.every((u) => u.startsWith('kubernetes/')), uris.join(', '));
  });

  it('reads stdin with "-"', () => {
    const r = kubeward(['scan', '-', '--format', 'json', '--fail-on', 'none'], { input: SHOP_DEPLOYMENT });
    const report = json(r.stdout);
    assert.equal(report.sources[0]!.type, 'stdin');
    assert.equal(report.sources[0]!.objects, 1);
    assert.ok(report.findings.some((f) => f.check === QUOTA_CHECK && f.status === 'fail'));
  });

  it('prints no colour when stdout is not a terminal', () => {
    const r = kubeward(['scan', manifests]);
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    assert.match(r.stdout, /Summary: /);
  });
});

describe('exceptions end to end', () => {
  const tree = tempTree({
    'manifests/shop.yaml': SHOP_DEPLOYMENT,
    'manifests/team.yaml': SHOP_DEPLOYMENT.replace(/shop/g, 'team-a').replace(/name: web/, 'name: api'),
    'all.yaml': 'exceptions:\n  - check: "*"\n    reason: accepted for this test\n',
    'quota-shop.yaml': `exceptions:\n  - check: ${QUOTA_CHECK}\n    namespace: "sh*"\n    reason: shop is being decommissioned\n    expires: 2999-12-31\n`,
    'expired.yaml': `exceptions:\n  - check: ${QUOTA_CHECK}\n    namespace: shop\n    reason: temporary\n    expires: 2020-01-31\n`,
    'no-reason.yaml': `exceptions:\n  - check: ${QUOTA_CHECK}\n    namespace: shop\n`,
    'typo.yaml': `exceptions:\n  - check: ${QUOTA_CHECK}\n    namepsace: shop\n    reason: typo\n`,
  });
  after(tree.cleanup);
  const manifests = join(tree.dir, 'manifests');
  const scan = (...args: string[]) => kubeward(['scan', manifests, '--format', 'json', ...args]);

  it('an exception matching every finding makes the scan pass, findings kept as excepted', () => {
    const r = scan('--exceptions', join(tree.dir, 'all.yaml'), '--fail-on', 'info');
    const report = json(r.stdout);
    assert.equal(r.status, 0);
    assert.ok(report.findings.length > 0);
    assert.ok(report.findings.filter((f) => f.status !== 'not-evaluated').every((f) => f.status === 'excepted' && f.exception?.reason === 'accepted for this test'));
    assert.equal(report.checks.find((c) => c.id === QUOTA_CHECK)!.excepted, 2);
  });

  it('globs select the findings: only shop is excepted', () => {
    const report = json(scan('--exceptions', join(tree.dir, 'quota-shop.yaml')).stdout);
    const quota = report.findings.filter((f) => f.check === QUOTA_CHECK);
    assert.deepEqual(quota.map((f) => [f.resource.name, f.status]).sort(), [['shop', 'excepted'], ['team-a', 'fail']]);
    assert.equal(quota.find((f) => f.status === 'excepted')!.exception!.expires, '2999-12-31');
  });

  it('an expired exception no longer applies and is reported', () => {
    const r = scan('--exceptions', join(tree.dir, 'expired.yaml'), '--fail-on', 'medium');
    const report = json(r.stdout);
    assert.equal(r.status, 1);
    assert.equal(report.findings.find((f) => f.check === QUOTA_CHECK && f.resource.name === 'shop')!.status, 'fail');
    assert.deepEqual(report.expiredExceptions.map((e) => [e.check, e.expires]), [[QUOTA_CHECK, '2020-01-31']]);
    const table = kubeward(['scan', manifests, '--exceptions', join(tree.dir, 'expired.yaml')]).stdout;
    assert.match(table, /expired exception \(no longer applies\): namespace-without-resource-quota shop\/\* expired 2020-01-31/);
    const sarif = JSON.parse(kubeward(['scan', manifests, '--format', 'sarif', '--exceptions', join(tree.dir, 'expired.yaml')]).stdout);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /expired on 2020-01-31/);
  });

  it('--now decides expiry', () => {
    const report = json(scan('--exceptions', join(tree.dir, 'expired.yaml'), '--now', '2020-01-31T23:00:00Z').stdout);
    assert.equal(report.findings.find((f) => f.check === QUOTA_CHECK && f.resource.name === 'shop')!.status, 'excepted');
    assert.deepEqual(report.expiredExceptions, []);
  });

  it('an exception without a reason, or with an unknown field, is a usage error (exit 2)', () => {
    const noReason = scan('--exceptions', join(tree.dir, 'no-reason.yaml'));
    assert.equal(noReason.status, 2);
    assert.match(noReason.stderr, /entry 1 \(namespace-without-resource-quota\) has no "reason"/);
    const typo = scan('--exceptions', join(tree.dir, 'typo.yaml'));
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /unknown field\(s\) namepsace/);
    const missing = scan('--exceptions', join(tree.dir, 'nope.yaml'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.yaml/);
  });

  it('kubeward.io/ignore annotations count only with --allow-annotation-exceptions', () => {
    const annotated = tempTree({
      'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations:\n    kubeward.io/ignore: "${QUOTA_CHECK}"\n    kubeward.io/ignore-reason: batch namespace, sized by the scheduler\n`,
      'shop.yaml': SHOP_DEPLOYMENT,
    });
    try {
      const quota = (r: Report) => r.findings.find((f) => f.check === QUOTA_CHECK)!;
      const without = json(kubeward(['scan', annotated.dir, '--format', 'json']).stdout);
      assert.equal(quota(without).status, 'fail');
      const allowed = json(kubeward(['scan', annotated.dir, '--format', 'json', '--allow-annotation-exceptions']).stdout);
      assert.equal(quota(allowed).status, 'excepted');
      assert.equal(quota(allowed).exception!.reason, 'batch namespace, sized by the scheduler');
    } finally {
      annotated.cleanup();
    }
  });
});

describe('output to a reader that stops early', () => {
  it('ends quietly when the pipe closes (`| head`), for a list and for a streamed JSON report', () => {
    for (const command of ['checks', 'scan examples/insecure-cluster --format json --fail-on none']) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/kubeward.js ${command} | head -c 1 >/dev/null`], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(r.stderr, '', command);
    }
  });
});
