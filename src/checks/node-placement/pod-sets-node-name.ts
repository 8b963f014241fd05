import { objectField } from '../../engines/podsecurity/workloads.js';
import { defineCheck, fail, pass } from '../define.js';
import { PodChange, failingPods } from '../../fix/helpers.js';

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
      {
        description: 'a CronJob pinned to a node whose hostname label differs from its name',
        yaml: `apiVersion: v1
kind: Node
metadata: {name: ip-10-0-1-7.ec2.internal, labels: {kubernetes.io/hostname: ip-10-0-1-7}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: batch}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          nodeName: ip-10-0-1-7.ec2.internal
          nodeSelector: {workload-class: batch}
          restartPolicy: OnFailure
          containers: [{name: prune, image: busybox:1.36}]`,
      },
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
  fix: {
    safety: 'unsafe',
    summary: 'replaces spec.nodeName with a nodeSelector on the node\'s kubernetes.io/hostname label (its value from the Node object when the input holds it, else the node name), so the scheduler places the pods on the same node and applies taints, affinity and PodNodeSelector',
    risk: 'the scheduler now judges the pods: where they landed only by bypassing it (a tainted or control-plane node, a node without room) they stay Pending until they tolerate the taint or the node has room',
    plan(ctx, failures) {
      for (const { pod } of failingPods(ctx, failures)) {
        const change = new PodChange(ctx, pod);
        const nodeName = change.spec.nodeName;
        if (typeof nodeName !== 'string' || nodeName === '') continue;
        const node = ctx.check.inventory.get('Node', undefined, nodeName);
        const hostname = node?.object.metadata?.labels?.['kubernetes.io/hostname'] ?? nodeName;
        change.remove(['nodeName']);
        change.set(['nodeSelector', 'kubernetes.io/hostname'], hostname);
        change.commit();
      }
    },
  },
});
