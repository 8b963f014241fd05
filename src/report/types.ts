// The scan report: the shape of `kubeward scan --format json` (../shared/spec/report.schema.json).

import type { SectionSlug, Severity } from '../checks/sections.js';
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
}
