import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { unseen } from '../network-access/netpol-graph.js';
import { capPods } from '../../fix/namespace-fixes.js';

/** Quota keys that bound compute (cpu, memory) or the number of pods. */
export const COMPUTE_KEYS = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods', 'count/pods'];

export default defineCheck({
  id: 'resource-quota-caps-no-compute',
  section: 'resource-quota',
  severity: 'low',
  title: 'ResourceQuota that caps neither CPU/memory nor pods',
  docs: {
    what: `Reports every ResourceQuota whose spec.hard sets none of ${COMPUTE_KEYS.join(', ')}: it may count objects or storage, but leaves the namespace free to consume every node's CPU and memory.`,
    why: 'A quota that caps only object counts or storage gives the look of a limit while a runaway or malicious workload can still starve every other namespace of CPU and memory.',
    references: [
      'Securing a Cluster: Limiting resource usage on a cluster',
      'https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota',
    ],
  },
  remediation: `Add compute limits to the quota:

spec:
  hard: {requests.cpu: "4", requests.memory: 8Gi, limits.cpu: "8", limits.memory: 16Gi, pods: "50"}`,
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'resourcequotas');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'ResourceQuota', name: '*' } }, gap);
      return;
    }
    for (const item of inventory.ofKind('ResourceQuota')) {
      const hard = ((item.object.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {});
      if (COMPUTE_KEYS.some((k) => k in hard)) yield pass(item);
      else yield fail(item, `ResourceQuota ${item.ref.namespace}/${item.ref.name} caps ${Object.keys(hard).join(', ') || 'nothing'} but neither CPU, memory nor the number of pods`, { field: 'spec.hard' });
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: ResourceQuota
metadata: {name: objects, namespace: shop}
spec:
  hard: {configmaps: "20", persistentvolumeclaims: "5"}`,
    ],
    pass: [
      `apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: shop}
spec:
  hard: {requests.cpu: "4", limits.memory: 16Gi}`,
      `apiVersion: v1
kind: ResourceQuota
metadata: {name: pods, namespace: shop}
spec:
  hard: {count/pods: "30"}`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'adds a pod count (twice the pods running today, at least 10) to the quota',
    risk: 'the API server refuses pods beyond the count',
    plan: capPods,
  },
});
