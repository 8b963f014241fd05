// Runs checks over an inventory and turns their results into a report.

import { ALL_CHECKS } from '../checks/registry.js';
import { severityRank, type Severity } from '../checks/sections.js';
import type { Check, CheckContext, CheckResult } from '../checks/types.js';
import { Inventory } from '../inventory/inventory.js';
import { detectKubeVersion, parseKubeVersion, type KubeVersion } from '../inventory/version.js';
import type { CheckSummary, Finding, Report } from '../report/types.js';
import { collapseMirrorPods } from '../sources/node-root.js';
import type { LoadResult } from '../sources/types.js';
import { TOOL_VERSION } from '../version.js';
import { annotationException, findException, type ExceptionSet } from './exceptions.js';

export interface ScanOptions {
  /** --k8s-version; else detected from the input. */
  k8sVersion?: string;
  exceptions?: ExceptionSet;
  allowAnnotationExceptions?: boolean;
  now?: Date;
  defaultNamespace?: string;
  /** Run only these checks (tests, `explain`); all by default. */
  checks?: readonly Check[];
}

/**
 * The inventory of what the sources read. Mirror pods that copy a static pod read from a node
 * root are dropped here, so every command reports each static pod once.
 */
export function buildInventory(load: LoadResult, defaultNamespace?: string): Inventory {
  return new Inventory(collapseMirrorPods(load).items, {
    gaps: load.gaps,
    hosts: load.hosts,
    ...(load.storedValues ? { storedValues: load.storedValues } : {}),
    ...(defaultNamespace ? { defaultNamespace } : {}),
  });
}

export function resolveVersion(
  inventory: Inventory,
  load: Pick<LoadResult, 'version'>,
  flag: string | undefined,
): { version: KubeVersion | undefined; source?: string } {
  if (flag) return { version: parseKubeVersion(flag), source: '--k8s-version' };
  if (load.version) return { version: parseKubeVersion(load.version.text), source: load.version.source };
  const detected = detectKubeVersion(inventory);
  return detected ? { version: detected.version, source: detected.source } : { version: undefined };
}

export function createContext(inventory: Inventory, k8sVersion: KubeVersion | undefined, now: Date): CheckContext {
  const cache = new Map<string, unknown>();
  return {
    inventory,
    k8sVersion,
    now,
    shared<T>(key: string, build: () => T): T {
      if (!cache.has(key)) cache.set(key, build());
      return cache.get(key) as T;
    },
  };
}

/** Runs one check; a check that throws is recorded as not-evaluated and the scan goes on. */
export function evaluateCheck(check: Check, ctx: CheckContext): CheckResult[] {
  try {
    return [...check.evaluate(ctx)];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ status: 'not-evaluated', subject: { ref: { kind: 'Check', name: check.id } }, reason: `internal error in check: ${message}` }];
  }
}

export function runScan(load: LoadResult, options: ScanOptions = {}): Report {
  const now = options.now ?? new Date();
  const inventory = buildInventory(load, options.defaultNamespace);
  const { version, source } = resolveVersion(inventory, load, options.k8sVersion);
  const ctx = createContext(inventory, version, now);
  const summaries: CheckSummary[] = [];
  const findings: Finding[] = [];
  const active = options.exceptions?.active ?? [];

  for (const check of options.checks ?? ALL_CHECKS) {
    const summary: CheckSummary = { id: check.id, section: check.section, severity: check.severity, title: check.title, pass: 0, fail: 0, notEvaluated: 0, excepted: 0 };
    const reasons = new Set<string>();
    for (const result of evaluateCheck(check, ctx)) {
      if (result.status === 'pass') {
        summary.pass++;
        continue;
      }
      const finding: Finding = {
        check: check.id,
        section: check.section,
        severity: result.status === 'fail' ? (result.severity ?? check.severity) : check.severity,
        status: result.status,
        message: result.status === 'fail' ? result.message : result.reason,
        resource: result.subject.ref,
      };
      if (result.subject.location) finding.location = result.subject.location;
      if (result.status === 'fail') {
        if (result.field) finding.field = result.field;
        finding.remediation = result.remediation ?? check.remediation;
        const exception = findException(active, finding) ?? (options.allowAnnotationExceptions ? annotationException(inventory, finding) : undefined);
        if (exception) {
          finding.status = 'excepted';
          finding.exception = exception;
          summary.excepted++;
        } else summary.fail++;
      } else {
        summary.notEvaluated++;
        reasons.add(result.reason);
      }
      findings.push(finding);
    }
    if (reasons.size > 0) summary.reason = [...reasons].join('; ');
    summaries.push(summary);
  }

  return {
    kind: 'ScanReport',
    tool: { name: 'kubeward', version: TOOL_VERSION },
    generatedAt: now.toISOString(),
    kubernetesVersion: version?.text ?? null,
    ...(source ? { kubernetesVersionSource: source } : {}),
    sources: load.sources,
    checks: summaries,
    findings,
    errors: load.errors,
    skipped: load.skipped,
    expiredExceptions: options.exceptions?.expired ?? [],
  };
}

export type FailOn = Severity | 'none';

/** 2 when the scan was incomplete, 1 when a failure reaches --fail-on, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): number {
  if (report.errors.length > 0) return 2;
  if (failOn === 'none') return 0;
  const threshold = severityRank(failOn);
  return report.findings.some((f) => f.status === 'fail' && severityRank(f.severity) >= threshold) ? 1 : 0;
}

