// The machine-readable reports: JSON against the project's schema, SARIF against the official
// SARIF 2.1.0 schema (and GitHub code scanning's ingestion rules), JUnit as well-formed XML.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import AjvDraft07 from 'ajv';
import addFormats from 'ajv-formats';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { formatReport } from '../src/report/index.js';
import { REPORT_SCHEMA_VERSION, jsonChunks, withFingerprints } from '../src/report/json.js';
import { formatJunit } from '../src/report/junit.js';
import { sarifLog } from '../src/report/sarif.js';
import type { Report } from '../src/report/types.js';
import { runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { parseDocuments } from '../src/sources/documents.js';
import { emptyLoadResult } from '../src/sources/types.js';
import { itWithCorpus } from '../src/testing/corpus.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { reportValidator } from '../src/testing/report-schema.js';

const require = createRequire(import.meta.url);

/**
 * The official SARIF 2.1.0 schema as published (rtm.5, shipped by @microsoft/jest-sarif). It
 * declares draft-04 but uses no keyword whose meaning differs in draft-07 (no exclusiveMinimum,
 * no boolean schemas); only draft-04's "id" is renamed to "$id" for Ajv's draft-07 class. Its
 * patterns are ECMAScript regular expressions without the u flag (one has a literal "]").
 */
function sarifValidator() {
  const path = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new AjvDraft07.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile({ $id: id as string, ...schema } as object);
}

const validateReport = reportValidator();
const validateSarif = sarifValidator();

/** Scans the given paths the way the CLI does, at a fixed clock. */
async function scan(paths: string[]): Promise<Report> {
  return runScan(await loadPaths(paths), { now: new Date('2026-06-01T00:00:00Z') });
}

const EXAMPLES = ['examples/insecure-cluster', 'examples/hardened-cluster'].map((p) => join(REPO_ROOT, p));

/** A report with every kind of finding and an input error, from real YAML text. */
function mixedReport(): Report {
  const load = emptyLoadResult();
  const parsed = parseDocuments(
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: "web<&>\\"'", namespace: shop}
spec:
  template:
    spec:
      containers: [{name: web, image: nginx}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: billing}
spec:
  template:
    spec:
      containers: [{name: api, image: nginx}]
---
kind: : broken
`,
    '/repo/manifests/apps.yaml',
  );
  load.items.push(...parsed.items);
  load.errors.push(...parsed.errors);
  load.sources.push({ type: 'file', name: '/repo/manifests/apps.yaml', objects: parsed.items.length });
  return runScan(load, {
    now: new Date('2026-06-01T00:00:00Z'),
    exceptions: { active: [{ check: 'namespace-without-resource-quota', namespace: 'billing', reason: 'billing is\tbeing <migrated> & "moved"\u0001', expires: '2026-12-31' }], expired: [] },
  });
}

describe('JSON report', () => {
  it('validates against report.schema.json for both example clusters', async () => {
    for (const dir of EXAMPLES) {
      const report = JSON.parse(formatReport(await scan([dir]), 'json', { color: false })) as Report;
      assert.ok(validateReport(report), `${dir}: ${JSON.stringify(validateReport.errors)}`);
      assert.ok(report.sources[0]!.objects! > 0);
    }
  });

  it('validates with input errors, exceptions and not-evaluated findings', () => {
    const report = mixedReport();
    assert.ok(report.errors.length === 1 && report.findings.some((f) => f.status === 'excepted'));
    assert.ok(validateReport(JSON.parse(formatReport(report, 'json', { color: false }))), JSON.stringify(validateReport.errors));
  });

  it('is written in pieces that make exactly what JSON.stringify prints, with or without findings', async () => {
    // Findings are serialised a thousand at a time: 2,501 of them cross two chunk boundaries.
    const many = mixedReport();
    many.findings = Array.from({ length: 2501 }, (_, i) => ({ ...many.findings[i % many.findings.length]!, resource: { kind: 'Pod', namespace: 'ns', name: `pod-${i}` } }));
    for (const report of [mixedReport(), await scan([EXAMPLES[0]!]), { ...mixedReport(), findings: [] }, many]) {
      const { kind, ...rest } = report;
      const whole = `${JSON.stringify({ kind, schemaVersion: REPORT_SCHEMA_VERSION, ...rest, findings: withFingerprints(report.findings) }, null, 2)}\n`;
      const pieces = [...jsonChunks(report)];
      assert.ok(pieces.length >= Math.min(report.findings.length, 3));
      assert.equal(pieces.join(''), whole);
    }
  });

  it('the schema validator rejects a report that breaks the contract', () => {
    const report = JSON.parse(formatReport(mixedReport(), 'json', { color: false })) as Record<string, unknown>;
    (report.findings as Record<string, unknown>[])[0]!.status = 'passed';
    assert.equal(validateReport(report), false);
  });
});

describe('SARIF report', () => {
  it('validates against the SARIF 2.1.0 schema (the examples and a mixed report)', async () => {
    const reports = [mixedReport(), ...(await Promise.all(EXAMPLES.map((e) => scan([e]))))];
    for (const report of reports) {
      const log = JSON.parse(formatReport(report, 'sarif', { color: false, cwd: '/repo' }));
      assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5)));
    }
  });

  itWithCorpus('real-world', 'validates against the SARIF 2.1.0 schema (real-world manifests)', async (realWorld) => {
    const log = JSON.parse(formatReport(await scan([realWorld]), 'sarif', { color: false, cwd: realWorld }));
    assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5)));
  });

  it('reports not-evaluated findings as notApplicable with level none, never as problems', () => {
    const report = mixedReport();
    const log = sarifLog(report, { catalogue: ALL_CHECKS, cwd: '/repo' }) as any;
    const results = log.runs[0].results as any[];
    assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 5)));
    const notEvaluated = results.filter((r) => r.properties.status === 'not-evaluated');
    assert.equal(notEvaluated.length, report.findings.filter((f) => f.status === 'not-evaluated').length);
    assert.ok(notEvaluated.length > 0);
    for (const r of notEvaluated) assert.deepEqual([r.kind, r.level], ['notApplicable', 'none']);
    for (const r of results.filter((x) => x.properties.status === 'fail')) assert.equal(r.kind, 'fail');
  });

  it('the SARIF validator rejects an invalid log', () => {
    const log = sarifLog(mixedReport(), { catalogue: ALL_CHECKS, cwd: '/repo' }) as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validateSarif(log), false);
  });

  it('meets GitHub code scanning ingestion rules: rules with security-severity, every result with an artifact URI', async () => {
    const report = await scan([EXAMPLES[0]!]);
    const log = sarifLog(report, { catalogue: ALL_CHECKS, cwd: REPO_ROOT }) as any;
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(run.tool.driver.rules.map((r: any) => r.id), report.checks.map((c) => c.id));
    for (const rule of run.tool.driver.rules) {
      const check = ALL_CHECKS.find((c) => c.id === rule.id)!;
      assert.equal(rule.shortDescription.text, check.title);
      assert.ok(rule.fullDescription.text.includes(check.docs.why));
      assert.ok(rule.help.markdown.includes(check.remediation.split('\n')[0]));
      assert.ok(rule.properties.tags.includes(check.section) && rule.properties.tags.includes('security'));
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
    }
    assert.equal(run.results.length, report.findings.length);
    for (const [i, result] of run.results.entries()) {
      const finding = report.findings[i]!;
      assert.equal(result.ruleId, finding.check);
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, finding.check);
      const physical = result.locations[0].physicalLocation;
      assert.ok(physical.artifactLocation.uri.length > 0, 'GitHub rejects a result without an artifact URI');
      if (finding.location) {
        assert.ok(physical.artifactLocation.uri.startsWith('examples/insecure-cluster/'), physical.artifactLocation.uri);
        assert.ok(!physical.artifactLocation.uri.startsWith('/'));
        assert.equal(physical.region?.startLine, finding.location.line);
      }
      assert.equal(result.locations[0].logicalLocations[0].name, finding.resource.name);
    }
  });

  it('places file findings on their file and line, relative to the working directory', () => {
    const report = mixedReport();
    const log = sarifLog(report, { catalogue: ALL_CHECKS, cwd: '/repo' }) as any;
    const run = log.runs[0];
    assert.equal(run.invocations[0].executionSuccessful, false);
    const notification = run.invocations[0].toolExecutionNotifications[0];
    assert.equal(notification.locations[0].physicalLocation.artifactLocation.uri, 'manifests/apps.yaml');
    assert.equal(notification.locations[0].physicalLocation.region.startLine, report.errors[0]!.line);
    const excepted = run.results.find((r: any) => r.properties.status === 'excepted');
    assert.equal(excepted.suppressions[0].status, 'accepted');
    assert.match(excepted.suppressions[0].justification, /billing is/);
  });

  it('has fingerprints that survive line moves and differ between objects', () => {
    const a = sarifLog(mixedReport(), { catalogue: ALL_CHECKS, cwd: '/repo' }) as any;
    const report = mixedReport();
    for (const f of report.findings) if (f.location) f.location.line = (f.location.line ?? 0) + 40;
    const b = sarifLog(report, { catalogue: ALL_CHECKS, cwd: '/elsewhere' }) as any;
    const prints = (log: any) => log.runs[0].results.map((r: any) => r.partialFingerprints['kubewardFinding/v1']);
    assert.deepEqual(prints(a), prints(b));
    assert.equal(new Set(prints(a)).size, prints(a).length);
  });
});

describe('JUnit report', () => {
  it('is well-formed XML with a testsuite per section and a testcase per check and object', () => {
    const report = mixedReport();
    const xml = formatJunit(report);
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    const suites = root.children.filter((c) => c.name === 'testsuite');
    const sections = new Set(report.checks.map((c) => c.section));
    assert.equal(suites.filter((s) => s.attrs.id !== 'input').length, sections.size);
    const cases = suites.flatMap((s) => s.children);
    const fails = report.findings.filter((f) => f.status === 'fail');
    assert.equal(cases.filter((c) => c.children.some((x) => x.name === 'failure')).length, fails.length);
    assert.equal(Number(root.attrs.failures), fails.length);
    assert.equal(Number(root.attrs.tests), cases.length);
    // The excepted finding passes, with its reason (markup escaped, control characters readable).
    const excepted = cases.find((c) => c.children.some((x) => x.name === 'system-out'))!;
    assert.ok(excepted.children[0]!.text.includes('excepted: billing is\\tbeing <migrated> & "moved"^A'), excepted.children[0]!.text);
    assert.equal(excepted.attrs.name, 'Namespace billing');
    // The input error is an <error> naming file and line.
    const input = suites.find((s) => s.attrs.id === 'input')!;
    assert.match(input.children[0]!.attrs.name!, /^\/repo\/manifests\/apps\.yaml:\d+$/);
    assert.equal(input.children[0]!.children[0]!.name, 'error');
  });

  it('reports not-evaluated findings as skipped with the reason', async () => {
    const report = mixedReport();
    report.findings.push({ ...report.findings[0]!, status: 'not-evaluated', message: 'the API refused to list secrets' });
    const root = parseXml(formatJunit(report));
    const skipped = root.children.flatMap((s) => s.children).flatMap((c) => c.children).filter((x) => x.name === 'skipped');
    assert.ok(skipped.some((s) => s.attrs.message === 'not evaluated: the API refused to list secrets'));
  });

  it('the XML checker rejects malformed documents', () => {
    assert.throws(() => parseXml('<a><b></a></b>'));
    assert.throws(() => parseXml('<a x="1 & 2"/>'));
    assert.throws(() => parseXml('<a>\u0001</a>'));
    assert.throws(() => parseXml('<a x="<"/>'));
  });
});

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict XML 1.0 well-formedness check for what JUnit reports use (declaration, elements,
 * attributes, text, character and predefined entity references): throws on anything else.
 */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) fail('character not allowed in XML');
  const decode = (raw: string): string => {
    if (raw.includes('<')) fail('"<" in text or attribute');
    return raw.replace(/&([^;]*);?/g, (all, ref: string) => {
      if (!all.endsWith(';')) fail('unterminated reference');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (named[ref] !== undefined) return named[ref]!;
      const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
      if (!m) return fail(`unknown entity &${ref};`);
      return String.fromCodePoint(m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10));
    });
  };
  const name = () => {
    const m = /^[A-Za-z_][-A-Za-z0-9_.:]*/.exec(xml.slice(i));
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const skipSpace = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected "<"');
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') break;
      const attr = name();
      if (xml[i] !== '=' || xml[i + 1] !== '"') fail('expected ="');
      const end = xml.indexOf('"', i + 2);
      if (end < 0) fail('unterminated attribute');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(xml.slice(i + 2, end));
      i = end + 1;
    }
    i++;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail('unclosed element');
      el.text += decode(xml.slice(i, next));
      i = next;
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`mismatched end tag for ${el.name}`);
        skipSpace();
        if (xml[i] !== '>') fail('expected ">"');
        i++;
        return el;
      }
      el.children.push(element());
    }
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (!/^<\?xml version="1\.0" encoding="UTF-8"\?>$/.test(xml.slice(0, end + 2))) fail('bad declaration');
    i = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}
