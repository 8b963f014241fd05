// The catalogue of checks and the table of which check function runs at each level and version,
// built once and validated as upstream's policy/registry.go does.

import { compareStrings } from './format.js';
import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/app-armor-profile.js';
import { capabilitiesBaseline } from './checks/capabilities-baseline.js';
import { capabilitiesRestricted } from './checks/capabilities-restricted.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMount, procMountRestricted } from './checks/proc-mount.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRoot } from './checks/run-as-non-root.js';
import { runAsUser } from './checks/run-as-user.js';
import { seLinuxOptionsCheck } from './checks/se-linux-options.js';
import { seccompProfileBaseline } from './checks/seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './checks/seccomp-profile-restricted.js';
import { sysctlsCheck } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import type { CheckPodFn, PssCheck } from './types.js';

export const DEFAULT_CHECKS: readonly PssCheck[] = [
  allowPrivilegeEscalation, appArmorProfile, capabilitiesBaseline, capabilitiesRestricted, hostNamespaces,
  hostPathVolumes, hostPorts, hostProbesAndHostLifecycle, privileged, procMount, procMountRestricted,
  restrictedVolumes, runAsNonRoot, runAsUser, seLinuxOptionsCheck, seccompProfileBaseline, seccompProfileRestricted,
  sysctlsCheck, windowsHostProcess,
];

/** One entry of an evaluation plan: the check's id and the function for that version. */
export interface PlannedCheck {
  id: string;
  checkPod: CheckPodFn;
}

export interface CheckRegistry {
  /** The newest minor version any check changed at: "latest" and newer versions evaluate as it. */
  maxMinor: number;
  /** Checks to run per minor version 0..maxMinor, in message order. */
  baseline: PlannedCheck[][];
  restricted: PlannedCheck[][];
}

/** Rejects catalogues upstream's NewEvaluator would reject. */
export function validateChecks(checks: readonly PssCheck[]): void {
  const levels = new Map<string, string>();
  for (const check of checks) {
    if (levels.has(check.id)) throw new Error(`multiple checks registered for ID ${check.id}`);
    levels.set(check.id, check.level);
    if (check.versions.length === 0) throw new Error(`check ${check.id}: empty`);
    let previous = -1;
    for (const v of check.versions) {
      if (!Number.isInteger(v.minimumMinor) || v.minimumMinor <= previous) throw new Error(`check ${check.id}: versions must be strictly increasing`);
      previous = v.minimumMinor;
    }
  }
  for (const check of checks) {
    for (const v of check.versions) {
      if (!v.overrides?.length) continue;
      if (check.level !== 'restricted') throw new Error(`check ${check.id}: only restricted checks may set overrides`);
      for (const id of v.overrides) {
        const level = levels.get(id);
        if (level !== undefined && level !== 'baseline') throw new Error(`check ${check.id}: overrides ${level} check ${id}`);
      }
    }
  }
}

/** Expands every check over the versions it covers, as populate() and inflateVersions() do. */
export function buildRegistry(checks: readonly PssCheck[]): CheckRegistry {
  validateChecks(checks);
  const maxMinor = Math.max(...checks.map((c) => c.versions[c.versions.length - 1]!.minimumMinor));
  const baselineIds = checks.filter((c) => c.level === 'baseline').map((c) => c.id).sort(compareStrings);
  const restrictedIds = checks.filter((c) => c.level === 'restricted').map((c) => c.id).sort(compareStrings);
  const orderedIds = [...baselineIds, ...restrictedIds];
  const byId = new Map(checks.map((c) => [c.id, c]));

  const registry: CheckRegistry = { maxMinor, baseline: [], restricted: [] };
  for (let minor = 0; minor <= maxMinor; minor++) {
    const active = new Map<string, { checkPod: CheckPodFn; overrides?: string[] }>();
    for (const id of orderedIds) {
      const check = byId.get(id)!;
      const version = [...check.versions].reverse().find((v) => v.minimumMinor <= minor);
      if (version) active.set(id, version);
    }
    const overridden = new Set<string>();
    for (const id of restrictedIds) for (const o of active.get(id)?.overrides ?? []) overridden.add(o);
    const plan = (ids: string[]) => ids.filter((id) => active.has(id)).map((id) => ({ id, checkPod: active.get(id)!.checkPod }));
    registry.baseline.push(plan(baselineIds));
    registry.restricted.push(plan([...baselineIds.filter((id) => !overridden.has(id)), ...restrictedIds]));
  }
  return registry;
}

export const DEFAULT_REGISTRY: CheckRegistry = buildRegistry(DEFAULT_CHECKS);
