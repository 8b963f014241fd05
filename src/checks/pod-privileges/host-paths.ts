// hostPath volumes of a pod with the containers that mount them, for the hostPath checks.

import { posix } from 'node:path';
import { objectField } from '../../engines/podsecurity/workloads.js';
import type { Inventory, PodSpecRef } from '../../inventory/inventory.js';
import { containersOf } from '../../inventory/pod.js';
import { isWithin } from '../../inventory/host.js';

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

/** Where a CNI agent installs the node's network plugins and their configuration. */
const CNI_DIRECTORIES = ['/opt/cni/bin', '/etc/cni/net.d'];

/**
 * Why a pod is one of the node's own components, which need the node's files, or undefined. They
 * are the pods of the system namespaces (kube-system: the control-plane static pods, kube-proxy,
 * the CNI and other node agents), as for the other checks that spare them, and CNI agents
 * installed in a namespace of their own (kube-flannel), known by the CNI directories they mount.
 */
export function nodeComponent(inventory: Inventory, pod: PodSpecRef): string | undefined {
  if (inventory.isSystemNamespace(pod.namespace)) return `it runs in the system namespace ${pod.namespace}, with the node's own components (control-plane static pods, kube-proxy, the CNI and other node agents)`;
  const cni = hostPathVolumes(pod).find((v) => CNI_DIRECTORIES.some((dir) => isWithin(v.path, dir)));
  return cni ? `it is a CNI agent (it mounts the node's ${cni.path})` : undefined;
}

/** Why a node component is not hardened, for the findings left to a person. */
export function leftAsNodeComponent(component: string): string {
  return `${component}: it needs the node (its files, network or privileges), so fix leaves it as it is; exempt its namespace from Pod Security enforcement and restrict who may create pods there instead`;
}
