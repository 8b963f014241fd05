// Privilege escalation (such as via set-user-ID or set-group-ID file mode) should not be
// allowed. Restricted fields: containers' securityContext.allowPrivilegeEscalation.
// Allowed values: false. The field exists from 1.8; Windows pods are exempt from 1.25.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isWindowsPod, nameOf, visitContainers } from '../visitor.js';

function allowPrivilegeEscalation_1_8(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let bad: string[] | undefined;
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    if (c.securityContext?.allowPrivilegeEscalation !== false) {
      (bad ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.allowPrivilegeEscalation'));
    }
  });
  if (!bad) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    fields,
  };
}

function allowPrivilegeEscalation_1_25(metadata: unknown, spec: PodSpec): Violation | undefined {
  // Pod validation rejects the field on Windows pods, so leaving it unset is fine there.
  if (isWindowsPod(spec)) return undefined;
  return allowPrivilegeEscalation_1_8(metadata, spec);
}

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumMinor: 8, checkPod: allowPrivilegeEscalation_1_8 },
    { minimumMinor: 25, checkPod: allowPrivilegeEscalation_1_25 },
  ],
};
