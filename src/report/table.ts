// The terminal report: findings grouped by the guide's sections, with a summary per section.

import { SECTIONS, SEVERITIES, severityRank } from '../checks/sections.js';
import { describeRef } from '../inventory/types.js';
import { palette as makePalette } from './color.js';
import type { Finding, Report } from './types.js';

export interface TableOptions {
  color: boolean;
  /** Also list not-evaluated findings one by one (default: counted per section). */
  verbose?: boolean;
}

export function formatTable(report: Report, options: TableOptions): string {
  const p = makePalette(options.color);
  const lines: string[] = [];
  lines.push(p.bold(`kubeward ${report.tool.version}`) + `  Kubernetes ${report.kubernetesVersion ?? 'version unknown'}` +
    (report.kubernetesVersionSource ? p.dim(` (${report.kubernetesVersionSource})`) : ''));
  const objects = report.sources.reduce((n, s) => n + (s.objects ?? 0), 0);
  const skippedKinds = Object.values(report.skipped.byKind).reduce((a, b) => a + b, 0);
  lines.push(`${objects} objects from ${report.sources.length} source(s)` +
    (skippedKinds + report.skipped.notKubernetes > 0 ? p.dim(`; skipped ${skippedKinds} of unchecked kinds, ${report.skipped.notKubernetes} non-Kubernetes documents`) : ''));
  lines.push('');

  for (const section of SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section.slug);
    if (checks.length === 0) continue;
    const findings = report.findings.filter((f) => f.section === section.slug);
    const fails = findings.filter((f) => f.status === 'fail');
    const excepted = findings.filter((f) => f.status === 'excepted').length;
    const notEvaluated = findings.filter((f) => f.status === 'not-evaluated');
    const passes = checks.reduce((n, c) => n + c.pass, 0);
    const status = fails.length > 0 ? p.severity(worst(fails), `${fails.length} failed`) : notEvaluated.length > 0 && passes === 0 ? p.dim('not evaluated') : p.green('ok');
    lines.push(p.bold(`${section.title}`) + p.dim(` [${section.slug}]`) + `  ${status}` +
      p.dim(`  (${passes} passed, ${excepted} excepted, ${notEvaluated.length} not evaluated)`));
    const sorted = [...fails].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.check.localeCompare(b.check));
    for (const f of sorted) {
      lines.push(`  ${p.severity(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.check}  ${describeRef(f.resource)}${where(f)}`);
      lines.push(`           ${f.message}`);
    }
    const shown = options.verbose ? notEvaluated : [];
    for (const f of shown) lines.push(p.dim(`  NOT-EVAL ${f.check}  ${describeRef(f.resource)}: ${f.message}`));
    if (!options.verbose) {
      const reasons = new Map<string, number>();
      for (const f of notEvaluated) reasons.set(`${f.check}: ${f.message}`, (reasons.get(`${f.check}: ${f.message}`) ?? 0) + 1);
      for (const [reason, n] of reasons) lines.push(p.dim(`  not evaluated ${n > 1 ? `(${n}) ` : ''}${reason}`));
    }
    lines.push('');
  }

  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.status === 'fail' && f.severity === s).length] as const);
  lines.push(p.bold('Summary: ') + counts.map(([s, n]) => p.severity(s, `${n} ${s}`)).join(', ') +
    `; ${report.findings.filter((f) => f.status === 'excepted').length} excepted, ${report.findings.filter((f) => f.status === 'not-evaluated').length} not evaluated`);
  const firstFail = report.findings.find((f) => f.status === 'fail');
  if (firstFail) lines.push(p.dim(`Why it matters and how to fix it: kubeward explain <check-id> (e.g. kubeward explain ${firstFail.check})`));
  for (const e of report.expiredExceptions) lines.push(p.dim(`expired exception (no longer applies): ${e.check} ${e.namespace ?? '*'}/${e.name ?? '*'} expired ${e.expires}`));
  if (report.errors.length > 0) {
    lines.push('');
    lines.push(p.severity('high', `Incomplete scan: ${report.errors.length} input error(s)`));
    for (const e of report.errors) lines.push(`  ${e.source}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function worst(findings: Finding[]) {
  return findings.reduce((w, f) => (severityRank(f.severity) > severityRank(w) ? f.severity : w), findings[0]!.severity);
}

function where(f: Finding): string {
  if (!f.location) return '';
  return ` (${f.location.file}${f.location.line ? `:${f.location.line}` : ''})`;
}
