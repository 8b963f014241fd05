// `--format html`: one self-contained file for people who will not read a terminal. Styles and
// the script are inline (the script is client.ts, compiled beside this module), the pictures
// are SVG drawn here (svg.ts), fonts are the system's: the page makes no request, which its
// Content-Security-Policy enforces (default-src 'none', the script and style allowed by hash).
// Like the JSON report it holds only what findings say: never a Secret's value.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ControlReport, FrameworkReport } from '../../frameworks/framework.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { SECTIONS, SEVERITIES, severityRank } from '../../checks/sections.js';
import { describeRef, fileLine } from '../../inventory/types.js';
import { withFingerprints } from '../json.js';
import type { Finding, Report } from '../types.js';
import { STYLES } from './styles.js';
import { escapeHtml as h, escalationGraph, reachabilityHeatmap, severityChart } from './svg.js';
import type { ReportViews } from './views.js';

const STATUS_ORDER = { fail: 0, excepted: 1, 'not-evaluated': 2 } as const;

let client: string | undefined;
function clientScript(): string {
  // The compiled module, less its source-map comment (a map would be one more file to fetch).
  client ??= readFileSync(new URL('./client.js', import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return client;
}

/** New findings first (with a baseline), then by severity, status, section and check. */
function htmlOrder(findings: readonly Finding[]): Finding[] {
  const section = new Map(SECTIONS.map((s, i) => [s.slug as string, i]));
  return [...findings].sort((a, b) =>
    Number(b.baselineState === 'new') - Number(a.baselineState === 'new') ||
    severityRank(b.severity) - severityRank(a.severity) ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    section.get(a.section)! - section.get(b.section)! ||
    a.check.localeCompare(b.check));
}

export function formatHtml(report: Report, views?: ReportViews): string {
  const findings = htmlOrder(withFingerprints(report.findings));
  const remediations: string[] = [];
  const remediationIndex = new Map<string, number>();
  const rows = findings.map((f) => {
    let e = -1;
    if (f.remediation) {
      e = remediationIndex.get(f.remediation) ?? remediations.push(f.remediation) - 1;
      remediationIndex.set(f.remediation, e);
    }
    return {
      s: f.section, v: f.severity, t: f.status, n: f.resource.namespace ?? '', c: f.check, b: f.baselineState ?? '',
      r: describeRef(f.resource), m: f.message, w: f.location ? `${fileLine(f.location.file, f.location.line)}` : '',
      f: f.field ?? '', x: f.exception ? `${f.exception.reason}${f.exception.expires ? ` (until ${f.exception.expires})` : ''}` : '', e, p: f.fingerprint!,
    };
  });
  const used = new Set(findings.map((f) => f.check));
  const checks = Object.fromEntries(ALL_CHECKS.filter((c) => used.has(c.id)).map((c) => [c.id, { title: c.title, what: c.docs.what, why: c.docs.why, refs: c.docs.references ?? [] }]));
  const data = { rows, checks, remediations, sections: SECTIONS.map((s) => [s.slug, s.title]), severities: SEVERITIES };
  // In a script element only "</script" and "<!--" could end or alter it: no "<" at all is left.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const script = clientScript();
  const csp = `default-src 'none'; script-src '${sha256(script)}'; style-src '${sha256(STYLES)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const title = `kubeward report: ${report.sources.map((s) => s.name).join(', ') || 'scan'}`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kubeward ${h(report.tool.version)}">
<title>${h(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header>
<h1>kubeward report</h1>
${overview(report)}
</header>
<main>
${baselineSummary(report)}
<section id="sections" aria-labelledby="h-sections">
<h2 id="h-sections">The guide's 17 sections</h2>
<p class="hint">Failures by severity in each section of <em>Securing a Cluster</em>.</p>
<div class="chart-box">${severityChart(report.findings)}</div>
${sectionTable(report)}
</section>
${report.framework ? frameworkSection(report.framework) : ''}
${notEvaluated(report)}
<section id="findings" aria-labelledby="h-findings">
<h2 id="h-findings">Findings</h2>
<form class="filters" id="filters" role="search">
<label>Section <select id="filter-s"></select></label>
<label>Severity <select id="filter-v"></select></label>
<label>Status <select id="filter-t"></select></label>
<label>Namespace <select id="filter-n"></select></label>
<label>Check <select id="filter-c"></select></label>
${report.baseline ? '<label>Baseline <select id="filter-b"></select></label>' : ''}
<label class="text">Text <input id="filter-text" type="search" placeholder="object, message, file, field"></label>
<button type="button" id="filter-reset">Reset</button>
</form>
<p><output id="shown" for="filters">${rows.length} findings</output>; select a row for its details and how to fix it.</p>
<div class="table-box"><table class="findings">
<thead><tr><th>Severity</th><th>Status</th><th>Section</th><th>Check</th><th>Object</th><th>Message</th></tr></thead>
<tbody id="rows"></tbody>
</table></div>
<button type="button" id="show-more" hidden></button>
<noscript><p>The findings table needs JavaScript; the JSON report (--format json) has every finding.</p></noscript>
</section>
${views ? escalation(views) + reachability(views) : ''}
${inputErrors(report)}
</main>
<footer>kubeward ${h(report.tool.version)} · report generated ${h(report.generatedAt)} · <code>kubeward explain CHECK</code> prints a check's documentation</footer>
<script type="application/json" id="kubeward-data">${json}</script>
<script type="module">${script}</script>
</body>
</html>
`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text).digest('base64')}`;
}

function overview(report: Report): string {
  const count = (status: Finding['status']) => report.findings.filter((f) => f.status === status).length;
  const objects = report.sources.reduce((n, s) => n + (s.objects ?? 0), 0);
  const sources = report.sources.map((s) => `${h(s.type)} <code>${h(s.name)}</code>${s.objects !== undefined ? ` (${s.objects} objects)` : ''}`);
  const fails = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.status === 'fail' && f.severity === s).length] as const);
  return `<dl class="overview">
<dt>Cluster</dt><dd>${sources.length > 0 ? sources.join(', ') : 'no source'}; ${objects} objects</dd>
<dt>Kubernetes</dt><dd>${h(report.kubernetesVersion ?? 'version unknown')}${report.kubernetesVersionSource ? ` <span class="muted">(from ${h(report.kubernetesVersionSource)})</span>` : ''}</dd>
<dt>Scanned</dt><dd><time datetime="${h(report.generatedAt)}">${h(report.generatedAt)}</time> by kubeward ${h(report.tool.version)}</dd>
<dt>Result</dt><dd class="totals" data-testid="totals">${fails.map(([s, n]) => `<span class="sev sev-${s}">${n} ${s}</span>`).join(' ')} · ${count('excepted')} excepted · ${count('not-evaluated')} not evaluated${report.errors.length > 0 ? ` · <strong class="incomplete">incomplete scan: ${report.errors.length} input error(s)</strong>` : ''}</dd>
</dl>`;
}

function baselineSummary(report: Report): string {
  const b = report.baseline;
  if (!b) return '';
  const fixed = b.fixed.map((f) => `<tr><td><span class="sev sev-${f.severity}">${f.severity}</span></td><td>${h(f.check)}</td><td>${h(describeRef(f.resource))}</td><td>${h(f.message)}</td></tr>`).join('');
  const changed = b.changed.map((c) => `<tr><td>${h(c.check)}</td><td>${h(describeRef(c.resource))}</td><td>${h(`${c.before.status}, ${c.before.severity}: ${c.before.message}`)}</td><td>${h(`${c.after.status}, ${c.after.severity}: ${c.after.message}`)}</td></tr>`).join('');
  return `<section id="baseline" aria-labelledby="h-baseline">
<h2 id="h-baseline">Against the baseline</h2>
<p data-testid="baseline-counts"><strong>${b.new} new</strong>, ${b.unchanged} unchanged, ${b.fixed.length} fixed, ${b.changed.length} changed since <code>${h(b.source)}</code> (${h(b.generatedAt || 'time unknown')}, kubeward ${h(b.toolVersion)}). New findings come first in the table.</p>
${report.errors.length > 0 ? '<p class="incomplete">This scan is incomplete: some findings listed as fixed may only not have been read.</p>' : ''}
${fixed ? `<details><summary>Fixed (${b.fixed.length})</summary><div class="table-box"><table class="plain" id="fixed"><thead><tr><th>Severity</th><th>Check</th><th>Object</th><th>Message</th></tr></thead><tbody>${fixed}</tbody></table></div></details>` : ''}
${changed ? `<details><summary>Changed (${b.changed.length})</summary><div class="table-box"><table class="plain" id="changed"><thead><tr><th>Check</th><th>Object</th><th>Before</th><th>After</th></tr></thead><tbody>${changed}</tbody></table></div></details>` : ''}
</section>`;
}

function sectionTable(report: Report): string {
  const rows = SECTIONS.map((s) => {
    const findings = report.findings.filter((f) => f.section === s.slug);
    const checks = report.checks.filter((c) => c.section === s.slug);
    const bySeverity = SEVERITIES.map((sev) => findings.filter((f) => f.status === 'fail' && f.severity === sev).length);
    const passes = checks.reduce((n, c) => n + c.pass, 0);
    const count = (status: Finding['status']) => findings.filter((f) => f.status === status).length;
    return `<tr data-section="${s.slug}"><th scope="row">${h(s.title)} <span class="muted">${s.slug}</span></th>${bySeverity.map((n, i) => `<td class="${n > 0 ? `sev-text-${SEVERITIES[i]}` : 'zero'}">${n}</td>`).join('')}<td>${count('excepted')}</td><td>${count('not-evaluated')}</td><td>${passes}</td><td>${checks.length}</td></tr>`;
  });
  return `<div class="table-box"><table class="plain sections" id="section-table"><thead><tr><th>Section</th>${SEVERITIES.map((s) => `<th>${s}</th>`).join('')}<th>excepted</th><th>not evaluated</th><th>passed</th><th>checks</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const VERDICT_CLASS = { pass: 'zero', fail: 'sev-text-high', warn: 'sev-text-medium', 'not-evaluated': 'muted' } as const;

/** --framework: every control in order with its verdict and the checks behind it, totals per group. */
function frameworkSection(framework: FrameworkReport): string {
  const label = (v: ControlReport['verdict']) => `<span class="${VERDICT_CLASS[v]}">${v === 'not-evaluated' ? 'NOT EVALUATED' : v.toUpperCase()}</span>`;
  const groups = framework.groups.map((g) => {
    const rows = framework.controls.filter((c) => c.group === g.id).map((c) => {
      const failed = c.evidence.filter((e) => e.outcome === 'fail');
      const why = c.verdict === 'fail' ? `${failed.length} failing: ${failed.slice(0, 3).map((e) => `${e.check}: ${e.message ?? e.note ?? ''}`).join('; ')}${failed.length > 3 ? ' …' : ''}` : c.reason ?? '';
      return `<tr data-control="${h(c.id)}" data-verdict="${c.verdict}"><td>${label(c.verdict)}</td><th scope="row">${h(c.id)}</th><td>${h(c.title)} <span class="muted">(${c.assessment})</span></td><td>${c.checks.map(h).join(', ')}</td><td>${h(why)}</td></tr>`;
    });
    return `<tr class="group"><th colspan="5" scope="rowgroup">${h(g.id)} ${h(g.title)} <span class="muted">${g.pass} pass, ${g.fail} fail, ${g.warn} warn, ${g['not-evaluated']} not evaluated</span></th></tr>${rows.join('')}`;
  });
  const t = framework.totals;
  return `<section id="framework" aria-labelledby="h-framework">
<h2 id="h-framework">${h(framework.title)}</h2>
<p class="hint">${t.pass} PASS, ${t.fail} FAIL, ${t.warn} WARN (manual review or accepted exceptions), ${t['not-evaluated']} NOT EVALUATED (the input does not show it).</p>
<div class="table-box"><table class="plain" id="framework-table"><thead><tr><th>Verdict</th><th>Control</th><th>Title</th><th>kubeward checks</th><th>Why</th></tr></thead><tbody>${groups.join('')}</tbody></table></div>
</section>`;
}

function notEvaluated(report: Report): string {
  const reasons = new Map<string, { check: string; reason: string; count: number }>();
  for (const f of report.findings) {
    if (f.status !== 'not-evaluated') continue;
    const key = `${f.check}\u0000${f.message}`;
    const entry = reasons.get(key) ?? { check: f.check, reason: f.message, count: 0 };
    entry.count++;
    reasons.set(key, entry);
  }
  const total = [...reasons.values()].reduce((n, r) => n + r.count, 0);
  return `<section id="not-evaluated" aria-labelledby="h-not-evaluated">
<h2 id="h-not-evaluated">Not evaluated: ${total}</h2>
${total === 0 ? '<p>Every check could be evaluated with this input.</p>' : `<p class="hint">These checks could not decide with this input; they are not passes.</p><div class="table-box"><table class="plain"><thead><tr><th>Check</th><th>Findings</th><th>Reason</th></tr></thead><tbody>${[...reasons.values()].map((r) => `<tr><td>${h(r.check)}</td><td>${r.count}</td><td>${h(r.reason)}</td></tr>`).join('')}</tbody></table></div>`}
</section>`;
}

function escalation(views: ReportViews): string {
  const v = views.escalation;
  return `<section id="escalation" aria-labelledby="h-escalation">
<h2 id="h-escalation">RBAC escalation paths to cluster-admin</h2>
${v.paths.length === 0 ? '<p>No subject outside the API server\'s own has a path to cluster-admin.</p>' : `<p class="hint">Each arrow is one step a subject can take (hover for the binding and rule behind it). ${v.paths.length} subject(s) drawn${v.omitted > 0 ? `; ${v.omitted} more: <code>kubeward rbac paths --to cluster-admin</code>` : ''}.</p>
<div class="graph-box">${escalationGraph(v)}</div>
<ul class="paths">${v.paths.map((p) => `<li>${h(p.subject)}: ${p.steps} step${p.steps === 1 ? '' : 's'}</li>`).join('')}</ul>`}
</section>`;
}

function reachability(views: ReportViews): string {
  const v = views.reachability;
  return `<section id="reachability" aria-labelledby="h-reachability">
<h2 id="h-reachability">NetworkPolicy reachability between namespaces</h2>
${v.namespaces.length === 0 ? '<p>The input has no pods or workloads.</p>' : `<p class="hint">Row: from, column: to. A cell is allowed when some pod of the row's namespace can reach some pod of the column's on some port. <span class="key allowed"></span> allowed <span class="key denied"></span> denied <span class="key undecided"></span> undecided (the input lacks labels or IPs)${v.omitted > 0 ? `; ${v.omitted} smaller namespaces left out: <code>kubeward netpol matrix</code>` : ''}.</p>
<div class="heatmap-box">${reachabilityHeatmap(v)}</div>`}
</section>`;
}

function inputErrors(report: Report): string {
  if (report.errors.length === 0) return '';
  return `<section id="errors" aria-labelledby="h-errors">
<h2 id="h-errors" class="incomplete">Incomplete scan: ${report.errors.length} input error(s)</h2>
<ul>${report.errors.map((e) => `<li><code>${h(`${fileLine(e.source, e.line)}`)}</code>: ${h(e.message)}</li>`).join('')}</ul>
</section>`;
}
