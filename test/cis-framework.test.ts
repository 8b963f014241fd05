// The CIS Kubernetes Benchmark 1.12 view: the control table kept in the project, every check's
// typed mapping against it, and `kubeward scan --framework cis-1.12` / `explain cis-1.12` through
// the CLI on the example clusters.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { CIS_1_12_CONTROLS, CIS_1_12_GROUPS, cisGroupOf } from '../src/frameworks/cis-1.12.js';
import type { FrameworkReport } from '../src/frameworks/framework.js';
import type { Report } from '../src/report/types.js';
import { kubeward } from '../src/testing/cli.js';
import { HARDENED_NOW } from '../src/testing/cis.js';
import { runExample } from '../src/testing/index.js';
import { reportValidator } from '../src/testing/report-schema.js';

const IDS = new Set<string>(CIS_1_12_CONTROLS.map((c) => c.id));
const AUDITED = CIS_1_12_CONTROLS.filter((c) => c.audited);

/** Dotted ids compare part by part: 1.2.9 < 1.2.10. */
function compareIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

describe('the CIS 1.12 control table', () => {
  it('holds the 131 controls of kube-bench\'s cfg/cis-1.12, 103 of them audited, once each and in order', () => {
    assert.equal(CIS_1_12_CONTROLS.length, 131);
    assert.equal(AUDITED.length, 103);
    assert.equal(IDS.size, 131);
    const sorted = [...CIS_1_12_CONTROLS].sort((a, b) => compareIds(a.id, b.id));
    assert.deepEqual(CIS_1_12_CONTROLS.map((c) => c.id), sorted.map((c) => c.id));
    const perGroup = new Map(CIS_1_12_GROUPS.map((g) => [g.id, CIS_1_12_CONTROLS.filter((c) => cisGroupOf(c.id) === g.id).length]));
    assert.deepEqual(Object.fromEntries(perGroup), { '1.1': 21, '1.2': 30, '1.3': 7, '1.4': 2, '2': 7, '3.1': 3, '3.2': 2, '4.1': 10, '4.2': 14, '4.3': 1, '5.1': 13, '5.2': 12, '5.3': 2, '5.4': 2, '5.5': 1, '5.6': 4 });
    for (const c of CIS_1_12_CONTROLS) assert.ok(c.title.length > 10 && !/\((Automated|Manual)\)/.test(c.title), c.id);
  });
});

describe('every check\'s CIS mapping', () => {
  it('names only controls of the table, once each', () => {
    for (const check of ALL_CHECKS) {
      const ids = check.cis?.['1.12'] ?? [];
      for (const id of ids) assert.ok(IDS.has(id), `${check.id}: ${id} is not a CIS 1.12 control`);
      assert.equal(new Set(ids).size, ids.length, `${check.id} names a control twice`);
    }
  });

  it('covers every control kube-bench audits', () => {
    const mapped = new Set(ALL_CHECKS.flatMap((c) => c.cis?.['1.12'] ?? []));
    assert.deepEqual(AUDITED.filter((c) => !mapped.has(c.id)).map((c) => c.id), []);
  });

  it('is the only place a check cites CIS: no free-text "CIS" reference of unnamed edition is left', () => {
    const cited = ALL_CHECKS.filter((c) => (c.docs.references ?? []).some((r) => /\bCIS\b/.test(r)));
    assert.deepEqual(cited.map((c) => c.id), []);
  });

  it('judges per result only controls its check declares (explain and docs list them all)', async () => {
    for (const check of ALL_CHECKS) {
      const declared = new Set<string>(check.cis?.['1.12'] ?? []);
      for (const example of [...check.examples.fail, ...check.examples.pass]) {
        for (const result of await runExample(check, example)) {
          for (const id of Object.keys(result.cis?.['1.12'] ?? {})) assert.ok(declared.has(id), `${check.id}: a result judges ${id}, which the check does not declare`);
        }
      }
    }
  });
});

function scanJson(args: string[]): Report {
  const r = kubeward(['scan', ...args, '--framework', 'cis-1.12', '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

describe('kubeward scan --framework cis-1.12', () => {
  it('gives every control of the hardened cluster a verdict, PASS for every control kube-bench audits but those it fails on any kubeadm cluster', () => {
    const report = scanJson(['examples/hardened-cluster', '--now', HARDENED_NOW]);
    const validate = reportValidator();
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    const framework = report.framework!;
    assert.deepEqual(framework.controls.map((c) => c.id), CIS_1_12_CONTROLS.map((c) => c.id));
    const notPassing = framework.controls.filter((c) => c.audited && c.verdict !== 'pass');
    // kube-bench's audits fail these on every kubeadm cluster: the kubeadm:cluster-admins binding
    // (5.1.1), the cluster-admin role's "*" (5.1.3), pods that need their token (5.1.6), privileged
    // and host-network system pods (5.2.2, 5.2.5). They are CIS Manual controls: a person decides.
    assert.deepEqual(notPassing.map((c) => `${c.id} ${c.verdict}`), ['5.1.1 fail', '5.1.3 fail', '5.1.6 fail', '5.2.2 fail', '5.2.5 fail'],
      notPassing.map((c) => `${c.id} ${c.verdict}: ${c.reason ?? c.evidence.map((e) => e.message).join('; ')}`).join('\n'));
    assertTotals(framework);
  });

  it('fails the controls the insecure cluster breaks, with the findings behind them', () => {
    const framework = scanJson(['examples/insecure-cluster']).framework!;
    const verdict = (id: string) => framework.controls.find((c) => c.id === id)!;
    // --authorization-mode=RBAC without Node, no NodeRestriction, anonymous kubelet, read-only port 10255.
    for (const id of ['1.2.7', '1.2.14', '4.2.1', '4.2.4']) {
      assert.equal(verdict(id).verdict, 'fail', `${id}: ${JSON.stringify(verdict(id))}`);
      assert.ok(verdict(id).evidence.some((e) => e.outcome === 'fail' && e.message), id);
    }
    assert.equal(verdict('1.2.8').verdict, 'pass', 'RBAC is on');
    assertTotals(framework);
  });

  it('says NOT EVALUATED, never PASS, for node controls of a manifest-only scan, and WARN for manual ones', () => {
    const framework = scanJson(['examples/insecure-cluster/cluster']).framework!;
    for (const id of ['1.1.1', '1.2.15', '4.2.1']) assert.equal(framework.controls.find((c) => c.id === id)!.verdict, 'not-evaluated', id);
    for (const c of framework.controls.filter((x) => x.checks.length === 0)) assert.equal(c.verdict, 'warn', c.id);
  });

  it('prints the controls in order with kube-bench\'s labels and a summary per group', () => {
    const r = kubeward(['scan', 'examples/insecure-cluster', '--framework', 'cis-1.12', '--fail-on', 'none']);
    assert.equal(r.status, 0, r.stderr);
    const controlLines = r.stdout.split('\n').filter((l) => /^\[(PASS|FAIL|WARN|NOT EVALUATED)\] /.test(l));
    assert.deepEqual(controlLines.map((l) => l.replace(/^\[[A-Z ]+\] (\S+) .*$/, '$1')), CIS_1_12_CONTROLS.map((c) => c.id));
    assert.match(r.stdout, /^\[FAIL\] 1\.2\.7 Ensure that the --authorization-mode argument includes Node \(Automated\)/m);
    assert.equal(r.stdout.match(/^== Summary [0-9.]+ == /gm)?.length, CIS_1_12_GROUPS.length);
    assert.match(r.stdout, /^== Summary total == \d+ checks PASS, \d+ checks FAIL, \d+ checks WARN, \d+ checks NOT EVALUATED$/m);
  });

  it('writes JUnit with one testcase per control: failures fail, WARN and NOT EVALUATED are skipped', () => {
    const r = kubeward(['scan', 'examples/insecure-cluster', '--framework', 'cis-1.12', '--format', 'junit', '--fail-on', 'none']);
    assert.equal(r.status, 0, r.stderr);
    const framework = scanJson(['examples/insecure-cluster']).framework!;
    const totals = r.stdout.match(/<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="0" skipped="(\d+)"/);
    assert.ok(totals, r.stdout.slice(0, 400));
    assert.deepEqual(totals.slice(1).map(Number), [131, framework.totals.fail, framework.totals.warn + framework.totals['not-evaluated']]);
    assert.match(r.stdout, /<testcase classname="kubeward\.cis-1\.12\.1\.2" name="1\.2\.7 Ensure that the --authorization-mode argument includes Node">\n\s+<failure /);
  });

  it('adds the controls to the HTML report, one row each with its verdict', () => {
    const r = kubeward(['scan', 'examples/insecure-cluster', '--framework', 'cis-1.12', '--format', 'html', '--fail-on', 'none']);
    assert.equal(r.status, 0, r.stderr);
    const framework = scanJson(['examples/insecure-cluster']).framework!;
    const rows = [...r.stdout.matchAll(/<tr data-control="([0-9.]+)" data-verdict="([a-z-]+)">/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(rows, framework.controls.map((c) => `${c.id} ${c.verdict}`));
  });

  it('tags SARIF rules with the CIS controls they evaluate; results stay findings', () => {
    const r = kubeward(['scan', 'examples/insecure-cluster', '--framework', 'cis-1.12', '--format', 'sarif', '--fail-on', 'none']);
    assert.equal(r.status, 0, r.stderr);
    const run = (JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } }; results: unknown[] }[] }).runs[0]!;
    const rule = run.tool.driver.rules.find((x) => x.id === 'node-restriction-admission-disabled')!;
    assert.ok(rule.properties.tags.includes('CIS-1.12-1.2.14'), JSON.stringify(rule.properties.tags));
    assert.equal(run.results.length, scanJson(['examples/insecure-cluster']).findings.length);
  });

  it('rejects an unknown framework with a usage error', () => {
    const r = kubeward(['scan', 'examples/insecure-cluster', '--framework', 'cis-1.8']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--framework must be one of cis-1\.12/);
  });
});

describe('kubeward explain cis-1.12', () => {
  it('lists every control with the checks behind it', () => {
    const r = kubeward(['explain', 'cis-1.12']);
    assert.equal(r.status, 0, r.stderr);
    for (const c of CIS_1_12_CONTROLS) assert.ok(r.stdout.includes(`| ${c.id} ${c.title} |`), c.id);
    const nodeRestriction = ALL_CHECKS.filter((c) => c.cis?.['1.12']?.includes('1.2.14')).map((c) => c.id);
    assert.ok(nodeRestriction.length > 0);
    assert.match(r.stdout, new RegExp(`\\| 1\\.2\\.14 [^|]+ \\| Automated \\| yes \\| ${nodeRestriction.map((id) => `\`${id}\``).join(', ')} \\|`));
  });
});

function assertTotals(framework: FrameworkReport): void {
  const sum = framework.totals.pass + framework.totals.fail + framework.totals.warn + framework.totals['not-evaluated'];
  assert.equal(sum, 131);
  const groups = framework.groups.reduce((n, g) => n + g.pass + g.fail + g.warn + g['not-evaluated'], 0);
  assert.equal(groups, 131);
}
