// Pod and containers must not set securityContext.windowsOptions.hostProcess to true.
// Restricted fields: the pod's and containers' securityContext.windowsOptions.hostProcess.
// Allowed values: undefined, false.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, visitContainers } from '../visitor.js';

function windowsHostProcess_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  let badContainers: string[] | undefined;
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    if (c.securityContext?.windowsOptions?.hostProcess === true) {
      (badContainers ??= []).push(nameOf(c));
      fields.push(containerField(list, i, 'securityContext.windowsOptions.hostProcess'));
    }
  });
  const podForbidden = spec.securityContext?.windowsOptions?.hostProcess === true;
  if (!podForbidden && !badContainers) return undefined;
  const setters: string[] = [];
  if (podForbidden) {
    setters.push('pod');
    fields.unshift('spec.securityContext.windowsOptions.hostProcess');
  }
  if (badContainers) setters.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  return {
    reason: 'hostProcess',
    detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
    fields,
  };
}

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: windowsHostProcess_1_0 }],
};
