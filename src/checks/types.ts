// The check framework: what a check is, what it returns, and what it may read.

import type { FixContext } from '../fix/types.js';
import type { Cis112ControlId } from '../frameworks/cis-1.12.js';
import type { FrameworkId } from '../frameworks/index.js';
import type { Inventory } from '../inventory/inventory.js';
import type { Item, Location, ResourceRef } from '../inventory/types.js';
import type { KubeVersion } from '../inventory/version.js';
import type { SectionSlug, Severity } from './sections.js';

/** What a check is judged on: an inventory object, or a thing named by reference (a node file). */
export interface Subject {
  ref: ResourceRef;
  location?: Location;
}

/** The CIS Kubernetes Benchmark controls a check judges, per benchmark version. */
export interface CisControls {
  '1.12'?: readonly Cis112ControlId[];
}

export type CisOutcome = 'pass' | 'fail' | 'not-evaluated';

/**
 * One result's verdict per CIS control, when it is not simply the result's status for every
 * control of its check: a result that bears on some of them only (a file's mode, not its owner),
 * or one where CIS judges differently (kubeward stricter or looser). Controls left out are not
 * judged by this result.
 */
export interface CisOutcomes {
  '1.12'?: Partial<Record<Cis112ControlId, CisOutcome>>;
}

/** What every result may add for the CIS view. */
interface CisJudgement {
  cis?: CisOutcomes;
  /** Why the CIS verdict differs from kubeward's, shown in the CIS view: for every control, or per control. */
  cisNote?: string | Partial<Record<Cis112ControlId, string>>;
}

export interface PassResult extends CisJudgement {
  status: 'pass';
  subject: Subject;
}

export interface FailResult extends CisJudgement {
  status: 'fail';
  subject: Subject;
  /** What is wrong with this object, in one sentence. */
  message: string;
  /** Path inside the object, e.g. spec.template.spec.containers[0].securityContext.privileged. */
  field?: string;
  /** Overrides the check's severity for this finding (e.g. by an escalation path's target). */
  severity?: Severity;
  /** Overrides the check's remediation with one specific to this object. */
  remediation?: string;
}

export interface NotEvaluatedResult extends CisJudgement {
  status: 'not-evaluated';
  subject: Subject;
  /** Why it could not be evaluated; never reported as a pass. */
  reason: string;
}

export type CheckResult = PassResult | FailResult | NotEvaluatedResult;

export interface CheckContext {
  inventory: Inventory;
  /** The Kubernetes version evaluated against (--k8s-version or detected); undefined if unknown. */
  k8sVersion: KubeVersion | undefined;
  /** The scan's clock, so results are reproducible in tests. */
  now: Date;
  /**
   * The framework the scan is read against (--framework). Without one, a check may leave out
   * per-result CIS outcomes that cost work to compute; what it decides must not depend on it.
   */
  framework?: FrameworkId;
  /** Builds a value once per scan and shares it between checks (an RBAC index, a policy graph). */
  shared<T>(key: string, build: () => T): T;
}

/** An example input for a check: inline YAML, or a builder for inputs YAML cannot hold. */
export type CheckExample =
  | string
  | {
      description: string;
      yaml?: string;
      /** For inputs beyond manifests (node files, certificates): builds the inventory. */
      build?: () => Inventory | Promise<Inventory>;
      k8sVersion?: string;
      now?: string;
    };

export interface CheckDocs {
  /** What it does: one paragraph. */
  what: string;
  /** Why is this bad: one paragraph, with the attack it enables. */
  why: string;
  /** References: the guide section, upstream docs, CIS ids, PSS. */
  references?: string[];
}

export interface Check {
  /** Stable kebab-case id naming the bad state, e.g. "privileged-container". */
  id: string;
  section: SectionSlug;
  severity: Severity;
  title: string;
  docs: CheckDocs;
  /** What to do, with the snippet to apply. */
  remediation: string;
  evaluate(ctx: CheckContext): Iterable<CheckResult>;
  /** Failing examples give at least one fail; passing examples give none. Run as tests. */
  examples: { fail: CheckExample[]; pass: CheckExample[] };
  /** The CIS Benchmark controls this check evaluates (`kubeward scan --framework cis-1.12`). */
  cis?: CisControls;
  /** How `kubeward fix` fixes this check's failures; absent when a person has to. */
  fix?: CheckFix;
}

/**
 * Safe fixes do not change what a working workload or control plane does; unsafe ones may, and
 * are applied only with --unsafe-fixes (Ruff's classification).
 */
export type FixSafety = 'safe' | 'unsafe';

export interface CheckFix {
  safety: FixSafety;
  /** What the fix changes, one sentence (explain, docs/checks.md, the fix summary). */
  summary: string;
  /** What could break: for unsafe fixes, and for safe ones that are unsafe where the input shows it. */
  risk?: string;
  /** What to do once the change is applied (restart, rewrite stored data), printed when it is planned. */
  followUp?: string;
  /** Plans the changes for this check's failures; the framework re-scans to prove them. */
  plan(ctx: FixContext, failures: readonly FailResult[]): void;
}

export function subjectOf(item: Item): Subject {
  return { ref: item.ref, location: item.location };
}
