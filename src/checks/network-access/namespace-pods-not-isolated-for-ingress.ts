import { defineCheck } from '../define.js';
import { isolationVerdict, judgeNamespaces, WEB_DEPLOYMENT, WEB_POD } from './netpol-graph.js';
import { ingressFromOwnNamespace, OWN_NAMESPACE_INGRESS_RISK } from '../../fix/namespace-fixes.js';

const BATCH_CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly-export, namespace: batch}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: nightly-export}}
        spec:
          restartPolicy: OnFailure
          containers: [{name: export, image: busybox:1.36, command: [sh, -c, 'echo export']}]`;

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
      {
        description: 'a namespace of CronJobs that nothing leads into from outside (no Service, no declared port): the fix is safe',
        yaml: BATCH_CRONJOB,
      },
      {
        description: 'the same namespace with a Service selecting its pods: the fix is unsafe',
        yaml: `${BATCH_CRONJOB}
---
apiVersion: v1
kind: Service
metadata: {name: exporter, namespace: batch}
spec: {selector: {app: nightly-export}, ports: [{port: 8080}]}`,
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
    safety: 'safe',
    summary: 'adds a NetworkPolicy per namespace that isolates its pods for ingress and allows only the pods of the same namespace. Safe where nothing in the input leads into the namespace\'s pods from outside it (no Service in the namespace, no container port declared and no prometheus.io/scrape or prometheus.io/port annotation on its pods, no PodMonitor or ServiceMonitor, nor their CustomResourceDefinitions, in the input; host-network pods, which policies do not apply to, aside): traffic within the namespace stays allowed and traffic from the node (kubelet probes) always is, so only listeners nothing announces lose clients in other namespaces. Unsafe otherwise, naming what leads in',
    risk: OWN_NAMESPACE_INGRESS_RISK,
    plan: ingressFromOwnNamespace,
  },
});
