// Runs checks over an inventory and turns their results into a report.

import { ALL_CHECKS } from '../checks/registry.js';
import { severityRank, type Severity } from '../checks/sections.js';
import type { Check, CheckContext, CheckResult } from '../checks/types.js';
import { describeInternalError } from '../errors.js';
import { FrameworkTally } from '../frameworks/framework.js';
import { frameworkDefinition, type FrameworkId } from '../frameworks/index.js';
import { Inventory } from '../inventory/inventory.js';
import { validateItems } from '../inventory/validate.js';
import { detectKubeVersion, parseKubeVersion, type KubeVersion } from '../inventory/version.js';
import type { CheckSummary, Finding, PassedCheck, Report } from '../report/types.js';
import { collapseMirrorPods } from '../sources/node-root.js';
import { appendAll, type LoadResult } from '../sources/types.js';
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
  /** Keep every pass with its subject in `report.passes` (PolicyReports list them). */
  keepPasses?: boolean;
  /** Also read the results against this framework (report.framework). */
  framework?: FrameworkId;
  /** Receives the scan's context: `kubeward fix` plans on the same inventory and engine state. */
  onContext?: (ctx: CheckContext) => void;
}

/**
 * The inventory of what the sources read. Mirror pods that copy a static pod read from a node
 * root are dropped here, so every command reports each static pod once.
 */
export function buildInventory(load: LoadResult, defaultNamespace?: string): Inventory {
  // Objects of the wrong shape become errors here, before anything reads their fields.
  const { valid, errors } = validateItems(load.items);
  if (errors.length > 0) {
    load.items = valid;
    appendAll(load.errors, errors);
  }
  return new Inventory(collapseMirrorPods(load).items, {
    gaps: load.gaps,
    hosts: load.hosts,
    skippedKinds: load.skipped.byKind,
    ...(load.storedValues ? { storedValues: load.storedValues } : {}),
    ...(load.listed ? { listed: load.listed } : {}),
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

export function createContext(inventory: Inventory, k8sVersion: KubeVersion | undefined, now: Date, framework?: FrameworkId): CheckContext {
  const cache = new Map<string, unknown>();
  return {
    inventory,
    k8sVersion,
    now,
    ...(framework ? { framework } : {}),
    shared<T>(key: string, build: () => T): T {
      if (!cache.has(key)) cache.set(key, build());
      return cache.get(key) as T;
    },
  };
}

/** Runs one check; a check that throws is recorded as not-evaluated and the scan goes on. */
export function evaluateCheck(check: Check, ctx: CheckContext): CheckResult[] {
  const results: CheckResult[] = [];
  for (const result of streamCheck(check, ctx, () => { results.length = 0; })) results.push(result);
  return results;
}

function internalError(check: Check, e: unknown): CheckResult {
  return { status: 'not-evaluated', subject: { ref: { kind: 'Check', name: check.id } }, reason: `internal error in check: ${describeInternalError(e)}` };
}

/**
 * evaluateCheck's results one at a time, so a scan counts passes without holding them all (less
 * memory, less garbage collection). A check that throws still counts as evaluateCheck has it:
 * `discard` undoes what its earlier results did, then the internal error is the only result.
 */
function* streamCheck(check: Check, ctx: CheckContext, discard: () => void): Generator<CheckResult> {
  let iterator: Iterator<CheckResult>;
  try {
    iterator = check.evaluate(ctx)[Symbol.iterator]();
  } catch (e) {
    yield internalError(check, e);
    return;
  }
  for (;;) {
    let step: IteratorResult<CheckResult>;
    try {
      step = iterator.next();
    } catch (e) {
      discard();
      yield internalError(check, e);
      return;
    }
    if (step.done) return;
    yield step.value;
  }
}

export function runScan(load: LoadResult, options: ScanOptions = {}): Report {
  const now = options.now ?? new Date();
  const inventory = buildInventory(load, options.defaultNamespace);
  const { version, source } = resolveVersion(inventory, load, options.k8sVersion);
  const ctx = createContext(inventory, version, now, options.framework);
  options.onContext?.(ctx);
  const summaries: CheckSummary[] = [];
  const findings: Finding[] = [];
  const active = options.exceptions?.active ?? [];
  const passes: PassedCheck[] | undefined = options.keepPasses ? [] : undefined;
  const checks = options.checks ?? ALL_CHECKS;
  const tally = options.framework ? new FrameworkTally(frameworkDefinition(options.framework), checks) : undefined;

  for (const check of checks) {
    const summary: CheckSummary = { id: check.id, section: check.section, severity: check.severity, title: check.title, pass: 0, fail: 0, notEvaluated: 0, excepted: 0 };
    const reasons = new Set<string>();
    const before = { findings: findings.length, passes: passes?.length ?? 0 };
    const discard = () => {
      findings.length = before.findings;
      if (passes) passes.length = before.passes;
      summary.pass = summary.fail = summary.notEvaluated = summary.excepted = 0;
      reasons.clear();
      tally?.discard();
    };
    for (const result of streamCheck(check, ctx, discard)) {
      if (result.status === 'pass') {
        summary.pass++;
        tally?.record(check, result);
        passes?.push({ check: check.id, resource: result.subject.ref, ...(result.subject.location ? { location: result.subject.location } : {}) });
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
      tally?.record(check, result, finding);
      findings.push(finding);
    }
    if (reasons.size > 0) summary.reason = [...reasons].join('; ');
    summaries.push(summary);
    tally?.commit();
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
    ...(passes ? { passes } : {}),
    ...(tally ? { framework: tally.finish() } : {}),
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

