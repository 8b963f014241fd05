import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeWithCorpus } from '../../testing/corpus.js';
import { inventoryFromYaml } from '../../testing/index.js';
import { parseKubeVersion } from '../../inventory/version.js';
import { cidrContains, cidrCovers, parseCidr, parseIp } from './cidr.js';
import { NetpolGraph, NO, UNKNOWN, YES, type Party } from './engine.js';
import { effectivePolicyTypes } from './model.js';
import { describePorts } from './ports.js';

const graphOf = (yaml: string) => new NetpolGraph(inventoryFromYaml(yaml));
const pod = (graph: NetpolGraph, id: string): Party => {
  const endpoint = graph.findEndpoint(id);
  assert.ok(endpoint, `no endpoint ${id}`);
  return { endpoint };
};
const ip = (text: string): Party => ({ ip: parseIp(text)!, text });

const PODS = `apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec:
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 5353, protocol: UDP}]}]
status: {podIP: 10.1.0.10, podIPs: [{ip: 10.1.0.10}, {ip: "fd00:10::10"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec:
  containers: [{name: c, image: curl}]
status: {podIP: 10.2.0.20}
`;

describe('cidr', () => {
  it('parses IPv4 and IPv6 and matches prefixes', () => {
    const block = parseCidr('10.1.0.0/16')!;
    assert.ok(cidrContains(block, parseIp('10.1.255.3')!));
    assert.ok(!cidrContains(block, parseIp('10.2.0.1')!));
    const v6 = parseCidr('fd00:ec2::/64')!;
    assert.ok(cidrContains(v6, parseIp('fd00:ec2::254')!));
    assert.ok(!cidrContains(v6, parseIp('fd00:ec3::254')!));
    assert.ok(!cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!), 'an IPv4 block never holds an IPv6 address');
    assert.ok(cidrContains(parseCidr('::/0')!, parseIp('2001:db8::1')!));
    assert.equal(parseIp('::ffff:10.0.0.1')!.value, 0xffff0a000001n);
    assert.ok(cidrCovers(parseCidr('0.0.0.0/0')!, parseCidr('169.254.169.254/32')!));
    assert.ok(!cidrCovers(parseCidr('169.254.0.0/16')!, parseCidr('169.0.0.0/8')!));
  });

  it('reads IPv4 addresses exactly where node:net isIP does', () => {
    for (const text of ['0.0.0.0', '255.255.255.255', '10.0.0.1', '192.168.10.200']) {
      assert.equal(parseIp(text)?.value, text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n), text);
    }
    for (const bad of ['256.1.1.1', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', '1234.1.1.1', '1.2.3.4a', 'a.b.c.d', '1.2.3.-4', '']) {
      assert.equal(isIP(bad), 0, bad);
      assert.equal(parseIp(bad), undefined, bad);
    }
  });

  it('rejects malformed blocks', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'fd00::/129', 'x/8', '10.0.0.0/-1']) assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('policyTypes defaults', () => {
  it('Ingress always, Egress only with egress rules, explicit types win', () => {
    assert.deepEqual(effectivePolicyTypes({}), { ingress: true, egress: false });
    assert.deepEqual(effectivePolicyTypes({ egress: [] }), { ingress: true, egress: false });
    assert.deepEqual(effectivePolicyTypes({ egress: [{}] }), { ingress: true, egress: true });
    assert.deepEqual(effectivePolicyTypes({ policyTypes: ['Egress'], ingress: [{}] }), { ingress: false, egress: true });
  });

  it('a policy without policyTypes and with egress rules isolates both directions', () => {
    const graph = graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-dns, namespace: app}
spec:
  podSelector: {}
  egress: [{ports: [{port: 53, protocol: UDP}]}]
`);
    const verdict = graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 8080, 'TCP');
    assert.deepEqual(verdict.ingress, { isolated: true, allowed: false, policies: [] });
    const out = graph.reach(pod(graph, 'app/web'), ip('8.8.8.8'), 53, 'UDP');
    assert.deepEqual(out.egress, { isolated: true, allowed: true, policies: ['egress-dns'] });
    assert.equal(graph.reach(pod(graph, 'app/web'), ip('8.8.8.8'), 53, 'TCP').allowed, false);
  });
});

describe('ports', () => {
  const policy = (ports: string) => graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{ports: ${ports}}]
`);

  it('endPort makes an inclusive range', () => {
    const graph = policy('[{port: 8000, endPort: 8080}]');
    const allowed = (port: number) => graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), port, 'TCP').allowed;
    assert.deepEqual([7999, 8000, 8080, 8081].map(allowed), [false, true, true, false]);
  });

  it('a named port resolves against the destination container port, with its protocol', () => {
    const graph = policy('[{port: http}, {port: dns, protocol: UDP}]');
    const allowed = (port: number, protocol: 'TCP' | 'UDP') => graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), port, protocol).allowed;
    assert.equal(allowed(8080, 'TCP'), true);
    assert.equal(allowed(80, 'TCP'), false);
    assert.equal(allowed(5353, 'UDP'), true);
    assert.equal(allowed(5353, 'TCP'), false);
  });

  it('a named port with the wrong protocol matches nothing', () => {
    const graph = policy('[{port: dns}]');
    assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 5353, 'UDP').allowed, false);
    assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 5353, 'TCP').allowed, false);
  });

  it('allowedPorts intersects egress and ingress exactly', () => {
    const graph = graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in, namespace: app}
spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{ports: [{port: 8000, endPort: 9000}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: other}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: http}, {port: 9000, endPort: 9999}]}]}
`);
    const client = graph.findEndpoint('other/client')!;
    const web = graph.findEndpoint('app/web')!;
    assert.equal(describePorts(graph.allowedPorts(client, web).sure), 'TCP 8080, 9000');
    assert.equal(graph.reachesOnSomePort(client, web), YES);
    assert.equal(graph.reachesOnSomePort(web, client), YES, 'neither side of web -> client is isolated');
  });
});

const METADATA_V4 = ip('169.254.169.254');
const METADATA_V6 = ip('fd00:ec2::254');

describe('ipBlock and the cloud metadata service', () => {
  const egress = (rules: string) => graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: app}
spec: {podSelector: {}, policyTypes: [Egress], egress: ${rules}}
`);
  const toMetadata = (graph: NetpolGraph, target = METADATA_V4) => graph.reach(pod(graph, 'app/web'), target, 80, 'TCP');

  it('an unisolated pod reaches the metadata service; only egress matters for an external IP', () => {
    const graph = graphOf(PODS);
    assert.deepEqual(toMetadata(graph), {
      allowed: true,
      egress: { isolated: false, allowed: true, policies: [] },
      ingress: { isolated: false, allowed: true, policies: [] },
      notes: [],
    });
  });

  it('0.0.0.0/0 except 169.254.169.254/32 closes IPv4 metadata but not the IPv6 endpoint', () => {
    const graph = egress('[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]}]');
    assert.equal(toMetadata(graph).allowed, false);
    assert.equal(toMetadata(graph, METADATA_V6).allowed, false, 'an IPv4 block does not hold fd00:ec2::254');
    assert.equal(graph.reach(pod(graph, 'app/web'), ip('169.254.169.253'), 80, 'TCP').allowed, true);
  });

  it('::/0 without except opens the IPv6 metadata endpoint', () => {
    const graph = egress('[{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}}, {ipBlock: {cidr: "::/0"}}]}]');
    assert.equal(toMetadata(graph).allowed, false);
    const v6 = toMetadata(graph, METADATA_V6);
    assert.equal(v6.allowed, true);
    assert.deepEqual(v6.egress.policies, ['egress']);
  });

  it('selectors never match an external address', () => {
    const graph = egress('[{to: [{namespaceSelector: {}}]}]');
    assert.equal(toMetadata(graph).allowed, false);
    assert.equal(graph.reach(pod(graph, 'app/web'), pod(graph, 'other/client'), 80, 'TCP').allowed, true);
  });

  it('an ingress ipBlock matches source pods by their IPs, IPv6 included', () => {
    const graph = graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-v6, namespace: other}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: "fd00:10::/64"}}]}]}
`);
    assert.equal(graph.reach(pod(graph, 'app/web'), pod(graph, 'other/client'), 80, 'TCP').allowed, true);
    assert.equal(graph.reach(ip('fd00:10::99'), pod(graph, 'other/client'), 80, 'TCP').allowed, true);
    assert.equal(graph.reach(ip('fd00:11::99'), pod(graph, 'other/client'), 80, 'TCP').allowed, false);
    assert.equal(graph.reach(ip('10.1.0.10'), pod(graph, 'other/client'), 80, 'TCP').allowed, false);
  });

  it('a quoted numeric port is a problem: the API server rejects it as a port name', () => {
    const graph = egress('[{ports: [{port: "80"}]}]');
    assert.deepEqual(graph.problems.map((p) => p.field), ['spec.egress[0].ports[0].port']);
    assert.equal(graph.reach(pod(graph, 'app/web'), ip('10.0.0.1'), 80, 'TCP').allowed, false);
  });

  it('invalid CIDRs and peers are problems, and match nothing', () => {
    const graph = egress('[{to: [{ipBlock: {cidr: 10.0.0.0/33}}, {ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}, {}]}]');
    assert.deepEqual(graph.problems.map((p) => p.field), ['spec.egress[0].to[0].ipBlock', 'spec.egress[0].to[1]', 'spec.egress[0].to[2]']);
    assert.equal(graph.reach(pod(graph, 'app/web'), ip('10.0.0.1'), 80, 'TCP').allowed, false);
  });
});

describe('templates, unknown labels and hostNetwork', () => {
  const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: jobs}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: w, image: w}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {hostNetwork: true, containers: [{name: a, image: a}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: scaled-down, namespace: shop}
spec:
  replicas: 0
  selector: {matchLabels: {app: old}}
  template:
    metadata: {labels: {app: old}}
    spec: {containers: [{name: o, image: o}]}
`;

  it('workload templates stand for their pods; scaled-to-zero workloads run none', () => {
    const graph = graphOf(MANIFESTS);
    assert.deepEqual(graph.endpoints.map((e) => e.id), ['shop/deployment/api', 'jobs/deployment/worker', 'monitoring/daemonset/agent']);
  });

  it('a workload whose pods are in the input is represented by the pods only', () => {
    const graph = graphOf(`${MANIFESTS}---
apiVersion: v1
kind: Pod
metadata: {name: api-7d9f-abcde, namespace: shop, labels: {app: api}}
spec: {containers: [{name: api, image: api}]}
status: {podIP: 10.9.0.1}
`);
    assert.deepEqual(graph.endpoints.map((e) => e.id), ['shop/api-7d9f-abcde', 'jobs/deployment/worker', 'monitoring/daemonset/agent']);
  });

  it('a namespaceSelector on labels of a namespace not in the input is unknown, the name label is not', () => {
    const graph = graphOf(`${MANIFESTS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-jobs, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: jobs}}}]
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, podSelector: {matchLabels: {app: nothing}}}]
---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
`);
    const verdict = graph.reach(pod(graph, 'jobs/deployment/worker'), pod(graph, 'shop/deployment/api'), 8080, 'TCP');
    assert.equal(verdict.allowed, null);
    assert.equal(verdict.ingress.allowed, null);
    assert.match(verdict.notes.join('\n'), /namespace "jobs" has no Namespace object/);
    const matrix = graph.matrix({ port: 8080, protocol: 'TCP' });
    assert.equal(matrix.betweenNamespaces('jobs', 'shop'), UNKNOWN);
    assert.equal(matrix.betweenNamespaces('monitoring', 'shop'), NO, 'monitoring has a Namespace object: its labels are known');
  });

  it('an ipBlock cannot be decided for a template, which has no IP', () => {
    const graph = graphOf(`${MANIFESTS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-cidr, namespace: shop}
spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}
`);
    const verdict = graph.reach(pod(graph, 'jobs/deployment/worker'), pod(graph, 'shop/deployment/api'), 8080, 'TCP');
    assert.equal(verdict.allowed, null);
    assert.match(verdict.notes.join('\n'), /jobs\/deployment\/worker has no IP/);
    assert.equal(graph.reach(ip('10.3.3.3'), pod(graph, 'shop/deployment/api'), 8080, 'TCP').allowed, true);
    assert.equal(graph.reach(ip('192.168.0.1'), pod(graph, 'shop/deployment/api'), 8080, 'TCP').allowed, false);
  });

  it('a block of every address but link-local/loopback holds a template, once the input shows the pod address family', () => {
    const policy = (peers: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-anywhere, namespace: shop}
spec: {podSelector: {}, ingress: [{from: ${peers}}]}
`;
    const worker = (graph: NetpolGraph) => graph.reach(pod(graph, 'jobs/deployment/worker'), pod(graph, 'shop/deployment/api'), 8080, 'TCP').allowed;
    const v4 = '[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32, 127.0.0.0/8]}}]';
    const both = '[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}, {ipBlock: {cidr: "::/0"}}]';
    const ula = '[{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}, {ipBlock: {cidr: "::/0", except: ["fd00:ec2::254/128"]}}]';
    assert.equal(worker(graphOf(MANIFESTS + policy(v4))), null, 'no pod IP in the input: the family is unknown');
    assert.equal(worker(graphOf(MANIFESTS + policy(both))), true, 'both families are covered');
    assert.equal(worker(graphOf(MANIFESTS + policy(ula))), null, 'fd00:ec2::254 is a unique-local address, which pods may get');
    const withPod = `${MANIFESTS}---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: jobs, labels: {app: other}}
spec: {containers: [{name: o, image: o}]}
status: {podIP: 10.9.0.9}
`;
    assert.equal(worker(graphOf(withPod + policy(v4))), true, 'pods get IPv4 addresses');
    assert.equal(worker(graphOf(withPod + policy('[{ipBlock: {cidr: "::/0"}}]'))), false, 'an IPv6 block holds no address of an IPv4 cluster');
    assert.equal(worker(graphOf(withPod + policy('[{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]'))), null, 'the except may hold the pod');
  });

  it('hostNetwork pods are not isolated, with a note; as peers of a selector they are undecided', () => {
    const graph = graphOf(`${MANIFESTS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: monitoring}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-monitoring, namespace: shop}
spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}]}
`);
    const out = graph.reach(pod(graph, 'monitoring/daemonset/agent'), METADATA_V4, 80, 'TCP');
    assert.equal(out.allowed, true);
    assert.equal(out.egress.isolated, false);
    assert.match(out.notes.join('\n'), /hostNetwork/);
    const toShop = graph.reach(pod(graph, 'monitoring/daemonset/agent'), pod(graph, 'shop/deployment/api'), 8080, 'TCP');
    assert.equal(toShop.allowed, null);
  });
});

describe('matrix', () => {
  it('namespace matrix agrees with reach() over every pair', () => {
    const graph = graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-team, namespace: app}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {team: web}}}], ports: [{port: http}]}]
`);
    const matrix = graph.matrix({ port: 8080, protocol: 'TCP' });
    assert.equal(matrix.betweenNamespaces('other', 'app'), NO);
    assert.equal(matrix.betweenNamespaces('app', 'other'), YES);
    for (const a of graph.endpoints) {
      for (const b of graph.endpoints) {
        const direct = graph.reach({ endpoint: a }, { endpoint: b }, 8080, 'TCP').allowed;
        assert.equal(matrix.between(a, b), direct === true ? YES : direct === false ? NO : UNKNOWN);
      }
    }
  });

  it('"any" port finds candidates that allowedPorts then confirms or rejects', () => {
    const graph = graphOf(`${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in-9000, namespace: app}
spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{ports: [{port: 9000}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out-80, namespace: other}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 80}]}]}
`);
    const client = graph.findEndpoint('other/client')!;
    const web = graph.findEndpoint('app/web')!;
    assert.equal(graph.matrix('any').between(client, web), YES, 'each side allows some port');
    assert.equal(graph.reachesOnSomePort(client, web), NO, 'but no port is allowed by both');
  });
});

describeWithCorpus('real-world', 'real world: Argo CD install.yaml (7 NetworkPolicies, no namespace given)', (realWorld) => {
  const graph = new NetpolGraph(inventoryFromYaml(readFileSync(join(realWorld, 'argo-cd/install.yaml'), 'utf8'), 'argo-cd/install.yaml'));
  const at = (name: string) => pod(graph, `default/${name}`);
  const reach = (from: string, to: string, port: number) => graph.reach(at(from), at(to), port, 'TCP');

  it('models the 6 Deployments and the StatefulSet as templates, all isolated for ingress and none for egress', () => {
    assert.equal(graph.policies.length, 7);
    assert.deepEqual(graph.problems, []);
    assert.equal(graph.endpoints.length, 7);
    assert.ok(graph.endpoints.every((e) => e.template && graph.isIsolated(e, 'ingress') && !graph.isIsolated(e, 'egress')));
  });

  it('redis accepts 6379 from server, repo-server and application-controller only', () => {
    assert.deepEqual(reach('deployment/argocd-server', 'deployment/argocd-redis', 6379).ingress.policies, ['argocd-redis-network-policy']);
    assert.equal(reach('deployment/argocd-repo-server', 'deployment/argocd-redis', 6379).allowed, true);
    assert.equal(reach('statefulset/argocd-application-controller', 'deployment/argocd-redis', 6379).allowed, true);
    assert.equal(reach('deployment/argocd-dex-server', 'deployment/argocd-redis', 6379).allowed, false);
    assert.equal(reach('deployment/argocd-server', 'deployment/argocd-redis', 6380).allowed, false);
  });

  it('argocd-server allows every ingress; dex 5556 only from argocd-server, 5558 from anywhere', () => {
    assert.equal(reach('deployment/argocd-redis', 'deployment/argocd-server', 12345).allowed, true);
    assert.equal(reach('deployment/argocd-server', 'deployment/argocd-dex-server', 5556).allowed, true);
    assert.equal(reach('deployment/argocd-repo-server', 'deployment/argocd-dex-server', 5556).allowed, false);
    assert.equal(reach('deployment/argocd-repo-server', 'deployment/argocd-dex-server', 5558).allowed, true);
    assert.equal(graph.reach(ip('203.0.113.9'), at('deployment/argocd-dex-server'), 5558, 'TCP').allowed, false, 'namespaceSelector {} selects pods, not external IPs');
  });

  it('every Argo CD workload can reach the cloud metadata service (no egress policy)', () => {
    for (const endpoint of graph.endpoints) {
      assert.equal(graph.reach({ endpoint }, METADATA_V4, 80, 'TCP').allowed, true, endpoint.id);
    }
  });
});

describe('semantics per Kubernetes release', () => {
  const POLICY = `${PODS}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: range, namespace: app}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}], ports: [{port: 8000, endPort: 8080}]}]
`;
  const at = (version?: string) => new NetpolGraph(inventoryFromYaml(POLICY), { k8sVersion: version ? parseKubeVersion(version) : undefined });

  it('the current semantics when the version is unknown, and from 1.22 on', () => {
    for (const graph of [at(), at('1.22.0'), at('v1.31.2')]) {
      assert.deepEqual(graph.semantics, { endPort: true, namespaceNameLabel: true });
      assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 8080, 'TCP').allowed, true);
    }
  });

  it('before 1.22 the API server drops endPort: only the first port is allowed', () => {
    const graph = at('1.21.14');
    assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 8000, 'TCP').allowed, true);
    assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 8080, 'TCP').allowed, false);
  });

  it('before 1.21 namespaces carry no kubernetes.io/metadata.name label', () => {
    const graph = at('1.20.15');
    assert.deepEqual(graph.semantics, { endPort: false, namespaceNameLabel: false });
    assert.equal(graph.reach(pod(graph, 'other/client'), pod(graph, 'app/web'), 8000, 'TCP').allowed, false);
  });
});
