import { enabledAdmissionPlugins } from '../../engines/config/index.js';
import { runsOf } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { NODE_SELECTOR_ANNOTATION } from './node-selector.js';

export default defineCheck({
  id: 'namespace-node-selector-without-admission-plugin',
  section: 'node-placement',
  severity: 'medium',
  title: 'Namespace node-selector annotation without the PodNodeSelector admission plugin',
  docs: {
    what: `Reports namespaces annotated ${NODE_SELECTOR_ANNOTATION} when kube-apiserver's --enable-admission-plugins (or the legacy --admission-control) does not include PodNodeSelector. When no kube-apiserver command line is in the input the result is not evaluated.`,
    why: 'The annotation only restricts where a namespace\'s pods run if the PodNodeSelector plugin merges it into every pod; without the plugin it is a comment, and the tenants the annotation was meant to confine can schedule onto any node, control-plane nodes included.',
    references: [
      'Securing a Cluster: Controlling which nodes pods may access',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#podnodeselector',
    ],
  },
  remediation: `Enable the plugin on every kube-apiserver (e.g. /etc/kubernetes/manifests/kube-apiserver.yaml):

- --enable-admission-plugins=NodeRestriction,PodNodeSelector`,
  *evaluate(ctx) {
    const { inventory } = ctx;
    const annotated = inventory.ofKind('Namespace').filter((ns) => ns.object.metadata?.annotations?.[NODE_SELECTOR_ANNOTATION] !== undefined);
    if (annotated.length === 0) return;
    const servers = runsOf(ctx, 'kube-apiserver');
    if (servers.length === 0) {
      const gap = inventory.gap('kube-apiserver');
      for (const ns of annotated) yield notEvaluated(ns, `no kube-apiserver command line in the input${gap ? ` (${gap})` : ''}, so whether PodNodeSelector is enabled is unknown`);
      return;
    }
    // The effective plugin set: the version's defaults, --enable/--disable-admission-plugins, or
    // the legacy --admission-control.
    const without = servers.filter((s) => !enabledAdmissionPlugins(s, ctx.k8sVersion).enabled.has('PodNodeSelector')).map((s) => s.run);
    for (const ns of annotated) {
      if (without.length === 0) {
        yield pass(ns);
        continue;
      }
      const where = without.map((run) => `${run.ref.namespace ? `${run.ref.namespace}/` : ''}${run.ref.name}`).join(', ');
      yield fail(ns, `namespace "${ns.ref.name}" is annotated ${NODE_SELECTOR_ANNOTATION}="${ns.object.metadata!.annotations![NODE_SELECTOR_ANNOTATION]}" but kube-apiserver (${where}) does not enable the PodNodeSelector admission plugin, so the annotation has no effect`, {
        field: `metadata.annotations["${NODE_SELECTOR_ANNOTATION}"]`,
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
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]`,
    ],
    pass: [
      `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a"}
---
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, "--enable-admission-plugins=NodeRestriction,PodNodeSelector"]`,
    ],
  },
});
