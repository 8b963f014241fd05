// The CIS view of a scan (`kubeward scan --framework cis-1.12`), as kube-bench users read it:
// every control in the benchmark's order with PASS / FAIL / WARN / NOT EVALUATED, the kubeward
// checks behind it and what failed, then totals per group.

import { describeRef, fileLine } from '../inventory/types.js';
import { countVerdicts, type ControlReport, type ControlVerdict, type VerdictCounts } from '../frameworks/framework.js';
import { palette as makePalette, type Palette } from './color.js';
import { escapeStrings } from './terminal.js';
import type { Report } from './types.js';

/** Evidence lines shown per control unless --verbose; JSON keeps all. */
const EVIDENCE_SHOWN = 5;

const LABEL: Record<ControlVerdict, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', 'not-evaluated': 'NOT EVALUATED' };

export function formatFrameworkTable(untrusted: Report, options: { color: boolean; verbose?: boolean }): string {
  const report = escapeStrings(untrusted);
  const framework = report.framework!;
  const p = makePalette(options.color);
  const lines: string[] = [];
  lines.push(p.bold(`${framework.title}`) + `  kubeward ${report.tool.version}, Kubernetes ${report.kubernetesVersion ?? 'version unknown'}` +
    (report.kubernetesVersionSource ? p.dim(` (${report.kubernetesVersionSource})`) : ''));
  for (const group of framework.groups) {
    lines.push('');
    lines.push(p.bold(`[INFO] ${group.id} ${group.title}`));
    for (const control of framework.controls.filter((c) => c.group === group.id)) {
      for (const line of controlLines(control, p, options.verbose ?? false)) lines.push(line);
    }
    lines.push(p.dim(`== Summary ${group.id} == ${describeCounts(group)}`));
  }
  lines.push('');
  lines.push(p.bold('== Summary total == ') + describeCounts(framework.totals));
  const automated = framework.controls.filter((c) => c.audited);
  lines.push(p.dim(`kube-bench audits ${automated.length} of ${framework.controls.length} controls; of those kubeward gives ${describeCounts(countVerdicts(automated))}`));
  lines.push(p.dim('WARN: manual review, or failures accepted as exceptions. Why a check matters and how to fix it: kubeward explain <check-id>; the mapping: kubeward explain cis-1.12'));
  if (report.errors.length > 0) {
    lines.push('');
    lines.push(p.severity('high', `Incomplete scan: ${report.errors.length} input error(s)`));
    for (const e of report.errors) lines.push(`  ${fileLine(e.source, e.line)}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function controlLines(c: ControlReport, p: Palette, verbose: boolean): string[] {
  const label = `[${LABEL[c.verdict]}]`;
  const colored = c.verdict === 'pass' ? p.green(label) : c.verdict === 'fail' ? p.severity('high', label) : c.verdict === 'warn' ? p.severity('medium', label) : p.dim(label);
  const checks = c.checks.length > 0 ? p.dim(`  (${c.checks.join(', ')})`) : '';
  const lines = [`${colored} ${c.id} ${c.title} (${c.assessment})${checks}`];
  if (c.reason && c.verdict !== 'fail') lines.push(p.dim(`       ${c.reason}`));
  const failed = c.verdict === 'fail' ? c.evidence.filter((e) => e.outcome === 'fail') : [];
  for (const e of verbose ? failed : failed.slice(0, EVIDENCE_SHOWN)) {
    const where = verbose && e.location ? ` (${fileLine(e.location.file, e.location.line)})` : '';
    lines.push(`       ${e.check}  ${describeRef(e.resource)}${where}${e.message && e.outcome === 'fail' ? `: ${e.message}` : ''}`);
  }
  if (!verbose && failed.length > EVIDENCE_SHOWN) lines.push(p.dim(`       … and ${failed.length - EVIDENCE_SHOWN} more (-v or --format json lists them)`));
  // Where CIS judges otherwise than kubeward: each reason once, with how many subjects it concerns.
  const notes = new Map<string, number>();
  for (const e of c.evidence) if (e.note && e.note !== c.reason) notes.set(e.note, (notes.get(e.note) ?? 0) + 1);
  for (const [note, count] of notes) lines.push(p.dim(`       CIS: ${note}${count > 1 ? ` (${count} subjects)` : ''}`));
  return lines;
}

function describeCounts(counts: VerdictCounts): string {
  return `${counts.pass} checks PASS, ${counts.fail} checks FAIL, ${counts.warn} checks WARN, ${counts['not-evaluated']} checks NOT EVALUATED`;
}
