import { objectField } from '../../engines/podsecurity/workloads.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { PodChange, failingPods } from '../../fix/helpers.js';
import { NODE_SELECTOR_ANNOTATION, parseNodeSelectorAnnotation } from './node-selector.js';

export default defineCheck({
  id: 'pod-node-selector-conflicts-with-namespace',
  section: 'node-placement',
  severity: 'medium',
  title: 'Workload nodeSelector conflicts with its namespace\'s node selector',
  docs: {
    what: `For namespaces annotated ${NODE_SELECTOR_ANNOTATION}, reports pods and workload templates whose nodeSelector gives one of the annotation's keys a different value, which the PodNodeSelector plugin answers with "pod node label selector conflicts with its namespace node label selector". An annotation the plugin cannot parse is not evaluated.`,
    why: 'With the plugin enabled such pods are refused (the workload never runs); without it they escape the node pool the namespace was confined to, which is what the annotation exists to prevent.',
    references: [
      'Securing a Cluster: Controlling which nodes pods may access',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#podnodeselector',
    ],
  },
  remediation: `Drop the conflicting key from the pod's nodeSelector (the plugin adds the namespace's), or move the workload to a namespace for that node pool:

spec:
  nodeSelector: {}     # the namespace annotation supplies pool=tenant-a`,
  *evaluate({ inventory }) {
    for (const pod of inventory.podSpecs()) {
      const ns = inventory.get('Namespace', undefined, pod.namespace);
      const annotation = ns?.object.metadata?.annotations?.[NODE_SELECTOR_ANNOTATION];
      if (annotation === undefined) continue;
      const parsed = parseNodeSelectorAnnotation(String(annotation));
      if (!parsed.ok) {
        yield notEvaluated(pod.item, `namespace "${pod.namespace}" annotation ${NODE_SELECTOR_ANNOTATION} cannot be parsed (${parsed.error})`);
        continue;
      }
      const selector = pod.spec.nodeSelector ?? {};
      const conflicts = Object.entries(parsed.labels).filter(([key, value]) => key in selector && selector[key] !== value);
      if (conflicts.length === 0) {
        yield pass(pod.item);
        continue;
      }
      const [key, value] = conflicts[0]!;
      yield fail(pod.item, `nodeSelector ${conflicts.map(([k]) => `${k}=${selector[k]}`).join(', ')} conflicts with namespace "${pod.namespace}" node selector ${key}=${value}: PodNodeSelector refuses the pods (or, without the plugin, they leave the namespace's nodes)`, {
        field: objectField(pod, `spec.nodeSelector["${key}"]`),
      });
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {pool: shared}
      containers: [{name: web, image: nginx:1.27}]`,
    ],
    pass: [
      `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {disktype: ssd}
      containers: [{name: web, image: nginx:1.27}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes from the pod\'s (or template\'s) nodeSelector the keys whose value differs from the namespace\'s node selector, keeping the others (an emptied nodeSelector goes too); the namespace\'s selector (merged in by PodNodeSelector) then decides where the pods run',
    risk: 'the pods move to the nodes the namespace\'s selector picks (and stay Pending if none of them fits): what they needed from the nodes they were pinned to (hardware, a zone, local data) may not be there',
    plan(ctx, failures) {
      for (const { pod } of failingPods(ctx, failures)) {
        const annotation = ctx.check.inventory.get('Namespace', undefined, pod.namespace)?.object.metadata?.annotations?.[NODE_SELECTOR_ANNOTATION];
        const parsed = annotation === undefined ? undefined : parseNodeSelectorAnnotation(String(annotation));
        if (!parsed?.ok) continue;
        const change = new PodChange(ctx, pod);
        const selector = change.spec.nodeSelector ?? {};
        const conflicting = Object.keys(parsed.labels).filter((key) => key in selector && selector[key] !== parsed.labels[key]);
        if (conflicting.length === 0) continue;
        // An empty nodeSelector left behind says nothing: it goes too.
        if (conflicting.length === Object.keys(selector).length) change.remove(['nodeSelector']);
        else for (const key of conflicting) change.remove(['nodeSelector', key]);
        change.commit();
      }
    },
  },
});
