// Adding NET_RAW or capabilities beyond the default set must be disallowed.
// Restricted fields: containers' securityContext.capabilities.add.
// Allowed values: undefined/empty, or the default set below.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, visitContainers } from '../visitor.js';

const capabilitiesAllowed_1_0 = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let bad: string[] | undefined;
  const forbidden: string[] = [];
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    const add = c.securityContext?.capabilities?.add;
    if (!Array.isArray(add)) return;
    let valid = true;
    for (const cap of add) {
      if (!capabilitiesAllowed_1_0.has(cap)) {
        valid = false;
        forbidden.push(String(cap));
      }
    }
    if (!valid) {
      (bad ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.capabilities.add'));
    }
  });
  if (!bad) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`,
    fields,
  };
}

export const CAPABILITIES_BASELINE_ID = 'capabilities_baseline';

export const capabilitiesBaseline: PssCheck = {
  id: CAPABILITIES_BASELINE_ID,
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: capabilitiesBaseline_1_0 }],
};
