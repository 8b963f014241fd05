import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { namespaceSubject, unseen, WEB_POD } from './netpol-graph.js';
import { capServiceExposure, missingExposureCaps, NEW_QUOTA_RISK } from '../../fix/namespace-fixes.js';

export default defineCheck({
  id: 'service-exposure-not-capped-by-quota',
  section: 'network-access',
  severity: 'low',
  title: 'Namespace free to create NodePort or LoadBalancer Services',
  docs: {
    what: 'For every namespace outside the system namespaces that runs workloads or holds Services, checks that an unscoped ResourceQuota sets hard limits for services.nodeports and services.loadbalancers (0 where the namespace needs none). Scoped quotas (scopes, scopeSelector) track only pod resources, so they are not counted.',
    why: 'Anyone who may create Services in the namespace can otherwise expose any pod on every node or through a paid cloud load balancer, outside every Ingress control; the guide names quotas on these Service types as the control.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/policy/resource-quotas/#object-count-quota',
    ],
  },
  remediation: `Cap the exposure Service types in the namespace's quota (0 unless the namespace must expose services):

apiVersion: v1
kind: ResourceQuota
metadata: {name: service-exposure, namespace: <ns>}
spec:
  hard: {services.nodeports: "0", services.loadbalancers: "0"}`,
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'resourcequotas');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'ResourceQuota', name: '*' } }, gap);
      return;
    }
    const namespaces = new Set([...inventory.podSpecs().map((p) => p.namespace), ...inventory.ofKind('Service').map((s) => s.ref.namespace ?? inventory.defaultNamespace)]);
    for (const namespace of [...namespaces].sort()) {
      if (inventory.isSystemNamespace(namespace)) continue;
      const missing = missingExposureCaps(inventory.inNamespace(namespace, 'ResourceQuota').map((quota) => quota.object));
      const subject = namespaceSubject(inventory, namespace);
      if (missing.length === 0) {
        yield pass(subject);
        continue;
      }
      const exposed = inventory.inNamespace(namespace, 'Service').filter((s) => ['NodePort', 'LoadBalancer'].includes((s.object.spec as { type?: string } | undefined)?.type ?? ''));
      const present = exposed.length > 0 ? ` (it already has ${exposed.length} NodePort/LoadBalancer Service${exposed.length === 1 ? '' : 's'})` : '';
      yield fail(subject, `namespace "${namespace}" has no ResourceQuota capping ${missing.join(' and ')}${present}`);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 443}]}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: shop}
spec:
  hard: {requests.cpu: "4", services.nodeports: "0"}`,
      {
        description: 'a namespace running workloads without any quota may create such Services',
        yaml: WEB_POD,
      },
      {
        description: 'a namespace whose unscoped quota caps only object counts: the fix adds the caps to it, safely',
        yaml: `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: NodePort
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: grpc, port: 9090}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: object-counts, namespace: shop}
spec:
  # sized by the platform team
  hard:
    configmaps: "50"
    secrets: '50'
    count/jobs.batch: "20"`,
      },
    ],
    pass: [
      `${WEB_POD}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: service-exposure, namespace: shop}
spec:
  hard: {services.nodeports: "0", services.loadbalancers: "0"}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'caps services.nodeports and services.loadbalancers at today\'s count (node ports as the quota counts them, one per Service port). Where the namespace has an unscoped ResourceQuota, the caps are added to it (kubeward\'s, else the first by name) and no other key changes: every Service that exists stays, only another NodePort or LoadBalancer is refused until a person raises it, so it is safe. Where it has none, kubeward\'s ResourceQuota is added with the pod count too, as an unsafe fix',
    risk: NEW_QUOTA_RISK,
    plan: capServiceExposure,
  },
});
