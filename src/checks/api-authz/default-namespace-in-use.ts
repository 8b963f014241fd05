import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { isNamespacedKind } from '../../inventory/kinds.js';
import type { Item } from '../../inventory/types.js';
import { RESOURCE_TYPES } from '../../sources/cluster/resources.js';
import { listNames, namespaceSubject } from '../network-access/netpol-graph.js';

/** Objects that fence namespace default in rather than use it (5.3.2 asks a NetworkPolicy there). */
const GUARDS = new Set(['NetworkPolicy', 'ResourceQuota', 'LimitRange']);

/** What Kubernetes itself keeps in namespace default, and the guards; only these may be there. */
function allowedInDefault(item: Item): boolean {
  const { kind, name } = item.ref;
  if (GUARDS.has(kind)) return true;
  if (kind === 'Event') return true; // the kubelet and controllers record node events there
  if (name === 'kubernetes' && (kind === 'Service' || kind === 'Endpoints' || kind === 'EndpointSlice')) return true;
  if (kind === 'ServiceAccount' && name === 'default') return true;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return true;
  // Before 1.24 the token controller made a Secret for the default ServiceAccount.
  const object = item.object as { type?: unknown; metadata?: { annotations?: Record<string, string> } };
  return kind === 'Secret' && object.type === 'kubernetes.io/service-account-token' && object.metadata?.annotations?.['kubernetes.io/service-account.name'] === 'default';
}

/** The namespaced resources a live scan lists in every namespace. */
const LISTED_EVERYWHERE = RESOURCE_TYPES.filter((t) => !t.namespace && isNamespacedKind(t.kind)).map((t) => t.resource);

export default defineCheck({
  id: 'default-namespace-in-use',
  section: 'api-authz',
  severity: 'low',
  title: 'Objects created in the default namespace',
  docs: {
    what: 'Reports the objects in namespace default other than those Kubernetes keeps there itself (the kubernetes Service, Endpoints and EndpointSlice, the default ServiceAccount and its pre-1.24 token Secret, the kube-root-ca.crt ConfigMap, Events) and the objects that fence it in (NetworkPolicies, which CIS 5.3.2 asks of every namespace, ResourceQuotas, LimitRanges), as CIS 5.6.4 asks ("The default namespace should not be used"; its audit lists every namespaced resource in default). Objects in the input that name no namespace count as default\'s, as kubectl apply places them, unless --namespace says otherwise. kubeward judges the objects the input holds: a live scan lists only the kinds kubeward reads (workloads, Services, ServiceAccounts, Secrets\' metadata, RBAC, NetworkPolicies, Ingresses, quotas and the like, not ConfigMaps or custom resources outside kube-system), and is not evaluated when one of those could not be listed.',
    why: 'Namespaces are where RBAC, Pod Security levels, NetworkPolicies, quotas and limits are applied. What lands in default usually gets none of them: default is the namespace every tool and manifest falls back to, so rights granted there reach whatever anybody deploys by mistake, and its objects mix with the API server\'s own Service.',
    references: [
      'Securing a Cluster: API Authorization',
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces',
    ],
  },
  remediation: `Create a namespace per application or team, move the objects there, and name the namespace in every manifest:

kubectl create namespace <app>
kubectl get <kind>/<name> -n default -o yaml | <edit metadata.namespace> | kubectl apply -f -
kubectl delete <kind>/<name> -n default`,
  cis: { '1.12': ['5.6.4'] },
  *evaluate(ctx) {
    const { inventory } = ctx;
    const used = inventory.inNamespace('default').filter((item) => !allowedInDefault(item));
    const subject = namespaceSubject(inventory, 'default');
    if (used.length > 0) {
      yield fail(subject, `namespace default holds ${used.length} object(s) Kubernetes did not create there: ${listNames(used.map((i) => `${i.ref.kind}/${i.ref.name}`))}`);
      return;
    }
    const unlisted = LISTED_EVERYWHERE.filter((r) => inventory.gap(r));
    if (unlisted.length > 0) yield notEvaluated(subject, `${unlisted.join(', ')} could not be listed, so namespace default may hold objects kubeward did not see`);
    else yield pass(subject);
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]`,
      {
        description: 'a ConfigMap that names no namespace lands in default',
        yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: production}`,
      },
    ],
    pass: [
      {
        description: 'only what Kubernetes keeps in default, and a default-deny NetworkPolicy',
        yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default, labels: {component: apiserver, provider: kubernetes}}
spec:
  ports: [{name: https, port: 443, protocol: TCP, targetPort: 6443}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: default}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-root-ca.crt, namespace: default}
data: {ca.crt: "-----BEGIN CERTIFICATE-----"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]`,
      },
    ],
  },
});
