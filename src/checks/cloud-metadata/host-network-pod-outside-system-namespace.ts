import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { unseen } from '../network-access/netpol-graph.js';
import { OPEN_OFF_HOST_NETWORK, PodChange, failingPods, openOffHostNetwork } from '../../fix/helpers.js';

/** Examples: a node agent, with extra pod spec lines. */
const agentDaemonSet = (specLines: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
${specLines}      containers: [{name: agent, image: agent:1}]`;

export default defineCheck({
  id: 'host-network-pod-outside-system-namespace',
  section: 'cloud-metadata',
  severity: 'high',
  title: 'hostNetwork pod outside the system namespaces',
  docs: {
    what: 'Reports every pod and workload template outside kube-system, kube-public and kube-node-lease that sets hostNetwork: true.',
    why: "A pod on the host network shares the node's network stack: NetworkPolicies do not apply to it in most CNIs, it reaches the cloud metadata service and the kubelet on localhost as the node does, and it can bind and sniff the node's ports.",
    references: [
      'Securing a Cluster: Restricting cloud metadata API access',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/ (baseline: Host Namespaces)',
    ],
  },
  remediation: 'Remove hostNetwork: true from the pod spec and expose the port through a Service; if the workload must run on the host network (a CNI or node agent), run it in a dedicated, restricted namespace.',
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'pods');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'Pod', name: '*' } }, gap);
      return;
    }
    for (const ref of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(ref.namespace)) continue;
      if (ref.spec.hostNetwork === true) {
        yield fail(ref.item, `${ref.item.ref.kind} ${ref.namespace}/${ref.item.ref.name} runs on the host network, outside the reach of NetworkPolicy`, { field: `${ref.path}.hostNetwork` });
      } else yield pass(ref.item);
    }
  },
  examples: {
    fail: [
      agentDaemonSet('      hostNetwork: true\n'),
    ],
    pass: [
      agentDaemonSet(''),
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes hostNetwork: true from the pod spec (the pod gets its own network namespace, which NetworkPolicies govern)',
    risk: 'a pod that serves on, or reads, the node\'s network interfaces or host ports stops working',
    plan(ctx, failures) {
      for (const { pod, failure } of failingPods(ctx, failures)) {
        if (openOffHostNetwork(ctx, pod)) {
          ctx.manual(failure, OPEN_OFF_HOST_NETWORK);
          continue;
        }
        const change = new PodChange(ctx, pod);
        change.remove(['hostNetwork']);
        if (change.spec.dnsPolicy === 'ClusterFirstWithHostNet') change.remove(['dnsPolicy']);
        change.commit();
      }
    },
  },
});
