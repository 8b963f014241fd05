// The terminal report: findings grouped by the guide's sections, with a summary per section.
// Not-evaluated results are summarised (one line per section, one closing line naming the flags
// that would let them be evaluated); --verbose lists each. JSON keeps every one of them.

import { SECTIONS, SEVERITIES, severityRank } from '../checks/sections.js';
import { describeRef, fileLine } from '../inventory/types.js';
import { palette as makePalette, type Palette } from './color.js';
import { escapeStrings } from './terminal.js';
import type { Finding, Report } from './types.js';
import { appendAll } from '../sources/types.js';

export interface TableOptions {
  color: boolean;
  /** Also list not-evaluated findings one by one (default: summarised per section). */
  verbose?: boolean;
  /**
   * The flags of the command that made the report (e.g. node-root, cluster). A not-evaluated
   * reason that advises one of them ("scan with --node-root or --cluster") counts as needing it.
   */
  flags?: readonly string[];
}

export function formatTable(untrusted: Report, options: TableOptions): string {
  // Every string of the report may come from the input: escaped once, before colour codes are added.
  const report = escapeStrings(untrusted);
  const p = makePalette(options.color);
  const flags = new Set(options.flags ?? []);
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
    // A section with neither failures nor passes says so in its not-evaluated count.
    const status = fails.length > 0 ? p.severity(worst(fails), `${fails.length} failed`) : notEvaluated.length > 0 && passes === 0 ? '' : p.green('ok');
    const body: string[] = [];
    // With a baseline, what is new comes first.
    const sorted = [...fails].sort((a, b) => Number(b.baselineState === 'new') - Number(a.baselineState === 'new') || severityRank(b.severity) - severityRank(a.severity) || a.check.localeCompare(b.check));
    for (const f of sorted) {
      body.push(`  ${p.severity(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.baselineState === 'new' ? p.bold('NEW ') : ''}${f.check}  ${describeRef(f.resource)}${where(f)}`);
      body.push(`           ${f.message}`);
    }
    // Summarised: on the section's line when it has nothing else to show, else on one line below.
    let counted = notEvaluated.length > 0 ? `${notEvaluated.length} not evaluated` : '';
    if (options.verbose) {
      for (const f of notEvaluated) body.push(p.dim(`  NOT-EVAL ${f.check}  ${describeRef(f.resource)}: ${f.message}`));
    } else if (notEvaluated.length > 0) {
      const needs = describeNeeds(groupByNeed(notEvaluated, flags));
      if (body.length === 0) counted += `: ${needs}`;
      else body.push(p.dim(`  not evaluated: ${needs}`));
    }
    const counts = [passes > 0 ? `${passes} passed` : '', excepted > 0 ? `${excepted} excepted` : '', counted].filter(Boolean).join(', ');
    // A section with findings stands apart; the one-line sections run together.
    if (body.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    lines.push(p.bold(`${section.title}`) + p.dim(` [${section.slug}]`) + (status ? `  ${status}` : '') + (counts ? p.dim(`  (${counts})`) : ''));
    // Not push(...body): a large scan's section can hold more lines than a call takes arguments.
    if (body.length > 0) {
      appendAll(lines, body);
      lines.push('');
    }
  }
  if (lines[lines.length - 1] !== '') lines.push('');

  const counts = SEVERITIES.map((s) => [s, report.findings.filter((f) => f.status === 'fail' && f.severity === s).length] as const);
  const notEvaluated = report.findings.filter((f) => f.status === 'not-evaluated');
  lines.push(p.bold('Summary: ') + counts.map(([s, n]) => p.severity(s, `${n} ${s}`)).join(', ') +
    `; ${report.findings.filter((f) => f.status === 'excepted').length} excepted, ${notEvaluated.length} not evaluated`);
  const needs = groupByNeed(notEvaluated, flags).filter((g) => g.flags.length > 0);
  if (needs.length > 0) {
    lines.push(p.dim(`Not evaluated for lack of input: ${needs.map(describeNeed).join(', ')}` +
      (options.verbose ? '' : ' (-v lists them with the reason)')));
  }
  if (report.baseline) for (const line of baselineLines(report, p)) lines.push(line);
  const firstFail = report.findings.find((f) => f.status === 'fail');
  if (firstFail) lines.push(p.dim(`Why it matters and how to fix it: kubeward explain <check-id> (e.g. kubeward explain ${firstFail.check})`));
  for (const e of report.expiredExceptions) lines.push(p.dim(`expired exception (no longer applies): ${e.check} ${e.namespace ?? '*'}/${e.name ?? '*'} expired ${e.expires}`));
  if (report.errors.length > 0) {
    lines.push('');
    lines.push(p.severity('high', `Incomplete scan: ${report.errors.length} input error(s)`));
    for (const e of report.errors) lines.push(`  ${fileLine(e.source, e.line)}: ${e.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Not-evaluated findings that the same flags would let be evaluated (none: the input lacks something else). */
interface NeedGroup {
  flags: string[];
  checks: Set<string>;
  findings: Finding[];
}

/**
 * Groups by the flags each reason advises, read from the reason itself so that a new check's
 * advice is summarised without a list kept here: a flag of the command written after "with",
 * "give", "use" or "or" ("scan with --node-root or --cluster", "give --k8s-version"). A flag
 * named otherwise is not advice ("--insecure-port is not set", "--etcd-cacert F" after
 * "use --etcd-endpoints URL").
 */
function groupByNeed(findings: readonly Finding[], flags: ReadonlySet<string>): NeedGroup[] {
  const groups = new Map<string, NeedGroup>();
  for (const f of findings) {
    const advised = [...f.message.matchAll(/\b(?:with|give|use|or) --([a-z][a-z0-9-]*)/g)].map((m) => m[1]!).filter((flag) => flags.has(flag));
    const needed = [...new Set(advised)].map((flag) => `--${flag}`);
    const key = needed.join(' ');
    const group = groups.get(key) ?? { flags: needed, checks: new Set<string>(), findings: [] };
    group.checks.add(f.check);
    group.findings.push(f);
    groups.set(key, group);
  }
  // Most checks first; the group no flag helps last.
  return [...groups.values()].sort((a, b) => Number(a.flags.length === 0) - Number(b.flags.length === 0) || b.checks.size - a.checks.size);
}

function describeNeed(g: NeedGroup): string {
  return `${g.checks.size} ${g.checks.size === 1 ? 'check needs' : 'checks need'} ${g.flags.join(' or ')}`;
}

/** One line's worth: each flag group counted; the rest by its reason when there is one, else by check. */
function describeNeeds(groups: NeedGroup[]): string {
  return groups.map((g) => {
    if (g.flags.length > 0) return describeNeed(g);
    const reasons = new Set(g.findings.map((f) => f.message));
    const count = g.findings.length > 1 ? ` (${g.findings.length})` : '';
    if (reasons.size === 1) return `${[...g.checks].join(', ')}${count}: ${g.findings[0]!.message}`;
    return `${[...g.checks].join(', ')}${count}: -v lists why`;
  }).join('; ');
}

function worst(findings: Finding[]) {
  return findings.reduce((w, f) => (severityRank(f.severity) > severityRank(w) ? f.severity : w), findings[0]!.severity);
}

function where(f: Finding): string {
  if (!f.location) return '';
  return ` (${fileLine(f.location.file, f.location.line)})`;
}

/** Against --baseline: the counts, and each finding the baseline had that this scan has not. */
function baselineLines(report: Report, p: Palette): string[] {
  const b = report.baseline!;
  const newFails = report.findings.filter((f) => f.baselineState === 'new' && f.status === 'fail').length;
  const lines = [p.bold('Baseline: ') + `${b.new} new (${newFails} failing), ${b.unchanged} unchanged, ${b.fixed.length} fixed since ${b.source} (${b.generatedAt || 'time unknown'}); --fail-on counts new findings only`];
  if (b.fixed.length > 0 && report.errors.length > 0) lines.push(p.dim('  the scan is incomplete: findings listed as fixed may only not have been read'));
  for (const f of b.fixed) lines.push(p.green(`  FIXED    ${f.check}  ${describeRef(f.resource)}`) + p.dim(`: ${f.message}`));
  return lines;
}
