// Seccomp profiles must be specified, and only runtime default and localhost profiles are
// allowed. Restricted fields: the pod's and containers' securityContext.seccompProfile.type
// (allowed: 'RuntimeDefault', 'Localhost'; a container may leave it unset when the pod sets
// it). Windows pods are exempt from 1.25.

import type { PodSpec } from '../../../inventory/pod.js';
import type { ObjectMeta } from '../../../inventory/types.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, isWindowsPod, nameOf, visitContainers } from '../visitor.js';
import { SECCOMP_PROFILE_BASELINE_ID, validSeccomp } from './seccomp-profile-baseline.js';

function seccompProfileRestricted_1_19(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  let badSetters: string[] | undefined;
  const badValues: string[] = [];
  const fields: string[] = [];
  let podSeccompSet = false;
  const podProfile = spec.securityContext?.seccompProfile;
  if (isSet(podProfile)) {
    if (!validSeccomp(podProfile!.type)) {
      (badSetters ??= []).push('pod');
      badValues.push(String(podProfile!.type ?? ''));
      fields.push('spec.securityContext.seccompProfile.type');
    } else {
      podSeccompSet = true;
    }
  }
  let explicitlyBad: string[] | undefined;
  let implicitlyBad: string[] | undefined;
  const implicitFields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    const profile = c.securityContext?.seccompProfile;
    if (isSet(c.securityContext) && isSet(profile)) {
      if (!validSeccomp(profile!.type)) {
        (explicitlyBad ??= []).push(nameOf(c));
        badValues.push(String(profile!.type ?? ''));
        fields.push(containerField(list, i, 'securityContext.seccompProfile.type'));
      }
    } else if (!podSeccompSet) {
      (implicitlyBad ??= []).push(nameOf(c));
      implicitFields.push(containerField(list, i, 'securityContext.seccompProfile.type'));
    }
  });
  if (explicitlyBad) (badSetters ??= []).push(`${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters) {
    return {
      reason: 'seccompProfile',
      detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
      fields,
    };
  }
  if (implicitlyBad) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      fields: ['spec.securityContext.seccompProfile.type', ...implicitFields],
    };
  }
  return undefined;
}

function seccompProfileRestricted_1_25(metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  // Pod validation rejects seccomp profiles on Windows pods, so leaving them unset is fine there.
  if (isWindowsPod(spec)) return undefined;
  return seccompProfileRestricted_1_19(metadata, spec);
}

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumMinor: 19, checkPod: seccompProfileRestricted_1_19, overrides: [SECCOMP_PROFILE_BASELINE_ID] },
    { minimumMinor: 25, checkPod: seccompProfileRestricted_1_25, overrides: [SECCOMP_PROFILE_BASELINE_ID] },
  ],
};
