// The default /proc masks are set up to reduce attack surface and should be required.
// Restricted fields: containers' securityContext.procMount. Allowed values: undefined, "Default".
// Baseline relaxes this for pods in a user namespace (hostUsers: false) from 1.35; restricted
// keeps it (procMount_restricted, which replaces the baseline check at the restricted level).

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, nameOf, runsInUserNamespace, visitContainers } from '../visitor.js';

function procMount_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let bad: string[] | undefined;
  const types: string[] = [];
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    const procMount = c.securityContext?.procMount;
    if (isSet(procMount) && procMount !== 'Default') {
      (bad ??= []).push(nameOf(c));
      types.push(String(procMount));
      fields.push(containerField(list, i, 'securityContext.procMount'));
    }
  });
  if (!bad) return undefined;
  return {
    reason: 'procMount',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`,
    fields,
  };
}

function procMount_1_35_baseline(metadata: unknown, spec: PodSpec): Violation | undefined {
  // Pod validation checks the value; a user-namespaced pod may unmask /proc.
  if (runsInUserNamespace(spec)) return undefined;
  return procMount_1_0(metadata, spec);
}

export const PROC_MOUNT_ID = 'procMount';

export const procMount: PssCheck = {
  id: PROC_MOUNT_ID,
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: procMount_1_0 },
    { minimumMinor: 35, checkPod: procMount_1_35_baseline },
  ],
};

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minimumMinor: 35, checkPod: procMount_1_0, overrides: [PROC_MOUNT_ID] }],
};
