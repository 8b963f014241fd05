import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { namespaceSubject, unseen } from './netpol-graph.js';
import { addFirstNetworkPolicy } from '../../fix/netpol-fixes.js';

export default defineCheck({
  id: 'namespace-without-network-policy',
  section: 'network-access',
  severity: 'low',
  title: 'Namespace without any NetworkPolicy',
  docs: {
    what: 'Reports every namespace the input defines (a Namespace object, or pods deployed there), system ones and those without pods included, in which no NetworkPolicy is defined, as CIS 5.3.2 asks ("each namespace defined in the cluster has at least one Network Policy", audited with kubectl get networkpolicy --all-namespaces). It asks only that one exists: whether the policies isolate the pods is what namespace-pods-not-isolated-for-ingress and -egress judge. Not evaluated when NetworkPolicies or Namespaces could not be listed.',
    why: 'Without a NetworkPolicy every pod of the namespace, and every pod created there later, accepts connections from any pod of the cluster and may connect anywhere. A default-deny policy in every namespace, empty ones included, makes "closed" the state a new workload starts from.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    ],
  },
  remediation: `Define at least a default-deny policy in every namespace, then allow what its workloads need:

apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: <ns>}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]`,
  cis: { '1.12': ['5.3.2'] },
  *evaluate(ctx) {
    const { inventory } = ctx;
    const gap = unseen(inventory, 'networkpolicies', 'namespaces');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'NetworkPolicy', name: '*' } }, gap);
      return;
    }
    // "Defined in the cluster": a Namespace object, or a namespace the input deploys pods to. One
    // only named by other objects (a RoleBinding in kube-system) is not the input's to judge.
    const defined = new Set([...inventory.ofKind('Namespace').map((n) => n.ref.name), ...inventory.podSpecs().map((p) => p.namespace)]);
    for (const namespace of inventory.namespaces().filter((ns) => defined.has(ns))) {
      const subject = namespaceSubject(inventory, namespace);
      if (inventory.inNamespace(namespace, 'NetworkPolicy').length > 0) yield pass(subject);
      else yield fail(subject, `namespace "${namespace}" has no NetworkPolicy: its pods, present and future, are open to every pod of the cluster`);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Namespace
metadata: {name: shop}`,
      {
        description: 'a policy in another namespace does not count',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: export, namespace: batch}
spec: {containers: [{name: export, image: busybox:1.36}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}`,
      },
      {
        description: 'every pod of the namespace runs on the host network, where policies do not apply',
        yaml: `apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      containers: [{name: node-exporter, image: quay.io/prometheus/node-exporter:v1.8.2, ports: [{containerPort: 9100}]}]`,
      },
      {
        description: 'a system namespace whose pods NetworkPolicies apply to',
        yaml: `apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec: {containers: [{name: coredns, image: registry.k8s.io/coredns/coredns:v1.11.1}]}`,
      },
    ],
    pass: [
      {
        description: 'a namespace only named by another object (a ConfigMap) is not the input\'s to judge',
        yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: batch}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}`,
      },
      {
        description: 'any policy counts, even one that selects no pod',
        yaml: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-db, namespace: shop}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}`,
      },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'adds one NetworkPolicy per namespace that takes nothing from the pods running there: where the input has pods that policies apply to (not on the host network), the cloud-metadata egress policy of pod-can-reach-cloud-metadata (they lose only 169.254.169.254 and fd00:ec2::254; in the system namespaces only with --unsafe-fixes, as the cloud\'s controllers there read that service); where it has none, a default-deny ingress policy (podSelector {}, policyTypes [Ingress]) that selects no running pod, so pods created there later need a policy that admits their traffic',
    risk: 'pods that read the cloud metadata service lose it: in a system namespace the cloud\'s controllers (cloud-controller-manager, CSI drivers, a load-balancer controller, cluster-autoscaler), elsewhere pods that take cloud credentials from it (GKE Workload Identity, AAD Pod Identity, kube2iam or kiam, or the node\'s instance role)',
    plan: addFirstNetworkPolicy,
  },
});
