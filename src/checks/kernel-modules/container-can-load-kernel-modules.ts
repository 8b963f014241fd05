import { objectField } from '../../engines/podsecurity/workloads.js';
import { containerField, visitContainers } from '../../engines/podsecurity/visitor.js';
import { defineCheck, fail, pass } from '../define.js';
import { PodChange, failingPods, filterAddedCapabilities } from '../../fix/helpers.js';

/** "cap_sys_module", "CAP_SYS_MODULE" and "SYS_MODULE" name the same capability. */
export function normaliseCapability(name: unknown): string {
  return String(name).toUpperCase().replace(/^CAP_/, '');
}

export default defineCheck({
  id: 'container-can-load-kernel-modules',
  section: 'kernel-modules',
  severity: 'high',
  title: 'Container can load kernel modules (privileged or CAP_SYS_MODULE)',
  docs: {
    what: 'Reports pods and workload templates with a container (init and ephemeral ones included) that is privileged or adds the SYS_MODULE capability (also spelled CAP_SYS_MODULE, in any case, or granted through ALL). Pods in a user namespace (hostUsers: false) are not reported: capabilities there do not reach the host kernel, and such pods cannot be privileged. The system namespaces (kube-system, ...) are not judged: kube-proxy and the CNI agent load modules by design, and who may create pods there is a question for the RBAC checks.',
    why: 'Loading a kernel module is running code in the node\'s kernel: it defeats every container boundary, and it is how rarely used, vulnerable protocol modules the node did not blacklist get pulled in. The node-side checks of this section look at the blacklist; this one finds the workloads that could load modules themselves.',
    references: [
      'Securing a Cluster: Preventing containers from loading unwanted kernel modules',
      'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    ],
  },
  remediation: `Drop the capability and privileged mode; load the modules the workload needs on the node (a systemd modules-load.d entry) instead:

securityContext:
  privileged: false
  capabilities:
    drop: [ALL]            # and no SYS_MODULE in add`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(pod.namespace)) continue;
      if (pod.spec.hostUsers === false) {
        yield pass(pod.item);
        continue;
      }
      const reasons: string[] = [];
      let field: string | undefined;
      // visitContainers rather than containersOf: the path of a container is built only when it fails.
      visitContainers(pod.spec, (container, list, index) => {
        const name = container.name ?? '';
        if (container.securityContext?.privileged === true) {
          reasons.push(`container "${name}" is privileged`);
          field ??= objectField(pod, containerField(list, index, 'securityContext.privileged'));
          return;
        }
        const add = container.securityContext?.capabilities?.add;
        if (!Array.isArray(add)) return;
        const granting = add.filter((c) => ['SYS_MODULE', 'ALL'].includes(normaliseCapability(c)));
        if (granting.length > 0) {
          reasons.push(`container "${name}" adds ${granting.join(', ')}`);
          field ??= objectField(pod, containerField(list, index, 'securityContext.capabilities.add'));
        }
      });
      if (reasons.length === 0) yield pass(pod.item);
      else yield fail(pod.item, `${reasons.join('; ')}: it can load kernel modules into the node`, { field: field! });
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: vpn, namespace: net}
spec:
  selector: {matchLabels: {app: vpn}}
  template:
    metadata: {labels: {app: vpn}}
    spec:
      containers:
      - name: vpn
        image: example/vpn:1.0
        securityContext:
          capabilities: {add: [NET_ADMIN, cap_sys_module]}`,
      `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops}
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
    securityContext: {privileged: true}
  containers: [{name: main, image: busybox:1.36}]`,
    ],
    pass: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: vpn, namespace: net}
spec:
  selector: {matchLabels: {app: vpn}}
  template:
    metadata: {labels: {app: vpn}}
    spec:
      containers:
      - name: vpn
        image: example/vpn:1.0
        securityContext:
          capabilities: {drop: [ALL], add: [NET_ADMIN]}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'removes SYS_MODULE and ALL from the containers\' capabilities.add; with --unsafe-fixes also removes privileged: true',
    plan(ctx, failures) {
      const risk = 'a privileged container that uses devices or kernel interfaces of the node stops working';
      for (const { pod, failure } of failingPods(ctx, failures)) {
        const change = new PodChange(ctx, pod);
        filterAddedCapabilities(change, (c) => c !== 'SYS_MODULE' && c !== 'ALL');
        change.commit();
        if (!ctx.unsafe && change.containers().some(({ container }) => container.securityContext?.privileged === true)) ctx.manual(failure, `unsafe fix, applied only with --unsafe-fixes: ${risk}`);
        ctx.withSafety('unsafe', risk, () => {
          const privileged = new PodChange(ctx, pod);
          for (const { container, path } of privileged.containers()) {
            if (container.securityContext?.privileged === true) privileged.remove([...path, 'securityContext', 'privileged']);
          }
          privileged.commit();
        });
      }
    },
  },
});
