// Containers must not set runAsUser to 0.
// Restricted fields: the pod's and containers' securityContext.runAsUser. Allowed values:
// non-zero, undefined. From 1.35 pods in a user namespace (hostUsers: false) are exempt.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, runsInUserNamespace, visitContainers } from '../visitor.js';

function runAsUser_1_23(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let badSetters: string[] | undefined;
  const fields: string[] = [];
  if (spec.securityContext?.runAsUser === 0) {
    (badSetters ??= []).push('pod');
    fields.push('spec.securityContext.runAsUser');
  }
  let bad: string[] | undefined;
  visitContainers(spec, (c, list, i) => {
    if (c.securityContext?.runAsUser === 0) {
      (bad ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.runAsUser'));
    }
  });
  if (bad) (badSetters ??= []).push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (!badSetters) return undefined;
  return { reason: 'runAsUser=0', detail: `${badSetters.join(' and ')} must not set runAsUser=0`, fields };
}

function runAsUser_1_35(metadata: unknown, spec: PodSpec): Violation | undefined {
  // KEP-127: UID 0 in a user namespace maps to an unprivileged host UID.
  if (runsInUserNamespace(spec)) return undefined;
  return runAsUser_1_23(metadata, spec);
}

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minimumMinor: 23, checkPod: runAsUser_1_23 },
    { minimumMinor: 35, checkPod: runAsUser_1_35 },
  ],
};
