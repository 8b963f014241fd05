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

/** Findings serialised per call: large enough that a call's overhead vanishes, small enough to stream. */
const FINDINGS_PER_CHUNK = 1000;

/**
 * The JSON report in pieces, byte for byte what JSON.stringify(report, null, 2) prints: a report
 * of half a million findings is larger than the longest string V8 can hold, so it is written out
 * a thousand findings at a time rather than built whole. Each piece is stringified inside an
 * object of the report's own shape, so its indentation is already the report's.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const { kind, ...rest } = report;
  const marker = '\u0000findings\u0000';
  const outline = JSON.stringify({ kind, schemaVersion: REPORT_SCHEMA_VERSION, ...rest, findings: marker }, null, 2);
  const at = outline.indexOf(JSON.stringify(marker));
  yield outline.slice(0, at);
  const findings = report.findings;
  // Fingerprinted copies are made a chunk at a time: a whole report's worth would double its findings in memory.
  const prints = fingerprints(findings);
  if (findings.length === 0) yield '[]';
  else {
    const head = '{\n  "findings": [\n';
    const tail = '\n  ]\n}';
    yield '[\n';
    for (let i = 0; i < findings.length; i += FINDINGS_PER_CHUNK) {
      const chunk = findings.slice(i, i + FINDINGS_PER_CHUNK).map((f, j) => stamped(f, prints[i + j]!));
      const text = JSON.stringify({ findings: chunk }, null, 2);
      const body = text.slice(head.length, text.length - tail.length);
      yield i === 0 ? body : `,\n${body}`;
    }
    yield '\n  ]';
  }
  yield `${outline.slice(at + JSON.stringify(marker).length)}\n`;
}

export function withFingerprints(findings: readonly Finding[]): Finding[] {
  const prints = fingerprints(findings);
  return findings.map((f, i) => stamped(f, prints[i]!));
}

/** The finding with its fingerprint (one it already carries is kept: a baseline's fixed findings). */
function stamped(f: Finding, print: string): Finding {
  return f.fingerprint ? f : { ...f, fingerprint: print };
}
