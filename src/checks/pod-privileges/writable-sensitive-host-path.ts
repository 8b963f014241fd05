import { defineCheck, fail, pass } from '../define.js';
import { replaceFailingHostPaths } from '../../fix/host-path-fixes.js';
import { exposedSockets } from './container-runtime-socket-mounted.js';
import { isWithin } from '../../inventory/host.js';
import { describeMounts, hostPathVolumes } from './host-paths.js';

/** Host directories whose whole tree is sensitive: writing there changes the node. */
export const SENSITIVE_TREES = [
  '/etc', '/proc', '/sys', '/dev', '/root', '/home', '/boot', '/usr', '/bin', '/sbin', '/lib', '/lib64',
  '/var/lib/kubelet', '/var/lib/etcd', '/var/lib/docker', '/var/lib/containerd', '/var/log', '/opt/cni/bin',
];
/** Directories sensitive themselves (their subdirectories may be ordinary data). */
export const SENSITIVE_EXACT = ['/var/lib', '/opt'];

export function sensitiveRoot(path: string): string | undefined {
  if (SENSITIVE_EXACT.includes(path)) return path;
  return SENSITIVE_TREES.find((root) => isWithin(path, root));
}

export default defineCheck({
  id: 'writable-sensitive-host-path',
  section: 'pod-privileges',
  severity: 'high',
  title: 'Sensitive host directory mounted writable',
  docs: {
    what: 'Reports hostPath volumes of pods and workload templates that a container mounts without readOnly: true and whose host path is, or is inside, a sensitive node directory: /etc (including /etc/kubernetes), /proc, /sys, /dev, /root, /home, /boot, /usr, /bin, /sbin, /lib, /var/lib/kubelet, /var/lib/etcd, the runtime state directories, /var/log, /opt/cni/bin, or /var/lib and /opt themselves. Paths that expose a container runtime socket (/, /var, /run, /var/run, ...) are reported by container-runtime-socket-mounted instead. The system namespaces (kube-system, ...) are not judged: they hold the node\'s own components (etcd, the control-plane static pods, the CNI agent) that must write there; who may create pods in them is a question for the RBAC checks.',
    why: 'Writing to these paths is a node takeover: a cron entry or a systemd unit in /etc, an SSH key in /root, a kubelet credential in /var/lib/kubelet, a CNI plugin binary run as root, the etcd database, or a symlink in /var/log that the kubelet follows when it serves logs.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    ],
  },
  remediation: `Mount only what the workload needs, read-only, or use a non-host volume:

volumeMounts:
- name: host-etc
  mountPath: /host/etc
  readOnly: true          # add this; and narrow hostPath.path to the file the agent reads`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(pod.namespace)) continue;
      let found = false;
      for (const volume of hostPathVolumes(pod)) {
        const writable = volume.mounts.filter((m) => !m.readOnly);
        if (writable.length === 0 || exposedSockets(volume.path).length > 0) continue;
        const root = sensitiveRoot(volume.path);
        if (!root) continue;
        found = true;
        yield fail(pod.item, `hostPath volume "${volume.name}" (${volume.path}${root === volume.path ? '' : `, inside ${root}`}) is mounted writable by ${describeMounts(writable)}`, { field: volume.field });
      }
      if (!found) yield pass(pod.item);
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-config, namespace: ops}
spec:
  selector: {matchLabels: {app: node-config}}
  template:
    metadata: {labels: {app: node-config}}
    spec:
      containers:
      - name: config
        image: example/node-config:1.0
        volumeMounts: [{name: kubelet, mountPath: /host/kubelet}]
      volumes:
      - name: kubelet
        hostPath: {path: /var/lib/kubelet/, type: Directory}`,
    ],
    pass: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      containers:
      - name: exporter
        image: quay.io/prometheus/node-exporter:v1.8.0
        volumeMounts:
        - {name: proc, mountPath: /host/proc, readOnly: true}
        - {name: sys, mountPath: /host/sys, readOnly: true}
      volumes:
      - {name: proc, hostPath: {path: /proc}}
      - {name: sys, hostPath: {path: /sys}}`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'replaces the writable hostPath volume with an emptyDir of the same name, as pod-violates-baseline-pod-security\'s fix does for every hostPath volume: its volumeMounts stay valid and the container sees an empty directory instead of the node\'s; CNI agents keep theirs and are left to a person',
    risk: 'the container no longer reads or writes the node\'s directory: an agent that configures the node, or reads its logs or state there, stops working',
    plan(ctx, failures) {
      replaceFailingHostPaths(ctx, failures);
    },
  },
});
