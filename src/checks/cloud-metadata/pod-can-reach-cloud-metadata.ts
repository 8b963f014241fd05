import { parseIp } from '../../engines/netpol/index.js';
import { defineCheck } from '../define.js';
import { judgeNamespaces, listNames, NAMESPACE_PASSES, WEB_DEPLOYMENT, WEB_POD } from '../network-access/netpol-graph.js';
import { denyMetadataEgress } from '../../fix/namespace-fixes.js';

/** The instance metadata service of AWS, GCP, Azure, OpenStack and most clouds, and AWS's IPv6 endpoint. */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'].map((text) => ({ ip: parseIp(text)!, text }));
const EVERY_ADDRESS = METADATA_ADDRESSES.map((a) => a.text);

/** Isolates egress in a namespace and allows every destination but the metadata service. */
const denyCloudMetadata = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-cloud-metadata, namespace: ${namespace}}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}
    - ipBlock: {cidr: "::/0", except: ["fd00:ec2::254/128"]}`;

export default defineCheck({
  id: 'pod-can-reach-cloud-metadata',
  section: 'cloud-metadata',
  severity: 'high',
  title: 'Pods can reach the cloud metadata service',
  docs: {
    what: 'For every namespace outside the system namespaces, decides with the exact NetworkPolicy semantics which pods and workload templates may open TCP port 80 to the instance metadata service at 169.254.169.254 or fd00:ec2::254: a pod no egress policy isolates may, an isolated one only if an egress rule allows that address and port. hostNetwork pods always may (policies do not apply to them). One finding per namespace lists them.',
    why: 'The metadata service hands out the node\'s cloud credentials (IAM role, service account token) and often its bootstrap data (kubelet credentials); a compromised pod that reaches it can act as the node in the cloud account and join or impersonate nodes in the cluster.',
    references: [
      'Securing a Cluster: Restricting cloud metadata API access',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html',
    ],
  },
  remediation: `Isolate egress in the namespace and allow every destination except the metadata service:

${denyCloudMetadata('<ns>')}`,
  evaluate: (ctx) =>
    judgeNamespaces(ctx, (namespace, endpoints, graph) => {
      // Workloads grouped by the metadata addresses they reach.
      const exposed = new Map<string, string[]>();
      let count = 0;
      for (const endpoint of endpoints) {
        // A pod no egress policy isolates (hostNetwork included) reaches every address: reach() says so.
        const reached = !graph.isIsolated(endpoint, 'egress') ? EVERY_ADDRESS : METADATA_ADDRESSES.filter((address) => graph.reach({ endpoint }, address, 80, 'TCP').allowed === true).map((a) => a.text);
        if (reached.length === 0) continue;
        count++;
        const key = reached.join(' and ');
        const name = `${endpoint.id}${endpoint.hostNetwork ? ' (hostNetwork)' : ''}`;
        const group = exposed.get(key);
        if (group) group.push(name);
        else exposed.set(key, [name]);
      }
      if (count === 0) return NAMESPACE_PASSES;
      const groups = [...exposed].map(([addresses, names]) => `${addresses}: ${listNames(names)}`).join('; ');
      return { status: 'fail', message: `namespace "${namespace}": ${count} of ${endpoints.length} pods/workloads can reach the cloud metadata service on 80/TCP at ${groups}` };
    }),
  examples: {
    fail: [
      WEB_DEPLOYMENT,
      {
        description: 'the IPv4 address is excepted but ::/0 lets the IPv6 endpoint through',
        yaml: `${WEB_POD}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}, {ipBlock: {cidr: "::/0"}}]`,
      },
    ],
    pass: [
      `${WEB_DEPLOYMENT}
---
${denyCloudMetadata('shop')}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'adds a NetworkPolicy per namespace that isolates its pods for egress and allows every destination except 169.254.169.254 and fd00:ec2::254 (other pods by selector, everything else by ipBlock), so only metadata reach is lost; hostNetwork pods stay (policies do not apply to them). Unsafe in a namespace where the input shows pods that take cloud credentials from the metadata address (GKE Workload Identity, AAD Pod Identity, kube2iam or kiam); pods that use the node\'s instance role there leave no trace in the input',
    risk: 'pods that take cloud credentials from the metadata address (GKE Workload Identity, AAD Pod Identity, kube2iam or kiam, or the node\'s instance role) lose them',
    plan: denyMetadataEgress,
  },
});
