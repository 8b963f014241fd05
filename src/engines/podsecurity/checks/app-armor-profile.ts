// On supported hosts the 'runtime/default' AppArmor profile applies by default; the baseline
// policy prevents overriding or disabling it, or restricts overrides to an allowed set.
// Restricted fields: metadata.annotations['container.apparmor.security.beta.kubernetes.io/*']
// (allowed: 'runtime/default', 'localhost/*', empty, undefined) and the pod's and containers'
// securityContext.appArmorProfile.type (allowed: 'RuntimeDefault', 'Localhost', undefined).
// Upstream amended the 1.0 function with the field check (Kubernetes 1.30), so it applies at
// every policy version.

import type { PodSpec } from '../../../inventory/pod.js';
import type { ObjectMeta } from '../../../inventory/types.js';
import { compareStrings, goQuote, joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, isSet, nameOf, visitContainers } from '../visitor.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(profile: string): boolean {
  return profile.length === 0 || profile === 'runtime/default' || profile.startsWith('localhost/');
}

function allowedProfileType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function appArmorProfile_1_0(metadata: ObjectMeta, spec: PodSpec): Violation | undefined {
  let badSetters: string[] | undefined;
  const badValues: string[] = [];
  const fields: string[] = [];
  const podProfile = spec.securityContext?.appArmorProfile;
  if (isSet(podProfile) && !allowedProfileType(podProfile!.type)) {
    (badSetters ??= []).push('pod');
    badValues.push(String(podProfile!.type ?? ''));
    fields.push('spec.securityContext.appArmorProfile.type');
  }
  let badContainers: string[] | undefined;
  visitContainers(spec, (c, list, i) => {
    const profile = c.securityContext?.appArmorProfile;
    if (isSet(profile) && !allowedProfileType(profile!.type)) {
      (badContainers ??= []).push(nameOf(c));
      badValues.push(String(profile!.type ?? ''));
      fields.push(containerField(list, i, 'securityContext.appArmorProfile.type'));
    }
  });
  if (badContainers) (badSetters ??= []).push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);

  let forbiddenAnnotations: string[] | undefined;
  const annotations = metadata.annotations;
  if (annotations) {
    for (const key in annotations) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const value = String(annotations[key] ?? '');
      if (!allowedAnnotationValue(value)) {
        (forbiddenAnnotations ??= []).push(`${key}=${goQuote(value)}`);
        fields.push(`metadata.annotations[${key}]`);
      }
    }
  }
  if (!badSetters && !forbiddenAnnotations) return undefined;
  const badValueList = sortedUnique(badValues);
  if (forbiddenAnnotations) {
    forbiddenAnnotations.sort(compareStrings);
    for (const annotation of forbiddenAnnotations) badValueList.push(annotation);
    (badSetters ??= []).push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }
  if (!badSetters) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    detail: `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    fields,
  };
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: appArmorProfile_1_0 }],
};
