import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { unseen } from '../network-access/netpol-graph.js';
import { addQuotas } from '../../fix/namespace-fixes.js';

export default defineCheck({
  id: 'namespace-without-resource-quota',
  section: 'resource-quota',
  severity: 'medium',
  title: 'Namespace runs workloads without a ResourceQuota',
  docs: {
    what: 'Reports every namespace outside the system namespaces that holds pods or workloads but no ResourceQuota.',
    why: 'Without a quota, one team or one compromised workload can consume the CPU, memory, storage and object counts of the whole cluster, starving every other tenant (a denial of service the guide asks to prevent).',
    references: [
      'Securing a Cluster: Limiting resource usage on a cluster',
      'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
    ],
  },
  remediation: `Add a ResourceQuota to the namespace, sized from current usage:

apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: <ns>}
spec:
  hard: {requests.cpu: "4", requests.memory: 8Gi, limits.cpu: "8", limits.memory: 16Gi, pods: "50"}`,
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'resourcequotas');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'ResourceQuota', name: '*' } }, gap);
      return;
    }
    const withWorkloads = new Set(inventory.podSpecs().map((p) => p.namespace));
    for (const namespace of [...withWorkloads].sort()) {
      if (inventory.isSystemNamespace(namespace)) continue;
      const subject = inventory.get('Namespace', undefined, namespace) ?? { ref: { apiVersion: 'v1', kind: 'Namespace', name: namespace } };
      if (inventory.inNamespace(namespace, 'ResourceQuota').length > 0) yield pass(subject);
      else yield fail(subject, `namespace "${namespace}" runs workloads but has no ResourceQuota`);
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]`,
    ],
    pass: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: shop}
spec:
  hard: {requests.cpu: "4", requests.memory: 8Gi, pods: "50"}`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'adds a ResourceQuota per namespace: pods at twice the pods running today (at least 10), NodePort and LoadBalancer Services at today\'s count, and requests/limits of CPU and memory at twice today\'s sums where every container declares them',
    risk: 'the API server refuses pods and Services beyond the quota (a rollout that doubles the pods, a new NodePort)',
    plan(ctx, failures) {
      addQuotas(ctx, failures);
    },
  },
});
