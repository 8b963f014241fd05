import { fingerprints } from './fingerprint.js';
import type { Finding, Report } from './types.js';

/**
 * The major version of schema/report.schema.json: fields may be added within it, none change
 * meaning. A baseline of another major version is refused (report/baseline.ts).
 */
export const REPORT_SCHEMA_VERSION = 1;

export function formatJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}

/**
 * The JSON report in pieces, byte for byte what JSON.stringify(report, null, 2) prints: a report
 * of half a million findings is larger than the longest string V8 can hold, so it is written out
 * a finding at a time rather than built whole.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const { kind, ...rest } = report;
  const marker = '\u0000findings\u0000';
  const outline = JSON.stringify({ kind, schemaVersion: REPORT_SCHEMA_VERSION, ...rest, findings: marker }, null, 2);
  const at = outline.indexOf(JSON.stringify(marker));
  yield outline.slice(0, at);
  const findings = withFingerprints(report.findings);
  if (findings.length === 0) yield '[]';
  else {
    yield '[\n';
    for (let i = 0; i < findings.length; i++) {
      const item = JSON.stringify(findings[i], null, 2).replace(/\n/g, '\n    ');
      yield i === 0 ? `    ${item}` : `,\n    ${item}`;
    }
    yield '\n  ]';
  }
  yield `${outline.slice(at + JSON.stringify(marker).length)}\n`;
}

export function withFingerprints(findings: readonly Finding[]): Finding[] {
  const prints = fingerprints(findings);
  return findings.map((f, i) => (f.fingerprint ? f : { ...f, fingerprint: prints[i]! }));
}
