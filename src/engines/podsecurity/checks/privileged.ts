// Privileged pods disable most security mechanisms and must be disallowed.
// Restricted fields: containers' securityContext.privileged. Allowed values: false, undefined.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, visitContainers } from '../visitor.js';

function privileged_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let bad: string[] | undefined;
  let fields: string[] | undefined;
  visitContainers(spec, (c, list, i) => {
    if (c.securityContext?.privileged === true) {
      (bad ??= []).push(nameOf(c));
      (fields ??= []).push(containerField(list, i, 'securityContext.privileged'));
    }
  });
  if (!bad) return undefined;
  return {
    reason: 'privileged',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`,
    fields: fields!,
  };
}

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: privileged_1_0 }],
};
