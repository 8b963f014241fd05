// A scan read against a framework: each control's verdict from the results of the checks that
// evaluate it, kube-bench's way (PASS / FAIL / WARN / NOT EVALUATED), with the evidence behind it.

import type { Check, CheckResult, CisOutcome } from '../checks/types.js';
import type { Location, ResourceRef } from '../inventory/types.js';
import type { Finding } from '../report/types.js';
import type { FrameworkDefinition, FrameworkId } from './index.js';

export type ControlVerdict = 'pass' | 'fail' | 'warn' | 'not-evaluated';

/** One result's bearing on a control; passes are kept only when they explain something (a note). */
export interface ControlEvidence {
  check: string;
  outcome: CisOutcome | 'excepted';
  resource: ResourceRef;
  location?: Location;
  /** The finding's message or the not-evaluated reason. */
  message?: string;
  /** Why CIS's verdict differs from kubeward's for this subject. */
  note?: string;
}

export interface ControlReport {
  id: string;
  title: string;
  group: string;
  assessment: 'Automated' | 'Manual';
  audited: boolean;
  verdict: ControlVerdict;
  /** Why the verdict is warn or not-evaluated. */
  reason?: string;
  /** The kubeward checks that evaluate it. */
  checks: string[];
  pass: number;
  fail: number;
  notEvaluated: number;
  excepted: number;
  evidence: ControlEvidence[];
}

export type VerdictCounts = Record<ControlVerdict, number>;

export interface FrameworkReport {
  id: FrameworkId;
  title: string;
  controls: ControlReport[];
  groups: ({ id: string; title: string } & VerdictCounts)[];
  totals: VerdictCounts;
}

export const NO_CHECK_REASON = 'manual: no kubeward check decides this control; review it by hand';
export const NO_INPUT_REASON = 'nothing in the input shows what this control judges';

/** Collects every result of a scan against one framework, then gives each control its verdict. */
export class FrameworkTally {
  private readonly controls = new Map<string, ControlReport>();
  /** The current check's results: a check that throws half-way has them discarded, as the scan does. */
  private pending: [Check, CheckResult, Finding | undefined][] = [];

  constructor(private readonly framework: FrameworkDefinition, checks: readonly Check[]) {
    for (const c of framework.controls) {
      this.controls.set(c.id, { ...c, verdict: 'not-evaluated', checks: [], pass: 0, fail: 0, notEvaluated: 0, excepted: 0, evidence: [] });
    }
    for (const check of checks) {
      for (const id of check.cis?.[framework.cisVersion] ?? []) this.controls.get(id)?.checks.push(check.id);
    }
  }

  /** One result of a check; `finding` is what the scan made of it (absent for passes). */
  record(check: Check, result: CheckResult, finding?: Finding): void {
    if (check.cis?.[this.framework.cisVersion] || result.cis?.[this.framework.cisVersion]) this.pending.push([check, result, finding]);
  }

  discard(): void {
    this.pending = [];
  }

  /** The check is done: its results count. */
  commit(): void {
    for (const [check, result, finding] of this.pending) this.apply(check, result, finding);
    this.pending = [];
  }

  private apply(check: Check, result: CheckResult, finding: Finding | undefined): void {
    const version = this.framework.cisVersion;
    const outcomes = result.cis?.[version];
    const ids: readonly string[] = outcomes ? Object.keys(outcomes) : check.cis?.[version] ?? [];
    for (const id of ids) {
      const control = this.controls.get(id);
      if (!control) continue;
      let outcome: ControlEvidence['outcome'] = (outcomes as Record<string, CisOutcome> | undefined)?.[id] ?? result.status;
      if (outcome === 'fail' && result.status === 'fail' && finding?.status === 'excepted') outcome = 'excepted';
      if (!control.checks.includes(check.id)) control.checks.push(check.id);
      if (outcome === 'pass') control.pass++;
      else if (outcome === 'fail') control.fail++;
      else if (outcome === 'not-evaluated') control.notEvaluated++;
      else control.excepted++;
      const note = typeof result.cisNote === 'string' ? result.cisNote : (result.cisNote as Record<string, string> | undefined)?.[id];
      if (outcome === 'pass' && !note) continue;
      const message = result.status === 'fail' ? result.message : result.status === 'not-evaluated' ? result.reason : undefined;
      control.evidence.push({
        check: check.id,
        outcome,
        resource: result.subject.ref,
        ...(result.subject.location ? { location: result.subject.location } : {}),
        ...(message !== undefined ? { message } : {}),
        ...(note ? { note } : {}),
      });
    }
  }

  finish(): FrameworkReport {
    this.commit();
    const controls = [...this.controls.values()].map(judge);
    return {
      id: this.framework.id,
      title: this.framework.title,
      controls,
      groups: this.framework.groups.map((g) => ({ id: g.id, title: g.title, ...countVerdicts(controls.filter((c) => c.group === g.id)) })),
      totals: countVerdicts(controls),
    };
  }
}

export function countVerdicts(controls: readonly ControlReport[]): VerdictCounts {
  const counts: VerdictCounts = { pass: 0, fail: 0, warn: 0, 'not-evaluated': 0 };
  for (const c of controls) counts[c.verdict]++;
  return counts;
}

function judge(c: ControlReport): ControlReport {
  if (c.checks.length === 0) return { ...c, verdict: 'warn', reason: NO_CHECK_REASON };
  if (c.fail > 0) return { ...c, verdict: 'fail' };
  if (c.notEvaluated > 0) {
    const reasons = [...new Set(c.evidence.filter((e) => e.outcome === 'not-evaluated').map((e) => e.message ?? e.note ?? ''))].filter(Boolean);
    return { ...c, verdict: 'not-evaluated', reason: reasons.join('; ') || NO_INPUT_REASON };
  }
  if (c.excepted > 0) return { ...c, verdict: 'warn', reason: `${c.excepted} failure(s) accepted as exceptions` };
  if (c.pass === 0) return { ...c, verdict: 'not-evaluated', reason: NO_INPUT_REASON };
  return { ...c, verdict: 'pass' };
}
