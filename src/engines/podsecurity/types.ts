// The shapes of the Pod Security Standards engine, after k8s.io/pod-security-admission/policy.

import type { PodSpec } from '../../inventory/pod.js';
import type { ObjectMeta } from '../../inventory/types.js';

export const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];

/** A policy version: "v1.<minor>" or "latest". Only major version 1 exists. */
export interface PolicyVersion {
  latest: boolean;
  /** The minor version; ignored when latest. */
  minor: number;
}

/** Why one check forbids a pod: a short reason and, usually, a detail naming what and where. */
export interface Violation {
  reason: string;
  /** Empty when the check gives no detail. */
  detail: string;
  /** Field paths relative to the pod (e.g. "spec.containers[0].securityContext.privileged"). */
  fields: string[];
}

/** One version of a check: a pure function of the pod's metadata and spec. */
export type CheckPodFn = (metadata: ObjectMeta, spec: PodSpec) => Violation | undefined;

export interface VersionedCheck {
  /** The first policy minor version (1.<minor>) this function applies to. */
  minimumMinor: number;
  checkPod: CheckPodFn;
  /** Baseline check ids this restricted check replaces at the restricted level. */
  overrides?: string[];
}

export interface PssCheck {
  /** Upstream's check id, e.g. "allowPrivilegeEscalation". */
  id: string;
  level: 'baseline' | 'restricted';
  /** Strictly increasing minimum versions; never edited once released. */
  versions: VersionedCheck[];
}

/** A violation with the id of the check that found it. */
export interface CheckViolation extends Violation {
  check: string;
}

export interface PodSecurityResult {
  allowed: boolean;
  /** In the controller's order: baseline checks, then restricted ones, each sorted by id. */
  violations: CheckViolation[];
}
