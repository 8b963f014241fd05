import { objectField } from '../../engines/podsecurity/workloads.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'pod-sets-node-name',
  section: 'node-placement',
  severity: 'medium',
  title: 'Workload sets nodeName and bypasses the scheduler',
  docs: {
    what: 'Reports pod manifests and workload templates outside the system namespaces that set spec.nodeName. Pods read from a live cluster (with a status) are not judged: the scheduler sets nodeName on every pod it places.',
    why: 'A pod created with nodeName goes straight to that node\'s kubelet: the scheduler, and with it taints, node affinity and the PodNodeSelector plugin, never see it. It is the classic way to land a pod on a control-plane node.',
    references: [
      'Securing a Cluster: Controlling which nodes pods may access',
      'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    ],
  },
  remediation: `Select nodes through the scheduler instead of naming one:

spec:
  nodeSelector:
    kubernetes.io/hostname: worker-1     # instead of nodeName: worker-1`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(pod.namespace)) continue;
      if (pod.item.ref.kind === 'Pod' && pod.item.object.status !== undefined) continue; // scheduled by the scheduler
      const nodeName = pod.spec.nodeName;
      if (typeof nodeName === 'string' && nodeName !== '') {
        yield fail(pod.item, `spec.nodeName is "${nodeName}": the pods bypass the scheduler, its taints and node selection`, { field: objectField(pod, 'spec.nodeName') });
      } else {
        yield pass(pod.item);
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: shop}
spec:
  nodeName: control-plane-1
  containers: [{name: app, image: nginx:1.27}]`,
    ],
    pass: [
      `apiVersion: v1
kind: Pod
metadata: {name: placed, namespace: shop}
spec:
  nodeSelector: {kubernetes.io/hostname: worker-1}
  containers: [{name: app, image: nginx:1.27}]`,
    ],
  },
});
