import { objectField } from '../../engines/podsecurity/workloads.js';
import type { Toleration } from '../../inventory/pod.js';
import { defineCheck, fail, pass } from '../define.js';
import { PodChange, failingPods } from '../../fix/helpers.js';

export const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Why a toleration is too broad, or undefined. Control-plane taints are NoSchedule with no value. */
export function broadToleration(t: Toleration): string | undefined {
  const operator = t.operator ?? 'Equal';
  const effect = t.effect ?? '';
  // Only tolerations of NoSchedule taints (or of every effect) open the control-plane nodes.
  if (effect !== '' && effect !== 'NoSchedule') return undefined;
  if (operator === 'Exists' && !t.key) return effect ? 'tolerates every NoSchedule taint' : 'tolerates every taint';
  if (t.key && CONTROL_PLANE_TAINTS.includes(t.key) && (operator === 'Exists' || (t.value ?? '') === '')) {
    return `tolerates the control-plane taint ${t.key}`;
  }
  return undefined;
}

export default defineCheck({
  id: 'pod-tolerates-control-plane-or-all-taints',
  section: 'node-placement',
  severity: 'medium',
  title: 'Workload tolerates every taint or the control-plane taints',
  docs: {
    what: 'Reports pods and workload templates outside the system namespaces with a toleration that lets them onto tainted nodes wholesale: operator Exists without a key (for every effect, or for NoSchedule), or a toleration of the control-plane taints node-role.kubernetes.io/control-plane and node-role.kubernetes.io/master. Keyless tolerations of NoExecute or PreferNoSchedule only do not open NoSchedule nodes and are not reported.',
    why: 'Taints keep workloads off nodes they must not reach: the control-plane nodes hold etcd, the API server\'s keys and the cluster CA. A pod that tolerates every taint can be scheduled there, and an attacker who controls it is one container escape away from the whole cluster.',
    references: [
      'Securing a Cluster: Controlling which nodes pods may access',
      'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/',
    ],
  },
  remediation: `Tolerate only the taints of the nodes the workload must run on:

tolerations:
- key: dedicated            # instead of "- operator: Exists"
  operator: Equal
  value: gpu
  effect: NoSchedule`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(pod.namespace)) continue;
      const tolerations = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
      let found = false;
      for (const [index, toleration] of tolerations.entries()) {
        const why = toleration ? broadToleration(toleration) : undefined;
        if (!why) continue;
        found = true;
        yield fail(pod.item, `toleration ${index} ${why}, so the pods may run on control-plane nodes`, { field: objectField(pod, `spec.tolerations[${index}]`) });
      }
      if (!found) yield pass(pod.item);
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-shipper, namespace: logging}
spec:
  selector: {matchLabels: {app: log-shipper}}
  template:
    metadata: {labels: {app: log-shipper}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: shipper, image: fluent/fluent-bit:3.0}]`,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
      containers: [{name: web, image: nginx:1.27}]`,
    ],
    pass: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      tolerations: [{operator: Exists, effect: NoExecute, tolerationSeconds: 300}]
      containers: [{name: api, image: example/api:1.0}]`,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: trainer, namespace: ml}
spec:
  selector: {matchLabels: {app: trainer}}
  template:
    metadata: {labels: {app: trainer}}
    spec:
      tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
      containers: [{name: trainer, image: example/trainer:1.0}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes the tolerations that let the pods onto control-plane nodes (of the control-plane taints, or of every taint)',
    risk: 'pods that must run on every node (node agents) no longer run on control-plane nodes',
    plan(ctx, failures) {
      for (const { pod } of failingPods(ctx, failures)) {
        const change = new PodChange(ctx, pod);
        const tolerations = Array.isArray(change.spec.tolerations) ? change.spec.tolerations : [];
        const kept = tolerations.filter((t) => !t || !broadToleration(t));
        if (kept.length === 0) change.remove(['tolerations']);
        else if (kept.length !== tolerations.length) change.set(['tolerations'], kept);
        change.commit();
      }
    },
  },
});
