// kubeward diff OLD.json NEW.json: what a scan found that an earlier one did not, what it no
// longer finds, and what changed; exit 1 when something new fails at or above --fail-on.

import { SEVERITIES } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { describeRef, fileLine } from '../../inventory/types.js';
import { applyBaseline, newFindingsOnly, readReportFile } from '../../report/baseline.js';
import { colorWanted, palette, type Palette } from '../../report/color.js';
import { renderReport } from '../../report/index.js';
import { escapeStrings } from '../../report/terminal.js';
import type { Finding, Report } from '../../report/types.js';
import { exitCodeFor, type FailOn } from '../../scan/run.js';
import { emit, oneOf, parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward diff [flags] OLD.json NEW.json

Compares two reports of "kubeward scan --format json" (of this or an earlier kubeward version
with the same report schema). Findings match on check, object and field, not on file lines.
Prints the findings of NEW that OLD does not have (new), those of OLD that NEW no longer has
(fixed) and those whose severity, status or message changed.

Flags:
  --format table|json|html    output format (default table); json is NEW with each finding
                              marked new or unchanged and a "baseline" part (fixed, changed)
  -o, --output FILE           write the result to FILE
  --fail-on SEVERITY|none     exit 1 when a new failure is at or above it (default high)

Exit codes: 0 nothing new at or above --fail-on, 1 something new is, 2 a report could not be
read or is refused, or NEW is of an incomplete scan.
`;

const DIFF_FORMATS = ['table', 'json', 'html'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, DIFF_FORMATS, 'table');
  const failOn = oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'none'], 'high');
  if (positionals.length !== 2) throw new UsageError(`give two reports, OLD.json and NEW.json (got ${positionals.length})`);
  const [oldPath, newPath] = positionals as [string, string];
  const before = await readReportFile(oldPath, 'old report');
  const after = await readReportFile(newPath, 'new report');
  for (const note of [...before.notes, ...after.notes]) process.stderr.write(`kubeward diff: note: ${note}\n`);

  const report = applyBaseline(after.report, before.report, oldPath);
  const color = !values.output && colorWanted(process.stdout);
  const text = format === 'table' ? formatDiffTable(report, newPath, palette(color)) : await renderReport(report, format, { color });
  await emit(text, values.output);
  return exitCodeFor(newFindingsOnly(report), failOn);
}

/** New, fixed and changed findings for a terminal; every value from the reports escaped. */
function formatDiffTable(untrusted: Report, newPath: string, p: Palette): string {
  const report = escapeStrings(untrusted);
  const b = report.baseline!;
  const fresh = report.findings.filter((f) => f.baselineState === 'new');
  const lines = [p.bold(`${b.source} (${b.generatedAt || 'time unknown'}, kubeward ${b.toolVersion}) -> ${escapeStrings(newPath)} (${report.generatedAt}, kubeward ${report.tool.version})`), ''];
  const list = (title: string, findings: Finding[]) => {
    lines.push(p.bold(`${title} (${findings.length})`));
    for (const f of findings) {
      const status = f.status === 'fail' ? '' : p.dim(` [${f.status}]`);
      lines.push(`  ${p.severity(f.severity, f.severity.toUpperCase().padEnd(8))} ${f.check}  ${describeRef(f.resource)}${f.location ? p.dim(` (${fileLine(f.location.file, f.location.line)})`) : ''}${status}`);
      lines.push(`           ${f.message}`);
    }
    lines.push('');
  };
  list('New', fresh);
  list('Fixed', b.fixed);
  lines.push(p.bold(`Changed (${b.changed.length})`));
  for (const c of b.changed) {
    lines.push(`  ${c.check}  ${describeRef(c.resource)}${c.field ? p.dim(` ${c.field}`) : ''}`);
    if (c.before.status !== c.after.status || c.before.severity !== c.after.severity) {
      lines.push(`           ${c.before.status}, ${c.before.severity} -> ${c.after.status}, ${c.after.severity}`);
    }
    if (c.before.message !== c.after.message) lines.push(p.dim(`           was: ${c.before.message}`), `           now: ${c.after.message}`);
  }
  lines.push('');
  const newFails = SEVERITIES.map((s) => [s, fresh.filter((f) => f.status === 'fail' && f.severity === s).length] as const).filter(([, n]) => n > 0);
  lines.push(p.bold('Summary: ') + `${b.new} new${newFails.length > 0 ? ` (failing: ${newFails.map(([s, n]) => p.severity(s, `${n} ${s}`)).join(', ')})` : ''}, ${b.fixed.length} fixed, ${b.changed.length} changed, ${b.unchanged} unchanged`);
  if (report.errors.length > 0) lines.push(p.severity('high', `The new report is of an incomplete scan (${report.errors.length} input error(s)): findings listed as fixed may only not have been read.`));
  return `${lines.join('\n')}\n`;
}
