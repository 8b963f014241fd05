// Evaluates a pod (or a pod template) at a level and version, as the upstream Evaluator does.

import type { PodSpec, Volume } from '../../inventory/pod.js';
import type { ObjectMeta } from '../../inventory/types.js';
import { DEFAULT_REGISTRY, type CheckRegistry, type PlannedCheck } from './registry.js';
import type { CheckViolation, Level, PodSecurityResult, PolicyVersion } from './types.js';
import { isSet } from './visitor.js';

const NO_METADATA: ObjectMeta = {};
const NO_SPEC: PodSpec = {};
const ALLOWED: PodSecurityResult = Object.freeze({ allowed: true, violations: Object.freeze([]) as unknown as CheckViolation[] });

/** The checks that run at a level and version; versions above the newest change run as it. */
export function planFor(level: Level, version: PolicyVersion, registry: CheckRegistry = DEFAULT_REGISTRY): readonly PlannedCheck[] {
  if (level === 'privileged') return [];
  const minor = version.latest || version.minor > registry.maxMinor ? registry.maxMinor : version.minor;
  return level === 'baseline' ? registry.baseline[minor]! : registry.restricted[minor]!;
}

function namesSource(volume: Volume): boolean {
  for (const key in volume) if (key !== 'name' && isSet(volume[key])) return true;
  return false;
}

/**
 * Admission sees a pod after the API server has defaulted a volume that names no source to
 * emptyDir (SetDefaults_Volume), so a manifest is judged as the cluster would judge it. The spec
 * itself is returned when nothing needs defaulting.
 */
function withDefaultedVolumes(spec: PodSpec): PodSpec {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes)) return spec;
  let defaulted: Volume[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const volume = volumes[i] as Volume | null;
    if (volume && namesSource(volume)) continue;
    (defaulted ??= volumes.slice())[i] = { ...(volume ?? {}), emptyDir: {} };
  }
  return defaulted ? { ...spec, volumes: defaulted } : spec;
}

/** Runs a plan on one pod. The result for an allowed pod is shared and frozen. */
export function evaluatePlan(plan: readonly PlannedCheck[], metadata: ObjectMeta | undefined, spec: PodSpec | undefined): PodSecurityResult {
  const meta = metadata ?? NO_METADATA;
  const podSpec = spec ? withDefaultedVolumes(spec) : NO_SPEC;
  let violations: CheckViolation[] | undefined;
  for (let i = 0; i < plan.length; i++) {
    const check = plan[i]!;
    const v = check.checkPod(meta, podSpec) as CheckViolation | undefined;
    if (v !== undefined) {
      // Each result is a fresh object, so naming its check in place saves a copy per violation.
      v.check = check.id;
      (violations ??= []).push(v);
    }
  }
  return violations ? { allowed: false, violations } : ALLOWED;
}

export function evaluatePod(level: Level, version: PolicyVersion, metadata: ObjectMeta | undefined, spec: PodSpec | undefined): PodSecurityResult {
  return evaluatePlan(planFor(level, version), metadata, spec);
}
