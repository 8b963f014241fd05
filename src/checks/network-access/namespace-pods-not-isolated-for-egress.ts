import { defineCheck } from '../define.js';
import { isolationVerdict, judgeNamespaces, WEB_DEPLOYMENT } from './netpol-graph.js';
import { denyMetadataEgress } from '../../fix/namespace-fixes.js';

export default defineCheck({
  id: 'namespace-pods-not-isolated-for-egress',
  section: 'network-access',
  severity: 'medium',
  title: 'Pods that no NetworkPolicy isolates for egress',
  docs: {
    what: 'For every namespace outside the system namespaces, lists the pods and workload templates that no NetworkPolicy selects with Egress in its policyTypes. Without explicit policyTypes a policy governs egress only when it has egress rules. hostNetwork pods are left to the cloud-metadata check: policies do not apply to them.',
    why: 'A pod that no policy isolates for egress may open connections anywhere: to every pod in the cluster, to the cloud metadata service (node credentials), and to the internet, which is how a compromised workload moves laterally and exfiltrates data.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic',
    ],
  },
  remediation: `Add a default-deny egress policy that still allows DNS, then allow what each workload needs:

apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: <ns>}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`,
  evaluate: (ctx) => judgeNamespaces(ctx, (namespace, endpoints, graph) => isolationVerdict(graph, namespace, endpoints, 'egress', 'no NetworkPolicy with Egress selects them')),
  examples: {
    fail: [
      {
        description: 'a policy without policyTypes and without egress rules governs ingress only',
        yaml: `${WEB_DEPLOYMENT}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}`,
      },
    ],
    pass: [
      `${WEB_DEPLOYMENT}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'adds the cloud-metadata egress policy (pod-can-reach-cloud-metadata): the pods are isolated for egress and keep every destination but the metadata service; narrowing egress further is left to a person',
    plan: denyMetadataEgress,
  },
});
