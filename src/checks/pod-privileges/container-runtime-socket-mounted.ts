import { defineCheck, fail, pass } from '../define.js';
import { replaceFailingHostPaths } from '../../fix/host-path-fixes.js';
import { isWithin } from '../../inventory/host.js';
import { describeMounts, hostPathVolumes } from './host-paths.js';

/** Container runtime API sockets and the runtime they belong to. */
export const RUNTIME_SOCKETS: Record<string, string> = {
  '/var/run/docker.sock': 'Docker',
  '/run/docker.sock': 'Docker',
  '/var/run/dockershim.sock': 'dockershim',
  '/var/run/cri-dockerd.sock': 'cri-dockerd',
  '/run/cri-dockerd.sock': 'cri-dockerd',
  '/var/run/containerd/containerd.sock': 'containerd',
  '/run/containerd/containerd.sock': 'containerd',
  '/run/k3s/containerd/containerd.sock': 'containerd (k3s)',
  '/var/run/crio/crio.sock': 'CRI-O',
  '/run/crio/crio.sock': 'CRI-O',
  '/var/run/podman/podman.sock': 'Podman',
  '/run/podman/podman.sock': 'Podman',
};

/** The sockets a hostPath exposes: the socket itself or any directory above it. */
export function exposedSockets(path: string): string[] {
  return Object.keys(RUNTIME_SOCKETS).filter((socket) => isWithin(socket, path));
}

export default defineCheck({
  id: 'container-runtime-socket-mounted',
  section: 'pod-privileges',
  severity: 'critical',
  title: 'Container runtime socket mounted into a pod',
  docs: {
    what: 'Reports pods and workload templates whose containers mount, through a hostPath volume, a container runtime API socket (Docker, cri-dockerd, containerd, CRI-O, Podman) or a directory that holds one (/run, /var/run, /run/containerd, /, ...). Read-only mounts count too: connecting to a Unix socket works on a read-only mount.',
    why: 'The runtime socket is root on the node without any check: whoever can talk to it can start a privileged container with the host filesystem mounted, read every other container\'s secrets and bypass Pod Security admission entirely.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    ],
  },
  remediation: `Remove the hostPath volume and its volumeMounts. Build images in the cluster with a daemonless builder (BuildKit rootless, kaniko) instead of the node's Docker; read container metadata from the Kubernetes API instead of the runtime:

volumes:
- name: docker-sock
  hostPath: {path: /var/run/docker.sock}   # delete this volume and every mount of it`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      let found = false;
      for (const volume of hostPathVolumes(pod)) {
        if (volume.mounts.length === 0) continue;
        const sockets = exposedSockets(volume.path);
        if (sockets.length === 0) continue;
        found = true;
        const runtimes = [...new Set(sockets.map((s) => RUNTIME_SOCKETS[s]))].join(', ');
        const what = sockets.includes(volume.path) ? `the ${runtimes} socket` : `a directory holding the runtime sockets (${runtimes})`;
        yield fail(pod.item, `hostPath volume "${volume.name}" (${volume.path}) mounts ${what} into ${describeMounts(volume.mounts)}`, { field: volume.field });
      }
      if (!found) yield pass(pod.item);
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: ci-runner, namespace: ci}
spec:
  selector: {matchLabels: {app: ci-runner}}
  template:
    metadata: {labels: {app: ci-runner}}
    spec:
      containers:
      - name: runner
        image: example/runner:2.0
        volumeMounts: [{name: docker, mountPath: /var/run/docker.sock, readOnly: true}]
      volumes:
      - name: docker
        hostPath: {path: /var/run/docker.sock, type: Socket}`,
      `apiVersion: v1
kind: Pod
metadata: {name: inspector, namespace: tools}
spec:
  containers:
  - name: inspector
    image: example/inspector:1.0
    volumeMounts: [{name: run, mountPath: /host/run}]
  volumes:
  - name: run
    hostPath: {path: /run/containerd/}`,
      {
        description: 'a node agent of kube-system keeps its socket: it is left to a person',
        yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
      - name: agent
        image: example/log-agent:1.0
        volumeMounts: [{name: containerd, mountPath: /run/containerd/containerd.sock, readOnly: true}]
      volumes:
      - name: containerd
        hostPath: {path: /run/containerd/containerd.sock, type: Socket}`,
      },
    ],
    pass: [
      `apiVersion: v1
kind: Pod
metadata: {name: logger, namespace: tools}
spec:
  containers:
  - name: logger
    image: example/logger:1.0
    volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
  volumes:
  - name: logs
    hostPath: {path: /var/log/app}`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'replaces the hostPath volume that exposes the runtime socket with an emptyDir of the same name, so its volumeMounts stay valid and the container sees an empty directory; node components (the pods of the system namespaces: control-plane static pods, kube-proxy, CNI and other node agents; CNI agents elsewhere) keep it and are left to a person',
    risk: 'the container can no longer talk to the container runtime: image cleanup, log collection or builds through it stop (and a directory volume such as / or /run no longer shows the node\'s other files there)',
    plan(ctx, failures) {
      replaceFailingHostPaths(ctx, failures);
    },
  },
});
