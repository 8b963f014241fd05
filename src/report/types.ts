// The scan report: the shape of `kubeward scan --format json` (its contract: schema/report.schema.json).

import type { SectionSlug, Severity } from '../checks/sections.js';
import type { FrameworkReport } from '../frameworks/framework.js';
import type { InputError, Location, ResourceRef } from '../inventory/types.js';
import type { SkippedCounts, SourceSummary } from '../sources/types.js';

export interface CheckSummary {
  id: string;
  section: SectionSlug;
  severity: Severity;
  title: string;
  pass: number;
  fail: number;
  notEvaluated: number;
  excepted: number;
  reason?: string;
}

export interface ExceptionEntry {
  check: string;
  namespace?: string;
  kind?: string;
  name?: string;
  reason: string;
  expires?: string;
}

export interface Finding {
  check: string;
  section: SectionSlug;
  severity: Severity;
  status: 'fail' | 'not-evaluated' | 'excepted';
  message: string;
  resource: ResourceRef;
  field?: string;
  location?: Location;
  remediation?: string;
  exception?: ExceptionEntry;
  /** Stable identity across scans (report/fingerprint.ts); filled in when the report is written. */
  fingerprint?: string;
  /** Against --baseline (or the old report of `kubeward diff`): new, or already there. */
  baselineState?: 'new' | 'unchanged';
}

/** A finding of both reports whose severity, status or message differs. */
export interface ChangedFinding {
  check: string;
  resource: ResourceRef;
  field?: string;
  before: Pick<Finding, 'severity' | 'status' | 'message'>;
  after: Pick<Finding, 'severity' | 'status' | 'message'>;
}

/** The comparison with a baseline report (schema: baseline). */
export interface BaselineSummary {
  /** The baseline file as given. */
  source: string;
  generatedAt: string;
  toolVersion: string;
  new: number;
  unchanged: number;
  /** Findings of the baseline that this scan no longer has. */
  fixed: Finding[];
  changed: ChangedFinding[];
}

export interface Report {
  kind: 'ScanReport';
  tool: { name: 'kubeward'; version: string };
  generatedAt: string;
  kubernetesVersion: string | null;
  /** Where kubernetesVersion came from: the flag, the API, or what the input shows. */
  kubernetesVersionSource?: string;
  sources: SourceSummary[];
  checks: CheckSummary[];
  findings: Finding[];
  errors: InputError[];
  skipped: SkippedCounts;
  /** Exception entries past their expiry date: they no longer apply. */
  expiredExceptions: ExceptionEntry[];
  baseline?: BaselineSummary;
  /** What passed, kept only when a scan asks (ScanOptions.keepPasses): PolicyReports list passes. */
  passes?: PassedCheck[];
  /** The scan read against --framework: every control's verdict. */
  framework?: FrameworkReport;
}

export interface PassedCheck {
  check: string;
  resource: ResourceRef;
  location?: Location;
}
