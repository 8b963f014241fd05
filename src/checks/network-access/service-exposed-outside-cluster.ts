import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { unseen } from './netpol-graph.js';

interface ServiceSpec {
  type?: string;
  ports?: { name?: string; port?: number; nodePort?: number; protocol?: string }[];
}

/** Fields the API server accepts only on NodePort or LoadBalancer Services (ValidateService). */
const EXPOSURE_ONLY_FIELDS = ['externalTrafficPolicy', 'healthCheckNodePort', 'allocateLoadBalancerNodePorts', 'loadBalancerIP', 'loadBalancerSourceRanges', 'loadBalancerClass'];

export default defineCheck({
  id: 'service-exposed-outside-cluster',
  section: 'network-access',
  severity: 'low',
  title: 'Service of type NodePort or LoadBalancer',
  docs: {
    what: 'Reports every Service of type NodePort or LoadBalancer: each opens a port on every node (and, for LoadBalancer, a cloud load balancer) that reaches the selected pods from outside the cluster. Services of other types pass.',
    why: 'Node ports and load balancers bypass the Ingress layer and its authentication, TLS and logging, and are easy to forget; every one of them should be deliberate. NetworkPolicies that allow only in-cluster peers do not protect a pod behind a node port when the CNI sees the node as the source.',
    references: [
      'Securing a Cluster: Restricting network access',
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    ],
  },
  remediation: `Use type ClusterIP behind an Ingress or Gateway, or restrict the load balancer:

spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [203.0.113.0/24]`,
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'services');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'Service', name: '*' } }, gap);
      return;
    }
    for (const item of inventory.ofKind('Service')) {
      const spec = (item.object.spec ?? {}) as ServiceSpec;
      const type = spec.type ?? 'ClusterIP';
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        yield pass(item);
        continue;
      }
      const ports = (spec.ports ?? []).map((p) => `${p.port ?? '?'}${p.nodePort ? ` (node port ${p.nodePort})` : ''}`).join(', ');
      const where = type === 'LoadBalancer' ? 'through a cloud load balancer and on every node' : 'on every node';
      yield fail(item, `Service ${item.ref.namespace}/${item.ref.name} of type ${type} exposes port${(spec.ports ?? []).length === 1 ? '' : 's'} ${ports || '(none listed)'} outside the cluster ${where}`, { field: 'spec.type' });
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Service
metadata: {name: admin, namespace: shop}
spec:
  type: NodePort
  selector: {app: admin}
  ports: [{port: 8080, nodePort: 30080}]`,
      `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443}]`,
    ],
    pass: [
      `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'changes the Service to type ClusterIP and drops the fields only NodePort and LoadBalancer Services may have (nodePort of each port, externalTrafficPolicy, healthCheckNodePort, allocateLoadBalancerNodePorts, loadBalancerIP, loadBalancerSourceRanges, loadBalancerClass); in-cluster clients keep its cluster IP and DNS name',
    risk: 'clients outside the cluster (through the node ports or the cloud load balancer, which the cloud provider deletes) can no longer connect; publish it through an Ingress or Gateway instead',
    plan(ctx, failures) {
      for (const failure of failures) {
        const { namespace, name } = failure.subject.ref;
        const item = ctx.check.inventory.get('Service', namespace, name);
        if (!item) continue;
        const edit = ctx.edit(item);
        const spec = (edit.object.spec ?? {}) as ServiceSpec;
        edit.set(['spec', 'type'], 'ClusterIP');
        (spec.ports ?? []).forEach((port, i) => {
          if (port && typeof port === 'object' && 'nodePort' in port) edit.remove(['spec', 'ports', i, 'nodePort']);
        });
        for (const field of EXPOSURE_ONLY_FIELDS) edit.remove(['spec', field]);
      }
    },
  },
});
