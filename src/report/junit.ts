// JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps): one
// testsuite per section of the guide, one testcase per check and object. Read against a
// framework (--framework cis-1.12), one testsuite per group of controls, one testcase per control,
// as kube-bench's JUnit output has it.

import { SECTIONS } from '../checks/sections.js';
import type { ControlReport } from '../frameworks/framework.js';
import { describeRef, fileLine } from '../inventory/types.js';
import { escapeStrings } from './terminal.js';
import type { CheckSummary, Finding, Report } from './types.js';

interface Case {
  classname: string;
  name: string;
  /** failure, error, skipped or system-out child, already serialised. */
  body: string;
  outcome: 'pass' | 'failure' | 'error' | 'skipped';
}

export function formatJunit(untrusted: Report): string {
  // CI systems show these messages in logs and consoles: control characters from the input are
  // escaped as in the terminal report (most are not even allowed in XML 1.0).
  const report = escapeStrings(untrusted);
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const addSuite = (name: string, id: string, cases: Case[]) => {
    const count = (o: Case['outcome']) => cases.filter((c) => c.outcome === o).length;
    const stats = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
    totals.tests += stats.tests;
    totals.failures += stats.failures;
    totals.errors += stats.errors;
    totals.skipped += stats.skipped;
    suites.push(
      `  <testsuite ${attrs({ name, id, ...stats, timestamp: report.generatedAt.replace(/Z$/, '') })}>\n` +
        cases.map((c) => `    <testcase ${attrs({ classname: c.classname, name: c.name })}${c.body ? `>\n${c.body}    </testcase>` : '/>'}\n`).join('') +
        '  </testsuite>\n',
    );
  };

  if (report.framework) {
    const framework = report.framework;
    for (const group of framework.groups) {
      addSuite(`${group.id} ${group.title}`, `${framework.id}.${group.id}`, framework.controls.filter((c) => c.group === group.id).map((c) => controlCase(framework.id, c)));
    }
  } else {
    for (const section of SECTIONS) {
      const checks = report.checks.filter((c) => c.section === section.slug);
      if (checks.length === 0) continue;
      const cases: Case[] = checks.flatMap((check) => casesOf(check, report.findings.filter((f) => f.check === check.id)));
      addSuite(section.title, section.slug, cases);
    }
  }
  if (report.errors.length > 0) {
    addSuite('Input', 'input', report.errors.map((e) => {
      const where = `${fileLine(e.source, e.line)}`;
      return { classname: 'kubeward.input', name: where, outcome: 'error', body: `      <error ${attrs({ message: e.message, type: 'input-error' })}>${escapeText(`${where}: ${e.message}`)}</error>\n` };
    }));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs({ name: `kubeward ${report.tool.version}`, ...totals })}>\n${suites.join('')}</testsuites>\n`;
}

/** A failing control is a failure; WARN (manual review, exceptions) and NOT EVALUATED are skipped, never passed. */
function controlCase(framework: string, c: ControlReport): Case {
  const classname = `kubeward.${framework}.${c.group}`;
  const name = `${c.id} ${c.title}`;
  const checks = c.checks.length > 0 ? `kubeward checks: ${c.checks.join(', ')}` : 'no kubeward check';
  switch (c.verdict) {
    case 'pass':
      return { classname, name, outcome: 'pass', body: `      <system-out>${escapeText(checks)}</system-out>\n` };
    case 'fail': {
      const failed = c.evidence.filter((e) => e.outcome === 'fail');
      const detail = failed.map((e) => `${e.check}  ${describeRef(e.resource)}${e.location ? ` (${fileLine(e.location.file, e.location.line)})` : ''}: ${e.message ?? e.note ?? ''}`).join('\n');
      return { classname, name, outcome: 'failure', body: `      <failure ${attrs({ message: `${c.fail} failing: ${failed[0]?.message ?? failed[0]?.note ?? ''}`, type: 'FAIL' })}>${escapeText(`${detail}\n\n${checks}`)}</failure>\n` };
    }
    case 'warn':
    case 'not-evaluated':
      return { classname, name, outcome: 'skipped', body: `      <skipped ${attrs({ message: `${c.verdict === 'warn' ? 'WARN' : 'NOT EVALUATED'}: ${c.reason ?? ''}` })}/>\n` };
  }
}

function casesOf(check: CheckSummary, findings: Finding[]): Case[] {
  const classname = `kubeward.${check.section}.${check.id}`;
  const cases: Case[] = findings.map((f) => {
    const name = describeRef(f.resource);
    const where = f.location ? `\n${fileLine(f.location.file, f.location.line)}` : '';
    switch (f.status) {
      case 'fail': {
        const detail = `${f.message}${f.field ? `\nfield: ${f.field}` : ''}${where}${f.remediation ? `\n\nRemediation: ${f.remediation}` : ''}`;
        return { classname, name, outcome: 'failure', body: `      <failure ${attrs({ message: f.message, type: f.severity })}>${escapeText(detail)}</failure>\n` };
      }
      case 'not-evaluated':
        return { classname, name, outcome: 'skipped', body: `      <skipped ${attrs({ message: `not evaluated: ${f.message}` })}/>\n` };
      case 'excepted': {
        const e = f.exception;
        const out = `excepted: ${e?.reason ?? ''}${e?.expires ? ` (until ${e.expires})` : ''}\n${f.message}${where}`;
        return { classname, name, outcome: 'pass', body: `      <system-out>${escapeText(out)}</system-out>\n` };
      }
    }
  });
  // Passing objects are counted, not listed, in the report: one testcase holds them.
  if (check.pass > 0) cases.push({ classname, name: `${check.pass} object(s) passed`, outcome: 'pass', body: '' });
  if (cases.length === 0) {
    cases.push({ classname, name: 'no applicable objects', outcome: 'skipped', body: `      <skipped ${attrs({ message: 'nothing to check: the input has no object this check applies to' })}/>\n` });
  }
  return cases;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${escapeText(String(v)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`)
    .join(' ');
}

/**
 * Escapes markup and replaces what XML 1.0 cannot hold at all (control characters other than
 * tab, newline and carriage return, already escaped in the input's values; lone surrogates), so
 * any message yields a well-formed document. Attributes also encode whitespace as character
 * references so parsers keep it.
 */
function escapeText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
