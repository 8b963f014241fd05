// If seccomp profiles are specified, only runtime default and localhost profiles are allowed.
// v1.0-v1.18: the annotations seccomp.security.alpha.kubernetes.io/pod and
// container.seccomp.security.alpha.kubernetes.io/<name> (allowed: 'runtime/default',
// 'docker/default', 'localhost/*', undefined). v1.19+: the pod's and containers'
// securityContext.seccompProfile.type (allowed: 'RuntimeDefault', 'Localhost', undefined).

import type { PodSpec } from '../../../inventory/pod.js';
import type { ObjectMeta } from '../../../inventory/types.js';
import { goQuote, joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, nameOf, visitContainers } from '../visitor.js';

const ANNOTATION_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const ANNOTATION_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccomp(type: unknown): boolean {
  return type === 'Localhost' || type === 'RuntimeDefault';
}

function validSeccompAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

function seccompProfileBaseline_1_0(metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  const annotations = metadata.annotations;
  if (!annotations) return undefined;
  const forbidden: string[] = [];
  const fields: string[] = [];
  const judge = (key: string) => {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) return;
    const value = String(annotations[key] ?? '');
    if (!validSeccompAnnotationValue(value)) {
      forbidden.push(`${key}=${goQuote(value)}`);
      fields.push(`metadata.annotations[${key}]`);
    }
  };
  judge(ANNOTATION_POD);
  visitContainers(spec, (c) => judge(ANNOTATION_CONTAINER_PREFIX + nameOf(c)));
  if (forbidden.length === 0) return undefined;
  const unique = sortedUnique(forbidden);
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', unique.length)} ${unique.join(', ')}`,
    fields: [...new Set(fields)],
  };
}

function seccompProfileBaseline_1_19(_metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  let badSetters: string[] | undefined;
  const badValues: string[] = [];
  const fields: string[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  if (isSet(podProfile) && !validSeccomp(podProfile!.type)) {
    (badSetters ??= []).push('pod');
    badValues.push(String(podProfile!.type ?? ''));
    fields.push('spec.securityContext.seccompProfile.type');
  }
  let badContainers: string[] | undefined;
  visitContainers(spec, (c, list, i) => {
    const profile = c.securityContext?.seccompProfile;
    if (isSet(profile) && !validSeccomp(profile!.type)) {
      (badContainers ??= []).push(nameOf(c));
      badValues.push(String(profile!.type ?? ''));
      fields.push(containerField(list, i, 'securityContext.seccompProfile.type'));
    }
  });
  if (badContainers) (badSetters ??= []).push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  if (!badSetters) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
    fields,
  };
}

export const SECCOMP_PROFILE_BASELINE_ID = 'seccompProfile_baseline';

export const seccompProfileBaseline: PssCheck = {
  id: SECCOMP_PROFILE_BASELINE_ID,
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: seccompProfileBaseline_1_0 },
    { minimumMinor: 19, checkPod: seccompProfileBaseline_1_19 },
  ],
};
