// HostPort ports must be forbidden. Restricted fields: containers' ports[*].hostPort.
// Allowed values: undefined/0.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, visitContainers } from '../visitor.js';

function hostPorts_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let bad: string[] | undefined;
  const ports: string[] = [];
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    if (!Array.isArray(c.ports)) return;
    let valid = true;
    c.ports.forEach((port, p) => {
      const hostPort = port?.hostPort;
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) {
        valid = false;
        ports.push(String(hostPort));
        fields.push(containerField(list, i, `ports[${p}].hostPort`));
      }
    });
    if (!valid) (bad ??= []).push(nameOf(c));
  });
  if (!bad) return undefined;
  const unique = sortedUnique(ports);
  return {
    reason: 'hostPort',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', unique.length)} ${unique.join(', ')}`,
    fields,
  };
}

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: hostPorts_1_0 }],
};
