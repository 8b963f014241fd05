// SARIF 2.1.0 (OASIS): the format GitHub code scanning and most CI dashboards ingest.
// Rules are the checks; results are the findings, with the file and line they were read from.

import { isAbsolute, relative, resolve, sep } from 'node:path';
import { checkMarkdown } from '../checks/markdown.js';
import type { Severity } from '../checks/sections.js';
import type { Check } from '../checks/types.js';
import { describeRef, type ResourceRef, fileLine } from '../inventory/types.js';
import { FINGERPRINT_KEY, fingerprints } from './fingerprint.js';
import type { CheckSummary, Finding, Report } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** Metadata of the checks (docs, remediation) for the rules; matched to report.checks by id. */
  catalogue: readonly Check[];
  /** File locations are written relative to this directory (the repository root in CI). */
  cwd: string;
}

/** GitHub code scanning ranks security alerts by this number: >= 9 critical, >= 7 high, >= 4 medium. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

export function formatSarif(report: Report, options: SarifOptions): string {
  return `${JSON.stringify(sarifLog(report, options), null, 2)}\n`;
}

export function sarifLog(report: Report, options: SarifOptions): Record<string, unknown> {
  const byId = new Map(options.catalogue.map((c) => [c.id, c]));
  const ruleIndex = new Map(report.checks.map((c, i) => [c.id, i]));
  const prints = fingerprints(report.findings);
  // With a baseline, what it had and this scan has not is reported as "absent" (fixed).
  const results = [
    ...report.findings.map((f, i) => result(f, prints[i]!, ruleIndex.get(f.check), options.cwd)),
    ...(report.baseline?.fixed ?? []).map((f) => ({ ...result(f, f.fingerprint!, ruleIndex.get(f.check), options.cwd), baselineState: 'absent' })),
  ];
  const notifications = [
    ...report.errors.map((e) => ({
      level: 'error',
      message: { text: `${fileLine(e.source, e.line)}: ${e.message}` },
      ...(looksLikePath(e.source) ? { locations: [{ physicalLocation: physical(e.source, e.line, options.cwd) }] } : {}),
    })),
    ...report.expiredExceptions.map((e) => ({
      level: 'warning',
      message: { text: `exception for ${e.check} (${[e.kind, e.namespace, e.name].filter(Boolean).join(' ') || 'every object'}) expired on ${e.expires}; it no longer applies` },
    })),
  ];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeward',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: report.checks.map((summary) => rule(summary, byId.get(summary.id))),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
        properties: {
          kubernetesVersion: report.kubernetesVersion,
          ...(report.kubernetesVersionSource ? { kubernetesVersionSource: report.kubernetesVersionSource } : {}),
          skipped: report.skipped,
        },
      },
    ],
  };
}

function rule(summary: CheckSummary, check: Check | undefined): Record<string, unknown> {
  const helpUri = check?.docs.references?.map((r) => /https?:\/\/[^\s)]+/.exec(r)?.[0]).find((url) => url !== undefined);
  const description = check ? `${check.docs.what} ${check.docs.why}` : summary.title;
  return {
    id: summary.id,
    name: pascalCase(summary.id),
    shortDescription: { text: summary.title },
    fullDescription: { text: description },
    ...(check
      ? {
          help: {
            text: `${check.docs.what}\n\nWhy is this bad? ${check.docs.why}\n\nRemediation: ${check.remediation}`,
            markdown: checkMarkdown(check),
          },
        }
      : {}),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[summary.severity] },
    properties: {
      // Code scanning filters on tags: the CIS controls a rule evaluates are searchable there.
      tags: ['security', 'kubernetes', summary.section, ...(check?.cis?.['1.12'] ?? []).map((id) => `CIS-1.12-${id}`)],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[summary.severity],
      section: summary.section,
      severity: summary.severity,
    },
  };
}

function result(f: Finding, fingerprint: string, ruleIndex: number | undefined, cwd: string): Record<string, unknown> {
  const subject = describeRef(f.resource);
  const base = {
    ruleId: f.check,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    message: { text: `${subject}: ${f.message}${f.field ? ` (${f.field})` : ''}` },
    locations: [location(f, cwd)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(f.baselineState ? { baselineState: f.baselineState } : {}),
    properties: {
      section: f.section,
      severity: f.severity,
      status: f.status,
      resource: f.resource,
      ...(f.field ? { field: f.field } : {}),
      ...(f.remediation ? { remediation: f.remediation } : {}),
    },
  };
  switch (f.status) {
    case 'fail':
      return { ...base, kind: 'fail', level: LEVEL[f.severity] };
    case 'excepted':
      return {
        ...base,
        kind: 'fail',
        level: LEVEL[f.severity],
        suppressions: [{
          kind: 'external',
          status: 'accepted',
          justification: `${f.exception?.reason ?? 'excepted'}${f.exception?.expires ? ` (until ${f.exception.expires})` : ''}`,
        }],
      };
    case 'not-evaluated':
      // "notApplicable" (SARIF 3.27.9: the rule was not evaluated on this target), level "none"
      // as the spec requires of any kind but "fail". Not "open" or "review": consumers (GitLab's
      // converter, dashboards) raise those as problems, and a check the input cannot answer (a
      // control-plane flag in a manifest) is not one. The reason stays in the message.
      return { ...base, kind: 'notApplicable', level: 'none' };
  }
}

/**
 * Where a result is: the file and line it was read from, plus the resource as a logical
 * location. A finding about an object the input only references (a Namespace that pods name, a
 * live-cluster object) has no file; GitHub code scanning rejects a whole log when one result
 * has no artifact URI, so such results get a descriptive pseudo-path naming the resource.
 */
function location(f: Finding, cwd: string): Record<string, unknown> {
  const logicalLocations = [{ name: f.resource.name, fullyQualifiedName: qualifiedName(f.resource), kind: 'resource' }];
  if (f.location && looksLikePath(f.location.file)) {
    return { physicalLocation: physical(f.location.file, f.location.line, cwd), logicalLocations };
  }
  const origin = f.location ? `read from ${f.location.file}` : 'not read from a file';
  return {
    physicalLocation: {
      artifactLocation: {
        uri: `kubernetes/${qualifiedName(f.resource).split('/').map(encodeURIComponent).join('/')}`,
        description: { text: `${describeRef(f.resource)} (${origin})` },
      },
    },
    logicalLocations,
  };
}

function physical(file: string, line: number | undefined, cwd: string): Record<string, unknown> {
  const path = relative(cwd, resolve(cwd, file));
  const uri = path.split(sep).join('/').split('/').map(encodeURIComponent).join('/');
  return { artifactLocation: { uri }, ...(line ? { region: { startLine: line } } : {}) };
}

/** "stdin", API request names and URLs are not files of the repository. */
function looksLikePath(source: string): boolean {
  return source !== 'stdin' && (isAbsolute(source) || !/^[a-z][a-z0-9+.-]*:/i.test(source));
}

function qualifiedName(ref: ResourceRef): string {
  return ref.namespace ? `namespaces/${ref.namespace}/${ref.kind}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

function pascalCase(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
