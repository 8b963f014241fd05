import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { namespaceSubject, unseen, WEB_POD } from './netpol-graph.js';
import { addQuotas } from '../../fix/namespace-fixes.js';

const CAPS = ['services.nodeports', 'services.loadbalancers'] as const;

interface ResourceQuotaSpec {
  hard?: Record<string, unknown>;
  scopes?: string[];
  scopeSelector?: unknown;
}

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
      const capped = new Set<string>();
      for (const quota of inventory.inNamespace(namespace, 'ResourceQuota')) {
        const spec = (quota.object.spec ?? {}) as ResourceQuotaSpec;
        if ((spec.scopes ?? []).length > 0 || spec.scopeSelector) continue;
        for (const key of CAPS) if (spec.hard && key in spec.hard) capped.add(key);
      }
      const missing = CAPS.filter((k) => !capped.has(k));
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
    safety: 'unsafe',
    summary: 'caps services.nodeports and services.loadbalancers at today\'s count in kubeward\'s ResourceQuota of the namespace (added with the pod count when the namespace has none)',
    risk: 'creating another NodePort or LoadBalancer Service is refused until the quota is raised',
    plan(ctx, failures) {
      addQuotas(ctx, failures, ['services.nodeports', 'services.loadbalancers']);
    },
  },
});
