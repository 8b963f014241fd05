// HostPath volumes must be forbidden. Restricted fields: spec.volumes[*].hostPath.
// Allowed values: undefined/null.

import type { PodSpec } from '../../../inventory/pod.js';
import { joinQuote, pluralize } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { isSet } from '../visitor.js';

function hostPathVolumes_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes)) return undefined;
  let names: string[] | undefined;
  const fields: string[] = [];
  for (let i = 0; i < volumes.length; i++) {
    const volume = volumes[i];
    if (volume && isSet(volume.hostPath)) {
      (names ??= []).push(typeof volume.name === 'string' ? volume.name : '');
      fields.push(`spec.volumes[${i}].hostPath`);
    }
  }
  if (!names) return undefined;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, fields };
}

export const HOST_PATH_VOLUMES_ID = 'hostPathVolumes';

export const hostPathVolumes: PssCheck = {
  id: HOST_PATH_VOLUMES_ID,
  level: 'baseline',
  versions: [{ minimumMinor: 0, checkPod: hostPathVolumes_1_0 }],
};
