// The CIS 1.12 pod controls as verdicts on one pod.
// 5.2.2-5.2.6 as kube-bench's audits decide them: on each pod, its regular containers'
// securityContext.privileged and allowPrivilegeEscalation, and the pod's hostPID, hostIPC and
// hostNetwork, failing only a value set to true (the API server drops false host namespace fields,
// so kube-bench never sees them). Init and ephemeral containers are not audited by kube-bench.
// 5.2.7-5.2.12 and 5.6.2 are manual (kube-bench only warns): they are judged by what each control
// asks a policy to keep out, on every container (init and ephemeral ones are admitted too), in the
// namespaces "which have user workloads", as their remediation words it: the system namespaces,
// where the platform's own pods (static pods, CNI, kube-proxy) run as they must, pass them.

import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { hostPathVolumes } from '../../engines/podsecurity/checks/host-path-volumes.js';
import { hostPorts } from '../../engines/podsecurity/checks/host-ports.js';
import { seccompProfileRestricted } from '../../engines/podsecurity/checks/seccomp-profile-restricted.js';
import { windowsHostProcess } from '../../engines/podsecurity/checks/windows-host-process.js';
import type { CheckViolation, PssCheck } from '../../engines/podsecurity/types.js';
import { isWindowsPod, visitContainers } from '../../engines/podsecurity/visitor.js';
import type { PodSpecRef } from '../../inventory/inventory.js';
import type { Container } from '../../inventory/pod.js';
import type { CheckContext, CisOutcome } from '../types.js';

export type PodControl = Extract<Cis112ControlId, '5.2.2' | '5.2.3' | '5.2.4' | '5.2.5' | '5.2.6' | '5.2.7' | '5.2.8' | '5.2.9' | '5.2.10' | '5.2.11' | '5.2.12' | '5.6.2'>;

export const POD_CONTROLS: readonly PodControl[] = ['5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6', '5.2.7', '5.2.8', '5.2.9', '5.2.10', '5.2.11', '5.2.12', '5.6.2'];

/** The controls Baseline settles: a pod that meets Baseline passes them. */
export const BASELINE_CONTROLS: readonly PodControl[] = ['5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.10', '5.2.11', '5.2.12'];

/** The controls only Restricted (or beyond) bears on. */
export const RESTRICTED_CONTROLS: readonly PodControl[] = POD_CONTROLS.filter((id) => !BASELINE_CONTROLS.includes(id));

/** Whether a Pod Security check finds something, with its newest rules. */
function violates(check: PssCheck, pod: PodSpecRef): boolean {
  return check.versions[check.versions.length - 1]!.checkPod(pod.podMetadata, pod.spec) !== undefined;
}

/**
 * 5.2.7: a container passes when it cannot run as UID 0: runAsNonRoot: true (the kubelet then
 * refuses UID 0) or a non-zero runAsUser, the container's value overriding the pod's. Unset both
 * leaves the image's USER in charge, which CIS's "MustRunAsNonRoot or MustRunAs without 0" does not admit.
 */
function mayRunAsRoot(pod: PodSpecRef, c: Container): boolean {
  const nonRoot = c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
  const user = c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  return nonRoot !== true && !(typeof user === 'number' && user > 0);
}

/**
 * A container's effective capabilities as containerd builds them from the CRI request: "ALL" in
 * add (then drop) replaces the set, then single adds are added and single drops removed; names are
 * matched upper-cased, as the runtime does. Windows pods have no Linux capabilities.
 */
function capabilities(c: Container): { netRaw: boolean; any: boolean } {
  const upper = (list: unknown) => (Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').map((x) => x.toUpperCase()) : []);
  const add = upper(c.securityContext?.capabilities?.add);
  const drop = upper(c.securityContext?.capabilities?.drop);
  const dropAll = drop.includes('ALL');
  const dropped = new Set(drop);
  // The runtime's default set includes NET_RAW, so without drop ALL a container keeps it.
  const netRaw = !dropped.has('NET_RAW') && (!dropAll || add.includes('ALL') || add.includes('NET_RAW'));
  const any = !dropAll || add.some((cap) => cap === 'ALL' || !dropped.has(cap));
  return { netRaw, any };
}

/** The manual pod controls, asked of the namespaces with user workloads only. */
const USER_WORKLOAD_CONTROLS: readonly PodControl[] = ['5.2.7', '5.2.8', '5.2.9', '5.2.10', '5.2.11', '5.2.12', '5.6.2'];

/** cisPodOutcomes of a pod, computed once per scan for the two checks that report them. */
export function cisOutcomesOf(ctx: Pick<CheckContext, 'inventory' | 'shared'>, pod: PodSpecRef): Record<PodControl, CisOutcome> {
  const cache = ctx.shared('cis:pod-outcomes', () => new Map<PodSpecRef, Record<PodControl, CisOutcome>>());
  let outcomes = cache.get(pod);
  if (!outcomes) cache.set(pod, (outcomes = cisPodOutcomes(pod, ctx.inventory.isSystemNamespace(pod.namespace))));
  return outcomes;
}

/** The CIS verdict on one pod for each of the pod controls; `system`: the pod is in a system namespace. */
function cisPodOutcomes(pod: PodSpecRef, system: boolean): Record<PodControl, CisOutcome> {
  const { spec } = pod;
  const regular = Array.isArray(spec.containers) ? spec.containers : [];
  const anyRegular = (field: 'privileged' | 'allowPrivilegeEscalation') => regular.some((c) => c?.securityContext?.[field] === true);
  const verdict = (failed: boolean): CisOutcome => (failed ? 'fail' : 'pass');
  // Filled in the order of POD_CONTROLS: kube-bench's controls, then the user-workload ones.
  const outcomes = {
    '5.2.2': verdict(anyRegular('privileged')),
    '5.2.3': verdict(spec.hostPID === true),
    '5.2.4': verdict(spec.hostIPC === true),
    '5.2.5': verdict(spec.hostNetwork === true),
    '5.2.6': verdict(anyRegular('allowPrivilegeEscalation')),
  } as Record<PodControl, CisOutcome>;
  // The system namespaces pass the user-workload controls: nothing to compute there.
  if (system) {
    for (const id of USER_WORKLOAD_CONTROLS) outcomes[id] = 'pass';
    return outcomes;
  }
  let root = false;
  let netRaw = false;
  let assigned = false;
  const windows = isWindowsPod(spec);
  visitContainers(spec, (c) => {
    root ||= mayRunAsRoot(pod, c);
    if (windows) return;
    const caps = capabilities(c);
    netRaw ||= caps.netRaw;
    assigned ||= caps.any;
  });
  outcomes['5.2.7'] = verdict(root);
  outcomes['5.2.8'] = verdict(netRaw);
  outcomes['5.2.9'] = verdict(assigned);
  outcomes['5.2.10'] = verdict(violates(windowsHostProcess, pod));
  outcomes['5.2.11'] = verdict(violates(hostPathVolumes, pod));
  outcomes['5.2.12'] = verdict(violates(hostPorts, pod));
  // RuntimeDefault or Localhost on the pod or on every container; Windows pods have no seccomp.
  outcomes['5.6.2'] = verdict(violates(seccompProfileRestricted, pod));
  return outcomes;
}

/** The outcomes for some of the controls only. */
export function pick(outcomes: Record<PodControl, CisOutcome>, ids: readonly PodControl[]): Partial<Record<PodControl, CisOutcome>> {
  // Set one by one, in the order of ids: every pod's result takes a pick, and the pairs
  // Object.fromEntries would need cost more than the object.
  const picked: Partial<Record<PodControl, CisOutcome>> = {};
  for (const id of ids) picked[id] = outcomes[id];
  return picked;
}

/**
 * Where CIS and Restricted judge a restricted control differently: the Pod Security checks that
 * bear on it, what to say when Restricted fails a pod CIS passes, and the other way round.
 */
const RESTRICTED_DIFFERENCES: Partial<Record<PodControl, { checks: string[]; stricter?: string; looser?: string }>> = {
  '5.2.6': { checks: ['allowPrivilegeEscalation'], stricter: 'kube-bench fails only allowPrivilegeEscalation: true on a regular container; Restricted also needs it set to false (unset allows escalation)' },
  '5.2.7': {
    checks: ['runAsNonRoot', 'runAsUser'],
    stricter: 'CIS accepts a non-zero runAsUser in place of runAsNonRoot: true; Restricted asks runAsNonRoot: true',
    looser: 'CIS asks runAsNonRoot: true or a non-zero runAsUser of every pod; Restricted exempts pods in a user namespace (hostUsers: false)',
  },
  '5.2.8': { checks: ['capabilities_restricted'], stricter: 'CIS 5.2.8 asks only that NET_RAW be dropped (or ALL); Restricted asks drop ALL' },
  '5.2.9': { checks: ['capabilities_restricted'], looser: 'CIS counts every capability a container keeps or adds; Restricted allows adding NET_BIND_SERVICE after drop ALL' },
};

const RESTRICTED_DIFFERENCE_ENTRIES = Object.entries(RESTRICTED_DIFFERENCES) as [PodControl, NonNullable<(typeof RESTRICTED_DIFFERENCES)[PodControl]>][];

/** The per-control notes for a pod's restricted verdict; undefined when there are none. */
export function restrictedNotes(outcomes: Record<PodControl, CisOutcome>, violations: readonly CheckViolation[]): Partial<Record<PodControl, string>> | undefined {
  let notes: Partial<Record<PodControl, string>> | undefined;
  for (const [id, d] of RESTRICTED_DIFFERENCE_ENTRIES) {
    const kubeward = violations.some((v) => d.checks.includes(v.check));
    if (kubeward && outcomes[id] === 'pass' && d.stricter) (notes ??= {})[id] = d.stricter;
    if (!kubeward && outcomes[id] === 'fail' && d.looser) (notes ??= {})[id] = d.looser;
  }
  return notes;
}
