import type { CompiledPeer, CompiledPolicy, CompiledRule, Direction } from '../../engines/netpol/index.js';
import { isEmptySelector } from '../../inventory/labels.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { netpolGraph, unseen } from './netpol-graph.js';
import { narrowAllowAllRules } from '../../fix/netpol-fixes.js';


/** A peer that stands for every pod of every namespace, or every address of a family. */
function isEverything(peer: CompiledPeer): boolean {
  if (peer.kind === 'selector') return peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector);
  return peer.kind === 'ipBlock' && peer.cidr.prefix === 0 && peer.except.length === 0;
}

/** A rule with no port restriction whose peers are everything (or absent: all peers). */
function isAllowAll(rule: CompiledRule): boolean {
  return rule.ports === undefined && (rule.peers === undefined || rule.peers.some(isEverything));
}

function isDefaultDeny(policy: CompiledPolicy, direction: Direction): boolean {
  return isEmptySelector(policy.podSelector) && policy[direction] !== undefined && policy[direction]!.length === 0;
}

export default defineCheck({
  id: 'allow-all-rule-undoes-default-deny',
  section: 'network-access',
  severity: 'medium',
  title: 'Allow-all NetworkPolicy rule that undoes a default deny',
  docs: {
    what: 'In every namespace with a default-deny policy (podSelector {} and no rules for a direction), reports the rules of that direction that allow everything: no ports and no peers, or a peer that selects every pod of every namespace (namespaceSelector: {}) or every address (ipBlock 0.0.0.0/0 or ::/0 without except). Policies are additive, so such a rule re-opens all traffic for the pods it selects.',
    why: 'The default deny reads as protection while the allow-all rule quietly cancels it for the pods it selects; reviewers who see the deny policy assume isolation that does not exist.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic',
    ],
  },
  remediation: `Replace the allow-all rule with the peers and ports the workload needs, e.g.:

ingress:
- from: [{podSelector: {matchLabels: {app: frontend}}}]
  ports: [{port: 8080}]`,
  *evaluate(ctx) {
    const gap = unseen(ctx.inventory, 'networkpolicies');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'NetworkPolicy', name: '*' } }, gap);
      return;
    }
    const graph = netpolGraph(ctx);
    const namespaces = [...new Set(graph.policies.map((p) => p.namespace))].sort();
    for (const namespace of namespaces) {
      const policies = graph.policiesInNamespace(namespace);
      for (const direction of ['ingress', 'egress'] as const) {
        const deny = policies.find((p) => isDefaultDeny(p, direction));
        if (!deny) continue;
        let undone = false;
        for (const policy of policies) {
          for (const rule of policy[direction] ?? []) {
            if (!isAllowAll(rule)) continue;
            undone = true;
            const selector = isEmptySelector(policy.podSelector) ? 'every pod of the namespace' : `the pods selected by ${JSON.stringify(policy.podSelector)}`;
            yield fail(policy.item, `${direction}[${rule.index}] of NetworkPolicy ${namespace}/${policy.name} allows all ${direction} for ${selector}, undoing the default deny of NetworkPolicy ${namespace}/${deny.name}`, { field: `spec.${direction}[${rule.index}]` });
          }
        }
        if (!undone) yield pass(deny.item);
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]`,
      {
        description: 'egress to 0.0.0.0/0 without except re-opens every destination',
        yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: internet, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]`,
      },
    ],
    pass: [
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-but-metadata, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: frontend}}}], ports: [{port: 8080}]}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'narrows each allow-all ingress rule to the pods of the policy\'s own namespace (no peers become from: [{podSelector: {}}], a peer of every pod of every namespace or of every address becomes podSelector: {}; other peers and ports stay), so the default deny holds again and traffic inside the namespace stays allowed; an allow-all egress rule is left to a person',
    risk: 'connections to these pods from other namespaces (an ingress controller, monitoring) and from outside the cluster (node ports, load balancers) are refused until a policy names those peers',
    plan: narrowAllowAllRules,
  },
});
