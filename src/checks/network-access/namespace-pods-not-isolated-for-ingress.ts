import { defineCheck } from '../define.js';
import { isolationVerdict, judgeNamespaces, WEB_DEPLOYMENT, WEB_POD } from './netpol-graph.js';
import { ingressFromOwnNamespace } from '../../fix/namespace-fixes.js';

export default defineCheck({
  id: 'namespace-pods-not-isolated-for-ingress',
  section: 'network-access',
  severity: 'medium',
  title: 'Pods that no NetworkPolicy isolates for ingress',
  docs: {
    what: 'For every namespace outside the system namespaces, lists the pods and workload templates that no NetworkPolicy selects with Ingress in its policyTypes (the API defaults policyTypes to include Ingress). hostNetwork pods are left to the cloud-metadata check: policies do not apply to them.',
    why: 'A pod that no policy isolates accepts connections from every pod of every namespace and from anything that can route to the pod network, so one compromised workload can reach every service in the cluster (databases, admin ports, metrics endpoints).',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation',
    ],
  },
  remediation: `Add a default-deny ingress policy to the namespace, then allow what each workload needs:

apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: <ns>}
spec:
  podSelector: {}
  policyTypes: [Ingress]`,
  evaluate: (ctx) => judgeNamespaces(ctx, (namespace, endpoints, graph) => isolationVerdict(graph, namespace, endpoints, 'ingress', 'no NetworkPolicy selects them')),
  examples: {
    fail: [
      `${WEB_DEPLOYMENT}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]`,
      {
        description: 'a policy with policyTypes [Egress] does not isolate for ingress',
        yaml: `${WEB_POD}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]`,
      },
    ],
    pass: [
      `${WEB_DEPLOYMENT}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'adds a NetworkPolicy per namespace that isolates its pods for ingress and allows only the pods of the same namespace',
    risk: 'connections from other namespaces (ingress controllers, monitoring) and from outside the cluster are refused until a policy allows them',
    plan: ingressFromOwnNamespace,
  },
});
