import { NO, UNKNOWN } from '../../engines/netpol/index.js';
import { defineCheck } from '../define.js';
import { judgeNamespaces, LISTED_NAMES, listNames, NAMESPACE_PASSES } from './netpol-graph.js';
import { narrowNamespaceIngress } from '../../fix/netpol-fixes.js';

/** Examples: a database namespace whose policy isolates postgres, and a web namespace; the rules follow. */
const DB_AND_WEB = `apiVersion: v1
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
  ingress:`;

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
  evaluate(ctx) {
    let namespaces: string[] | undefined;
    let boundSources: string[] | undefined;
    return judgeNamespaces(ctx, (destination, endpoints, graph, byNamespace) => {
      namespaces ??= [...byNamespace.keys()];
      if (namespaces.length < 2 || !endpoints.some((e) => graph.isIsolated(e, 'ingress'))) return undefined;
      const reach = graph.namespaceReach();
      // Sources with an unisolated pod surely reach a destination with one: they neither pass
      // nor leave it undecided, so only the others are asked (linear, not namespaces squared).
      boundSources ??= namespaces.filter((ns) => !reach.unisolated(ns, 'egress'));
      const undecided: string[] = [];
      for (const source of reach.unisolated(destination, 'ingress') ? boundSources : namespaces) {
        if (source === destination) continue;
        const best = reach.between(source, destination);
        if (best === NO) return NAMESPACE_PASSES;
        if (best === UNKNOWN) undecided.push(source);
      }
      if (undecided.length > 0) {
        return { status: 'not-evaluated', reason: `whether ${listNames(undecided.map((s) => `"${s}"`))} can reach namespace "${destination}" depends on what the input does not hold (namespace labels, pod IPs); run on the live cluster or add the Namespace objects` };
      }
      // The first names listed, without quoting every namespace for each destination.
      const shown = namespaces.slice(0, LISTED_NAMES + 1).filter((ns) => ns !== destination);
      return { status: 'fail', message: `namespace "${destination}" is isolated by NetworkPolicies yet pods of every other namespace (${listNames(shown.map((s) => `"${s}"`), LISTED_NAMES, namespaces.length - 1)}) can reach it` };
    });
  },
  examples: {
    fail: [
      `${DB_AND_WEB}
  - from: [{namespaceSelector: {}}]
    ports: [{port: 5432}]`,
    ],
    pass: [
      `${DB_AND_WEB}
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 5432}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'narrows every ingress rule of the namespace\'s policies that admits every pod of every namespace (no peers, namespaceSelector: {} with an empty or no pod selector, an ipBlock of every address) to the namespace\'s own pods, keeping the rule\'s other peers and ports; peers that pick pods by label in every namespace, and pods no policy isolates, are left to a person',
    risk: 'connections to these pods from other namespaces (an ingress controller, monitoring) and from outside the cluster (node ports, load balancers) are refused until a policy names those peers',
    plan: narrowNamespaceIngress,
  },
});
