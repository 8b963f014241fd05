// Containers must drop ALL, and may only add NET_BIND_SERVICE.
// Restricted fields: containers' securityContext.capabilities.drop (must include "ALL") and
// .add (undefined/empty or "NET_BIND_SERVICE"). Windows pods are exempt from 1.25.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, isWindowsPod, nameOf, visitContainers } from '../visitor.js';
import { CAPABILITIES_BASELINE_ID } from './capabilities-baseline.js';

function capabilitiesRestricted_1_22(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let missingDropAll: string[] | undefined;
  let addingForbidden: string[] | undefined;
  const forbidden: string[] = [];
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    const caps = c.securityContext?.capabilities;
    if (!isSet(c.securityContext) || !isSet(caps)) {
      (missingDropAll ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.capabilities.drop'));
      return;
    }
    const drop = caps!.drop;
    if (!(Array.isArray(drop) && drop.includes('ALL'))) {
      (missingDropAll ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.capabilities.drop'));
    }
    const add = caps!.add;
    if (!Array.isArray(add)) return;
    let addedForbidden = false;
    for (const cap of add) {
      if (cap !== 'NET_BIND_SERVICE') {
        addedForbidden = true;
        forbidden.push(String(cap));
      }
    }
    if (addedForbidden) {
      (addingForbidden ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.capabilities.add'));
    }
  });
  if (!missingDropAll && !addingForbidden) return undefined;
  const details: string[] = [];
  if (missingDropAll) {
    details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden) {
    details.push(`${pluralize('container', 'containers', addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedUnique(forbidden))} in securityContext.capabilities.add`);
  }
  return { reason: 'unrestricted capabilities', detail: details.join('; '), fields };
}

function capabilitiesRestricted_1_25(metadata: unknown, spec: PodSpec): Violation | undefined {
  // Pod validation rejects capabilities on Windows pods, so leaving them unset is fine there.
  if (isWindowsPod(spec)) return undefined;
  return capabilitiesRestricted_1_22(metadata, spec);
}

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimumMinor: 22, checkPod: capabilitiesRestricted_1_22, overrides: [CAPABILITIES_BASELINE_ID] },
    { minimumMinor: 25, checkPod: capabilitiesRestricted_1_25, overrides: [CAPABILITIES_BASELINE_ID] },
  ],
};
