// hostPath volumes of a pod with the containers that mount them, for the hostPath checks.

import { posix } from 'node:path';
import { objectField } from '../../engines/podsecurity/workloads.js';
import type { PodSpecRef } from '../../inventory/inventory.js';
import { containersOf } from '../../inventory/pod.js';

export interface HostPathMount {
  container: string;
  mountPath: string;
  readOnly: boolean;
}

export interface HostPathVolume {
  name: string;
  /** Normalised: "/var/run/" and "/var//run" are "/var/run". */
  path: string;
  /** Field path of hostPath.path in the object. */
  field: string;
  mounts: HostPathMount[];
}

export function normaliseHostPath(path: string): string {
  const normalised = posix.normalize(path);
  return normalised.length > 1 && normalised.endsWith('/') ? normalised.slice(0, -1) : normalised;
}

/** Is `path` equal to `root` or inside it? */
export function isWithin(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

export function hostPathVolumes(pod: PodSpecRef): HostPathVolume[] {
  const volumes = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
  const out: HostPathVolume[] = [];
  volumes.forEach((volume, index) => {
    const raw = volume?.hostPath?.path;
    if (typeof raw !== 'string' || raw === '') return;
    const mounts: HostPathMount[] = [];
    for (const { container } of containersOf(pod.spec)) {
      for (const mount of Array.isArray(container.volumeMounts) ? container.volumeMounts : []) {
        if (mount?.name === volume.name) mounts.push({ container: container.name ?? '', mountPath: mount.mountPath ?? '', readOnly: mount.readOnly === true });
      }
    }
    out.push({ name: volume.name ?? '', path: normaliseHostPath(raw), field: objectField(pod, `spec.volumes[${index}].hostPath.path`), mounts });
  });
  return out;
}

export function describeMounts(mounts: HostPathMount[]): string {
  return mounts.map((m) => `container "${m.container}" at ${m.mountPath}${m.readOnly ? ' (read-only)' : ''}`).join(', ');
}
