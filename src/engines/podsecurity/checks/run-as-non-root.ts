// Containers must be required to run as non-root users.
// Restricted fields: the pod's and containers' securityContext.runAsNonRoot. Allowed values:
// true; a container may leave it unset when the pod sets it. From 1.35 pods in a user namespace
// (hostUsers: false) are exempt.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, nameOf, runsInUserNamespace, visitContainers } from '../visitor.js';

function runAsNonRoot_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let badSetters: string[] | undefined;
  const fields: string[] = [];
  let podRunAsNonRoot = false;
  const podValue = spec.securityContext?.runAsNonRoot;
  if (isSet(podValue)) {
    if (podValue === false) {
      (badSetters ??= []).push('pod');
      fields.push('spec.securityContext.runAsNonRoot');
    } else {
      podRunAsNonRoot = true;
    }
  }
  let explicitlyBad: string[] | undefined;
  let implicitlyBad: string[] | undefined;
  const implicitFields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    const value = c.securityContext?.runAsNonRoot;
    if (isSet(value)) {
      if (value === false) {
        (explicitlyBad ??= []).push(nameOf(c));
        fields.push(containerField(list, i, 'securityContext.runAsNonRoot'));
      }
    } else if (!podRunAsNonRoot) {
      (implicitlyBad ??= []).push(nameOf(c));
      implicitFields.push(containerField(list, i, 'securityContext.runAsNonRoot'));
    }
  });
  if (explicitlyBad) (badSetters ??= []).push(`${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (badSetters) {
    return { reason: 'runAsNonRoot != true', detail: `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`, fields };
  }
  if (implicitlyBad) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
      fields: ['spec.securityContext.runAsNonRoot', ...implicitFields],
    };
  }
  return undefined;
}

function runAsNonRoot_1_35(metadata: unknown, spec: PodSpec): Violation | undefined {
  // KEP-127: root in a user namespace is not root on the host.
  if (runsInUserNamespace(spec)) return undefined;
  return runAsNonRoot_1_0(metadata, spec);
}

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minimumMinor: 0, checkPod: runAsNonRoot_1_0 },
    { minimumMinor: 35, checkPod: runAsNonRoot_1_35 },
  ],
};
