// Baselines: compare a scan with an earlier report, so CI fails only on what is new
// (`scan --baseline`, `kubeward diff`). Findings match on their identity (check, object, field;
// report/fingerprint.ts), never on lines, so edits that move a manifest's lines change nothing.

import { ALL_CHECKS } from '../checks/registry.js';
import { SECTIONS, SEVERITIES } from '../checks/sections.js';
import { InputUnavailableError } from '../errors.js';
import { tryJson } from '../sources/documents.js';
import { readInputFile } from '../sources/files.js';
import { TOOL_VERSION } from '../version.js';
import { fingerprinter, identityKey } from './fingerprint.js';
import { REPORT_SCHEMA_VERSION } from './json.js';
import type { ChangedFinding, Finding, Report } from './types.js';
import { fileLine } from '../inventory/types.js';

export interface LoadedReport {
  report: Report;
  /** What the reader noticed but accepted (findings of checks this version does not know). */
  notes: string[];
}

const STATUSES = ['fail', 'not-evaluated', 'excepted'];

/** Far above any report V8 can parse as one string (about 512 MB). */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/**
 * Reads a JSON report written by `kubeward scan --format json`, of this or another kubeward
 * version. A report of the same schema major version is read (reports before schemaVersion
 * existed are version 1); anything else is refused with the reason, naming the file.
 */
export async function readReportFile(path: string, role = 'baseline'): Promise<LoadedReport> {
  // Only a regular file, bounded: a FIFO given as --baseline must not hang the scan.
  const text = (await readInputFile(path, MAX_REPORT_BYTES, (reason) => new InputUnavailableError(`cannot read ${role} ${path}: ${reason}`))).toString('utf8');
  const parsed = tryJson(text);
  if (!parsed.ok) throw new InputUnavailableError(`${role} ${fileLine(path, parsed.error.line)}: ${parsed.error.message} (expected a report of kubeward scan --format json)`);
  return checkReport(parsed.value, `${role} ${path}`);
}

function checkReport(value: unknown, name: string): LoadedReport {
  const refuse = (why: string) => new InputUnavailableError(`${name}: ${why}`);
  if (!isObject(value)) throw refuse('not a kubeward report (expected a JSON object from kubeward scan --format json)');
  if (value.kind !== 'ScanReport') {
    if (value.version === '2.1.0' && Array.isArray(value.runs)) throw refuse('is a SARIF log; a baseline is a report of kubeward scan --format json');
    throw refuse(`not a kubeward scan report (kind ${JSON.stringify(value.kind ?? null)}; expected "ScanReport" from kubeward scan --format json)`);
  }
  const tool = isObject(value.tool) ? value.tool : {};
  if (tool.name !== 'kubeward') throw refuse(`written by ${JSON.stringify(tool.name ?? 'an unknown tool')}, not kubeward`);
  const writer = typeof tool.version === 'string' ? `kubeward ${tool.version}` : 'an unknown kubeward version';
  const schema = value.schemaVersion ?? 1;
  if (schema !== REPORT_SCHEMA_VERSION) {
    throw refuse(`report schema version ${JSON.stringify(schema)} (written by ${writer}); kubeward ${TOOL_VERSION} reads version ${REPORT_SCHEMA_VERSION}: write the report again with this version, or use the kubeward version that wrote it`);
  }
  if (!Array.isArray(value.findings)) throw refuse(`findings is missing or not a list (written by ${writer})`);
  value.findings.forEach((f: unknown, i: number) => {
    const problem = findingProblem(f);
    if (problem) throw refuse(`findings[${i}] ${problem} (written by ${writer})`);
  });
  const findings = value.findings as Finding[];
  const known = new Set(ALL_CHECKS.map((c) => c.id));
  const unknown = [...new Set(findings.map((f) => f.check).filter((id) => !known.has(id)))];
  const notes = unknown.length > 0
    ? [`${name} (${writer}) has findings of ${unknown.length} check(s) kubeward ${TOOL_VERSION} does not have (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', ...' : ''}): they count as fixed`]
    : [];
  // Fields a report of an older version may lack; the formats need them.
  const report: Report = {
    sources: [],
    checks: [],
    errors: [],
    skipped: { notKubernetes: 0, byKind: {} },
    expiredExceptions: [],
    generatedAt: '',
    kubernetesVersion: null,
    ...(value as unknown as Partial<Report>),
    kind: 'ScanReport',
    tool: { name: 'kubeward', version: typeof tool.version === 'string' ? tool.version : 'unknown' },
    findings,
  };
  return { report, notes };
}

function findingProblem(f: unknown): string | undefined {
  if (!isObject(f)) return 'is not an object';
  if (typeof f.check !== 'string') return 'has no check';
  if (!isObject(f.resource) || typeof f.resource.kind !== 'string' || typeof f.resource.name !== 'string') return 'has no resource kind and name';
  if (f.field !== undefined && typeof f.field !== 'string') return 'has a field that is not a string';
  if (typeof f.message !== 'string') return 'has no message';
  if (!STATUSES.includes(f.status as string)) return `has an unknown status ${JSON.stringify(f.status)}`;
  if (!(SEVERITIES as readonly unknown[]).includes(f.severity)) return `has an unknown severity ${JSON.stringify(f.severity)}`;
  if (!SECTIONS.some((s) => s.slug === f.section)) return `has an unknown section ${JSON.stringify(f.section)}`;
  return undefined;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Marks every finding of `report` new or unchanged against `baseline` and lists the baseline's
 * findings that are gone (fixed) and those whose severity, status or message changed. Several
 * findings with one identity pair up by message first.
 */
export function applyBaseline(report: Report, baseline: Report, source: string): Report {
  // Fingerprints are hashed only for the fixed findings, the only ones that carry them.
  const { keys, print } = fingerprinter(baseline.findings);
  const pending = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = pending.get(key);
    if (list) list.push(i);
    else pending.set(key, [i]);
  });
  const changed: ChangedFinding[] = [];
  let fresh = 0;
  const findings = report.findings.map((f): Finding => {
    const candidates = pending.get(identityKey(f));
    if (!candidates || candidates.length === 0) {
      fresh++;
      return { ...f, baselineState: 'new' };
    }
    const at = Math.max(0, candidates.findIndex((i) => baseline.findings[i]!.message === f.message));
    const before = baseline.findings[candidates.splice(at, 1)[0]!]!;
    if (before.severity !== f.severity || before.status !== f.status || before.message !== f.message) {
      changed.push({
        check: f.check,
        resource: f.resource,
        ...(f.field ? { field: f.field } : {}),
        before: { severity: before.severity, status: before.status, message: before.message },
        after: { severity: f.severity, status: f.status, message: f.message },
      });
    }
    return { ...f, baselineState: 'unchanged' };
  });
  const gone = new Set([...pending.values()].flat());
  const fixed = baseline.findings.flatMap((f, i) => {
    if (!gone.has(i)) return [];
    const { baselineState: _state, ...rest } = f;
    return [{ ...rest, fingerprint: print(i) }];
  });
  return {
    ...report,
    findings,
    baseline: {
      source,
      generatedAt: baseline.generatedAt,
      toolVersion: baseline.tool.version,
      new: fresh,
      unchanged: findings.length - fresh,
      fixed,
      changed,
    },
  };
}

/** The report as --fail-on sees it with a baseline: its new findings only. */
export function newFindingsOnly(report: Report): Report {
  return report.baseline ? { ...report, findings: report.findings.filter((f) => f.baselineState === 'new') } : report;
}
