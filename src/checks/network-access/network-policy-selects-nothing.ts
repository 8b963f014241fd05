import { selectorMatches, type LabelSelector } from '../../inventory/labels.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { netpolGraph, unseen, WEB_DEPLOYMENT } from './netpol-graph.js';

/** Examples: the web workload and the start of a policy for it, up to spec. */
const WEB_POLICY_HEAD = `${WEB_DEPLOYMENT}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:`;

export default defineCheck({
  id: 'network-policy-selects-nothing',
  section: 'network-access',
  severity: 'low',
  title: 'NetworkPolicy whose selectors select nothing',
  docs: {
    what: "Reports NetworkPolicies whose spec.podSelector selects no pod or workload template of its namespace, and rules whose same-namespace podSelector peers (no namespaceSelector) select none. Peers in other namespaces are not judged: their pods may be outside the input. A namespace with no pods or workloads in the input is not evaluated.",
    why: 'A selector that selects nothing is almost always a typo or a stale label: the policy meant to isolate a workload protects nothing, or the allow rule meant for a client blocks it, and nobody notices until an incident.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
    ],
  },
  remediation: 'Fix the selector to match the labels of the pod template (kubectl get pods -n <ns> --show-labels), or delete the stale policy.',
  *evaluate(ctx) {
    const gap = unseen(ctx.inventory, 'networkpolicies', 'pods');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'Pod', name: '*' } }, gap);
      return;
    }
    const graph = netpolGraph(ctx);
    for (const policy of graph.policies) {
      const endpoints = graph.endpointsIn(policy.namespace);
      if (endpoints.length === 0) {
        yield notEvaluated(policy.item, `no pod or workload of namespace "${policy.namespace}" is in the input`);
        continue;
      }
      const selects = (selector: LabelSelector) => endpoints.some((e) => selectorMatches(selector, e.labels));
      let failed = false;
      if (!selects(policy.podSelector)) {
        failed = true;
        yield fail(policy.item, `NetworkPolicy ${policy.namespace}/${policy.name}: spec.podSelector ${JSON.stringify(policy.podSelector)} selects no pod or workload in namespace "${policy.namespace}"`, { field: 'spec.podSelector' });
      }
      for (const direction of ['ingress', 'egress'] as const) {
        for (const rule of policy[direction] ?? []) {
          for (const [i, peer] of (rule.peers ?? []).entries()) {
            if (peer.kind !== 'selector' || peer.namespaceSelector || !peer.podSelector || selects(peer.podSelector)) continue;
            failed = true;
            const field = `spec.${direction}[${rule.index}].${direction === 'ingress' ? 'from' : 'to'}[${i}].podSelector`;
            yield fail(policy.item, `NetworkPolicy ${policy.namespace}/${policy.name}: ${field} ${JSON.stringify(peer.podSelector)} selects no pod or workload in namespace "${policy.namespace}", so this peer allows nothing`, { field });
          }
        }
      }
      if (!failed) yield pass(policy.item);
    }
  },
  examples: {
    fail: [
      `${WEB_POLICY_HEAD}
  podSelector: {matchLabels: {app: wbe}}
  policyTypes: [Ingress]`,
      {
        description: 'an allow rule whose same-namespace peer selects nothing',
        yaml: `${WEB_POLICY_HEAD}
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}]}]`,
      },
    ],
    pass: [
      `${WEB_POLICY_HEAD}
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}, {namespaceSelector: {matchLabels: {team: edge}}}]}]`,
    ],
  },
});
