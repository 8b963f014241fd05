import { enabledAdmissionPlugins, type ComponentRun } from '../../engines/config/index.js';
import type { FixContext } from '../../fix/types.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import { admissionPluginFix } from '../api-authz/admission-plugins.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, runsOf } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { apiServerNode } from '../file-permissions.js';
import type { CheckContext, FailResult } from '../types.js';
import { NODE_SELECTOR_ANNOTATION } from './node-selector.js';

const TENANT_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a"}`;

/** A kubeadm control-plane node root (the API server's static pod) and an annotated namespace outside it. */
function controlPlaneNode(flags: string[]): Inventory {
  const node = apiServerNode(componentPodYaml('kube-apiserver', flags));
  return new Inventory([...node.items, ...parseDocuments(TENANT_NAMESPACE, '/manifests/namespaces.yaml').items], { hosts: [...node.hosts] });
}

const runName = (run: ComponentRun) => `${run.ref.namespace ? `${run.ref.namespace}/` : ''}${run.ref.name}`;

/**
 * The kube-apiserver runs whose effective plugin set (the version's defaults,
 * --enable/--disable-admission-plugins, or the legacy --admission-control) lacks PodNodeSelector.
 */
function runsWithoutPodNodeSelector(ctx: CheckContext): ComponentRun[] {
  return runsOf(ctx, 'kube-apiserver').filter((s) => !enabledAdmissionPlugins(s, ctx.k8sVersion).enabled.has('PodNodeSelector')).map((s) => s.run);
}

/**
 * PodNodeSelector on every kube-apiserver without it that is a static pod of a node root (the
 * admission plugins' own fix edits its flags); an API server seen any other way (a pod of a
 * cluster dump, a process) leaves the namespaces' findings to a person.
 */
function enablePodNodeSelector(ctx: FixContext, failures: readonly FailResult[]): void {
  const without = runsWithoutPodNodeSelector(ctx.check);
  const editable = without.filter((run) => run.host && run.pod);
  const elsewhere = without.filter((run) => !editable.includes(run));
  if (elsewhere.length > 0) {
    for (const failure of failures) ctx.manual(failure, `kube-apiserver ${elsewhere.map(runName).join(', ')} is not a static pod of a node root in the input: add PodNodeSelector to --enable-admission-plugins where it is started (kubeward fix --node-root on its node)`);
  }
  // The plugin fix acts on failures that name the API server runs.
  admissionPluginFix('PodNodeSelector', 'on')(ctx, editable.map((run) => ({ status: 'fail', subject: { ref: run.ref, location: run.location }, message: 'PodNodeSelector is not enabled' })));
}

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
    const without = runsWithoutPodNodeSelector(ctx);
    const where = without.map(runName).join(', ');
    for (const ns of annotated) {
      if (without.length === 0) {
        yield pass(ns);
        continue;
      }
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
      { description: 'a kubeadm static pod on its node (the fix adds PodNodeSelector to its flags)', build: () => controlPlaneNode(KUBEADM_API_SERVER_FLAGS) },
      {
        description: 'a static pod on the legacy --admission-control (the fix edits that list)',
        build: () => controlPlaneNode([...KUBEADM_API_SERVER_FLAGS.filter((f) => !f.startsWith('--enable-admission-plugins=')), '--admission-control=NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction']),
      },
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
  fix: {
    safety: 'unsafe',
    summary: 'on a kube-apiserver static pod of a node root: adds PodNodeSelector to --enable-admission-plugins (or to the legacy --admission-control list); an API server seen any other way is left to a person',
    risk: 'pods whose nodeSelector conflicts with their namespace\'s node selector are refused (see pod-node-selector-conflicts-with-namespace), and every new pod of an annotated namespace is pinned to the nodes its selector picks (Pending if none fits)',
    followUp: 'kubelet restarts kube-apiserver when its static pod manifest changes; check that it comes back (kubectl get --raw /readyz)',
    plan: enablePodNodeSelector,
  },
});
