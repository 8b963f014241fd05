import { NO, UNKNOWN, type Tri } from '../../engines/netpol/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { endpointsByNamespace, listNames, namespaceSubject, netpolGraph, unseen } from './netpol-graph.js';

export default defineCheck({
  id: 'namespace-reachable-from-every-namespace',
  section: 'network-access',
  severity: 'medium',
  title: 'Namespace isolated by policies yet reachable from every other namespace',
  docs: {
    what: 'For every namespace outside the system namespaces whose pods NetworkPolicies isolate for ingress, decides with the exact policy semantics whether some pod of each other namespace (system namespaces excluded) can reach some pod of it on some port: egress of the source and ingress of the destination must both allow one common port. A namespace none of whose pods is isolated is left to namespace-pods-not-isolated-for-ingress. Where the input cannot decide (namespace labels unknown, ipBlocks against templates without IPs), the namespace is not evaluated.',
    why: 'Policies that allow `namespaceSelector: {}` or an allow-all rule give the look of isolation while every tenant can still connect: a compromise in any namespace reaches this one.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors',
    ],
  },
  remediation: `Replace namespaceSelector: {} (all namespaces) with the namespaces that need access:

ingress:
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend}}`,
  *evaluate(ctx) {
    const gap = unseen(ctx.inventory, 'networkpolicies', 'pods');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'NetworkPolicy', name: '*' } }, gap);
      return;
    }
    const graph = netpolGraph(ctx);
    const byNamespace = endpointsByNamespace(ctx.inventory, graph);
    if (byNamespace.size < 2) return;
    const matrix = graph.matrix('any');
    for (const [destination, endpoints] of byNamespace) {
      if (!endpoints.some((e) => graph.isIsolated(e, 'ingress'))) continue;
      const sources = [...byNamespace.keys()].filter((ns) => ns !== destination);
      const verdicts = new Map<string, Tri>();
      for (const source of sources) {
        const best = matrix.betweenNamespaces(source, destination, (s, d) => graph.reachesOnSomePort(s, d));
        verdicts.set(source, best);
        if (best === NO) break;
      }
      const subject = namespaceSubject(ctx.inventory, destination);
      const values = [...verdicts.values()];
      if (values.includes(NO)) yield pass(subject);
      else if (values.includes(UNKNOWN)) {
        const undecided = sources.filter((s) => verdicts.get(s) === UNKNOWN);
        yield notEvaluated(subject, `whether ${listNames(undecided.map((s) => `"${s}"`))} can reach namespace "${destination}" depends on what the input does not hold (namespace labels, pod IPs); run on the live cluster or add the Namespace objects`);
      } else {
        yield fail(subject, `namespace "${destination}" is isolated by NetworkPolicies yet pods of every other namespace (${listNames(sources.map((s) => `"${s}"`))}) can reach it`);
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Namespace
metadata: {name: db}
---
apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: Pod
metadata: {name: postgres, namespace: db, labels: {app: postgres}}
spec: {containers: [{name: pg, image: postgres:16, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: shop, namespace: web}
spec: {containers: [{name: shop, image: shop:1}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres, namespace: db}
spec:
  podSelector: {matchLabels: {app: postgres}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 5432}]`,
    ],
    pass: [
      `apiVersion: v1
kind: Namespace
metadata: {name: db}
---
apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: Pod
metadata: {name: postgres, namespace: db, labels: {app: postgres}}
spec: {containers: [{name: pg, image: postgres:16, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: shop, namespace: web}
spec: {containers: [{name: shop, image: shop:1}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres, namespace: db}
spec:
  podSelector: {matchLabels: {app: postgres}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 5432}]`,
    ],
  },
});
