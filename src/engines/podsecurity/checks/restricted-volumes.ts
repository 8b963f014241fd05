// Besides forbidding hostPath volumes, the restricted profile limits volumes to the core types
// and those defined through PersistentVolumes. Allowed: configMap, csi, downwardAPI, emptyDir,
// ephemeral, image (allowed in the 1.0 function since Kubernetes 1.33), persistentVolumeClaim,
// projected, secret.

import type { PodSpec, Volume } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { isSet } from '../visitor.js';
import { HOST_PATH_VOLUMES_ID } from './host-path-volumes.js';

const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** Restricted sources in upstream's switch order, with the name its message uses. */
const RESTRICTED: [field: string, name: string][] = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['gitRepo', 'gitRepo'], ['nfs', 'nfs'], ['iscsi', 'iscsi'], ['glusterfs', 'glusterfs'], ['rbd', 'rbd'],
  ['flexVolume', 'flexVolume'], ['cinder', 'cinder'], ['cephfs', 'cephfs'], ['flocker', 'flocker'], ['fc', 'fc'],
  ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['quobyte', 'quobyte'], ['azureDisk', 'azureDisk'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['scaleIO', 'scaleIO'],
  ['storageos', 'storageos'],
];

const NO_SOURCE: Volume = {};

/**
 * The restricted type a volume uses, or undefined when it is allowed. A volume that names no
 * source is "unknown", as upstream's function says; admission never meets one, because the API
 * server first defaults it to emptyDir (evaluate.ts does the same).
 */
function restrictedType(volume: Volume): string | undefined {
  for (const field of ALLOWED) if (isSet(volume[field])) return undefined;
  for (const [field, name] of RESTRICTED) if (isSet(volume[field])) return name;
  return 'unknown';
}

function restrictedVolumes_1_0(_metadata: unknown, spec: PodSpec): Violation | undefined {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes)) return undefined;
  let badVolumes: string[] | undefined;
  const badTypes: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < volumes.length; i++) {
    // A null entry decodes in Go as a volume with no name and no source.
    const volume = (volumes[i] as Volume | null) ?? NO_SOURCE;
    const type = restrictedType(volume);
    if (type === undefined) continue;
    (badVolumes ??= []).push(typeof volume.name === 'string' ? volume.name : '');
    badTypes.push(type);
    fields.push(`spec.volumes[${i}]${type === 'unknown' ? '' : `.${type}`}`);
  }
  if (!badVolumes) return undefined;
  const types = sortedUnique(badTypes);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize('uses', 'use', badVolumes.length)} ${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
    fields,
  };
}

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ minimumMinor: 0, checkPod: restrictedVolumes_1_0, overrides: [HOST_PATH_VOLUMES_ID] }],
};
