// NetworkPolicy engine at scale: 20,000 pods in 1,000 namespaces with 5,000 policies.
// Targets (issue 5): the cloud-metadata check over every pod < 2 s; a namespace x namespace
// matrix < 5 s; peak memory reported. The work runs in a child process so its peak RSS
// (process.resourceUsage().maxRSS) is its own.

import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import podCanReachCloudMetadata from '../src/checks/cloud-metadata/pod-can-reach-cloud-metadata.js';
import namespaceReachableFromEveryNamespace from '../src/checks/network-access/namespace-reachable-from-every-namespace.js';
import { NetpolGraph, reachabilityTable } from '../src/engines/netpol/index.js';
import { Inventory } from '../src/inventory/inventory.js';
import { refOf, type Item, type K8sObject } from '../src/inventory/types.js';
import { createContext, evaluateCheck } from '../src/scan/run.js';

const NAMESPACES = 1_000;
const PODS_PER_NAMESPACE = 20;
const APPS = 4;

function item(object: K8sObject): Item {
  return { object, ref: refOf(object), location: { file: 'generated' } };
}

/**
 * Every namespace: 4 apps x 5 pods with IPs and named ports, and 5 policies (default deny both
 * ways; DNS egress to kube-dns; app-0 open to the namespaces of the same team on a named port;
 * app-1 egress to 0.0.0.0/0 except the metadata address, without except in one namespace in
 * ten; app-2 open to app-3 on a port range).
 */
export function generate(): Inventory {
  const items: Item[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    const team = `team-${n % 25}`;
    items.push(item({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team, env: n % 3 === 0 ? 'prod' : 'dev' } } }));
    for (let p = 0; p < PODS_PER_NAMESPACE; p++) {
      const app = `app-${p % APPS}`;
      items.push(item({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${p}`, namespace: ns, labels: { app, tier: p % APPS < 2 ? 'web' : 'data', 'pod-template-hash': `h${n % 7}` } },
        spec: { containers: [{ name: 'main', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
        status: { phase: 'Running', podIP: `10.${n >> 8}.${n & 255}.${p + 1}` },
      }));
    }
    const policy = (name: string, spec: Record<string, unknown>) => items.push(item({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec }));
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    });
    policy('app-0-from-team', { podSelector: { matchLabels: { app: 'app-0' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 'http' }] }] });
    policy('app-1-internet', {
      podSelector: { matchLabels: { app: 'app-1' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: n % 10 === 0 ? { cidr: '0.0.0.0/0' } : { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }],
    });
    policy('app-2-from-app-3', { podSelector: { matchLabels: { app: 'app-2' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'app-3' } } }], ports: [{ port: 8080, endPort: 8090 }] }] });
  }
  return new Inventory(items);
}

/** Wall and CPU milliseconds of a phase: the machine may be shared, CPU time is the work done. */
function timed<T>(figures: Record<string, string | number>, name: string, work: () => T): T {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = work();
  figures[`${name}Ms`] = Math.round(performance.now() - start);
  const used = process.cpuUsage(cpu);
  figures[`${name}CpuMs`] = Math.round((used.user + used.system) / 1000);
  return result;
}

function measure(): Record<string, string | number> {
  const inventory = generate();
  const figures: Record<string, string | number> = {
    pods: inventory.ofKind('Pod').length,
    namespaces: inventory.ofKind('Namespace').length,
    policies: inventory.ofKind('NetworkPolicy').length,
  };

  // The metadata check as a scan runs it: the engine is built inside, through ctx.shared.
  const ctx = createContext(inventory, undefined, new Date(0));
  const metadata = timed(figures, 'metadataCheck', () => evaluateCheck(podCanReachCloudMetadata, ctx));
  figures.metadataFailingNamespaces = metadata.filter((r) => r.status === 'fail').length;
  figures.metadataPassingNamespaces = metadata.filter((r) => r.status === 'pass').length;

  const graph = timed(figures, 'engineBuild', () => new NetpolGraph(inventory));
  const table = timed(figures, 'namespaceMatrix8080', () => reachabilityTable(graph, { port: 8080, protocol: 'TCP' }));
  figures.namespaceMatrixCellsAllowed = table.allowed.flat().filter((v) => v === true).length;
  figures.namespaceMatrixCellsUndecided = table.allowed.flat().filter((v) => v === null).length;
  const anyPort = timed(figures, 'namespaceMatrixAnyPort', () => reachabilityTable(graph, {}));
  figures.namespaceMatrixAnyPortCellsAllowed = anyPort.allowed.flat().filter((v) => v === true).length;
  const reachable = timed(figures, 'reachableFromEveryNamespaceCheck', () => evaluateCheck(namespaceReachableFromEveryNamespace, ctx));
  figures.reachableFromEveryNamespaceFails = reachable.filter((r) => r.status === 'fail').length;

  figures.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  figures.heapUsedMB = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
  return figures;
}

export async function run(): Promise<void> {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, KUBEWARD_NETPOL_BENCH_CHILD: '1' }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const figures = JSON.parse(out) as Record<string, string | number>;
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  process.stdout.write(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs; wall times include waiting for a CPU\n`);
  process.stdout.write(`targets: metadata check < 2000 ms (${Number(figures.metadataCheckMs) < 2000 ? 'met' : 'MISSED'}), namespace matrix < 5000 ms (${Number(figures.namespaceMatrix8080Ms) < 5000 ? 'met' : 'MISSED'})\n`);
}

if (process.env.KUBEWARD_NETPOL_BENCH_CHILD) process.stdout.write(JSON.stringify(measure()));
