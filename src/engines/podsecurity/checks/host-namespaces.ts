// Sharing the host namespaces must be disallowed.
// Restricted fields: spec.hostNetwork, spec.hostPID, spec.hostIPC. Allowed values: false.

import type { PodSpec } from '../../../inventory/pod.js';
import type { PssCheck, Violation } from '../types.js';

function hostNamespaces_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  if (spec.hostNetwork !== true && spec.hostPID !== true && spec.hostIPC !== true) return undefined;
  // Upstream's order and form since July 2021: "hostNetwork=true, hostPID=true, hostIPC=true".
  const names = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((n) => spec[n] === true);
  return { reason: 'host namespaces', detail: names.map((n) => `${n}=true`).join(', '), fields: names.map((n) => `spec.${n}`) };
}

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: hostNamespaces_1_0 }],
};
