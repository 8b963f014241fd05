// CIS 5.2.2-5.2.6 as kube-bench's audits decide them: on each pod, its regular containers'
// securityContext.privileged and allowPrivilegeEscalation, and the pod's hostPID, hostIPC and
// hostNetwork, failing only a value set to true (the API server drops false host namespace fields,
// so kube-bench never sees them). Init and ephemeral containers are not audited by kube-bench.

import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import type { PodSpec } from '../../inventory/pod.js';
import type { CisOutcome } from '../types.js';

export type PodControl = Extract<Cis112ControlId, '5.2.2' | '5.2.3' | '5.2.4' | '5.2.5' | '5.2.6'>;

export const POD_CONTROLS: readonly PodControl[] = ['5.2.2', '5.2.3', '5.2.4', '5.2.5', '5.2.6'];

/** kube-bench's verdict for each of the pod controls. */
export function kubeBenchPodOutcomes(spec: PodSpec): Record<PodControl, CisOutcome> {
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  const anyContainer = (field: 'privileged' | 'allowPrivilegeEscalation') => containers.some((c) => c?.securityContext?.[field] === true);
  const verdict = (failed: boolean): CisOutcome => (failed ? 'fail' : 'pass');
  return {
    '5.2.2': verdict(anyContainer('privileged')),
    '5.2.3': verdict(spec.hostPID === true),
    '5.2.4': verdict(spec.hostIPC === true),
    '5.2.5': verdict(spec.hostNetwork === true),
    '5.2.6': verdict(anyContainer('allowPrivilegeEscalation')),
  };
}

/** The outcomes for some of the controls only. */
export function pick(outcomes: Record<PodControl, CisOutcome>, ids: readonly PodControl[]): Partial<Record<PodControl, CisOutcome>> {
  return Object.fromEntries(ids.map((id) => [id, outcomes[id]]));
}
