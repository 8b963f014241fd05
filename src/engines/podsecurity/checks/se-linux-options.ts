// Setting the SELinux type is restricted, and setting a custom SELinux user or role is forbidden.
// Restricted fields: the pod's and containers' securityContext.seLinuxOptions.type (allowed:
// undefined/empty, container_t, container_init_t, container_kvm_t, and container_engine_t
// from 1.31) and .user / .role (allowed: undefined/empty).

import type { PodSpec, SELinuxOptions } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { CheckPodFn, PssCheck } from '../types.js';
import { containerField, isSet, nameOf, visitContainers } from '../visitor.js';

const selinuxAllowedTypes_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const selinuxAllowedTypes_1_31 = new Set([...selinuxAllowedTypes_1_0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPodFn {
  return (_metadata, spec: PodSpec) => {
    let badSetters: string[] | undefined;
    const badTypes: string[] = [];
    const fields: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (opts: SELinuxOptions, path: string): boolean => {
      let ok = true;
      const type = typeof opts.type === 'string' ? opts.type : '';
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.push(type);
        fields.push(`${path}.type`);
      }
      if (typeof opts.user === 'string' && opts.user.length > 0) {
        ok = false;
        setUser = true;
        fields.push(`${path}.user`);
      }
      if (typeof opts.role === 'string' && opts.role.length > 0) {
        ok = false;
        setRole = true;
        fields.push(`${path}.role`);
      }
      return ok;
    };
    const podOptions = spec.securityContext?.seLinuxOptions;
    if (isSet(podOptions) && !valid(podOptions!, 'spec.securityContext.seLinuxOptions')) (badSetters ??= []).push('pod');
    let badContainers: string[] | undefined;
    visitContainers(spec, (c, list, i) => {
      const options = c.securityContext?.seLinuxOptions;
      if (isSet(options) && !valid(options!, containerField(list, i, 'securityContext.seLinuxOptions'))) (badContainers ??= []).push(nameOf(c));
    });
    if (badContainers) (badSetters ??= []).push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
    if (!badSetters) return undefined;
    const badData: string[] = [];
    // Upstream names user and role only when a type is also bad, so a pod that sets only a user
    // reads "pod set forbidden securityContext.seLinuxOptions: " with nothing after the colon.
    if (badTypes.length > 0) {
      const types = sortedUnique(badTypes);
      badData.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
      if (setUser) badData.push('user may not be set');
      if (setRole) badData.push('role may not be set');
    }
    return {
      reason: 'seLinuxOptions',
      detail: `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`,
      fields,
    };
  };
}

export const seLinuxOptionsCheck: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: seLinuxOptions(selinuxAllowedTypes_1_0) },
    { minimumMinor: 31, checkPod: seLinuxOptions(selinuxAllowedTypes_1_31) },
  ],
};
