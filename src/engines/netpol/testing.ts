// Builders for NetworkPolicy tests: the topology of the upstream e2e tests (kubernetes
// test/e2e/network/netpol: namespaces x, y, z labelled ns=<name>; pods a, b, c labelled
// pod=<name>, one container per port and protocol with a port named serve-<port>-<protocol>) and
// its truth tables. Used by tests only.

import assert from 'node:assert/strict';
import { inventoryFromYaml } from '../../testing/index.js';
import { NetpolGraph, triToBoolean } from './engine.js';
import type { Protocol } from './ports.js';

const NS_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };
const POD_INDEX: Record<string, number> = { a: 1, b: 2, c: 3 };

/** The pod's IPv4 address in these tests: 10.0.<namespace>.<pod>. */
export function podIp(pod: string): string {
  const [ns, name] = pod.split('/') as [string, string];
  return `10.0.${NS_INDEX[ns]}.${POD_INDEX[name]}`;
}

/** Namespaces x, y, z and the pods, as upstream's model creates them. */
export function e2eCluster(pods: string[], ports: number[], protocols: Protocol[] = ['TCP']): string {
  const docs = ['x', 'y', 'z'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {ns: ${ns}}}`);
  for (const pod of pods) {
    const [ns, name] = pod.split('/') as [string, string];
    const containers = ports.flatMap((port) =>
      protocols.map((p) => `{name: cont-${port}-${p.toLowerCase()}, image: agnhost, ports: [{containerPort: ${port}, name: serve-${port}-${p.toLowerCase()}, protocol: ${p}}]}`),
    );
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {pod: ${name}}}
spec:
  containers: [${containers.join(', ')}]
status: {phase: Running, podIP: ${podIp(pod)}, podIPs: [{ip: ${podIp(pod)}}]}`);
  }
  return docs.join('\n---\n');
}

interface PeerSpec {
  ns?: string;
  pod?: string;
}

/** Upstream's Reachability: a truth table over every pair of pods, default allowed. */
export class Expected {
  private readonly table = new Map<string, boolean>();
  constructor(readonly pods: string[], fallback = true) {
    for (const from of pods) for (const to of pods) this.table.set(`${from}>${to}`, fallback);
  }
  expect(from: string, to: string, connected: boolean): this {
    this.table.set(`${from}>${to}`, connected);
    return this;
  }
  expectPeer(from: PeerSpec, to: PeerSpec, connected: boolean): this {
    const matches = (p: PeerSpec, pod: string) => (!p.ns || pod.startsWith(`${p.ns}/`)) && (!p.pod || pod.endsWith(`/${p.pod}`));
    for (const f of this.pods) for (const t of this.pods) if (matches(from, f) && matches(to, t)) this.expect(f, t, connected);
    return this;
  }
  allIngress(pod: string, connected: boolean): this {
    for (const from of this.pods) this.expect(from, pod, connected);
    return this;
  }
  allEgress(pod: string, connected: boolean): this {
    for (const to of this.pods) this.expect(pod, to, connected);
    return this;
  }
  get(from: string, to: string): boolean {
    return this.table.get(`${from}>${to}`)!;
  }
}

/** Checks every non-loopback pair; returns the pairs where the engine disagrees. */
export function mismatches(yaml: string, expected: Expected, port: number, protocol: Protocol = 'TCP'): string[] {
  const graph = new NetpolGraph(inventoryFromYaml(yaml));
  assert.deepEqual(graph.problems, []);
  const matrix = graph.matrix({ port, protocol });
  const wrong: string[] = [];
  for (const from of expected.pods) {
    for (const to of expected.pods) {
      if (from === to) continue;
      const source = graph.findEndpoint(from)!;
      const destination = graph.findEndpoint(to)!;
      const want = expected.get(from, to);
      const direct = graph.reach({ endpoint: source }, { endpoint: destination }, port, protocol).allowed;
      const viaMatrix = triToBoolean(matrix.between(source, destination));
      if (direct !== want || viaMatrix !== want) wrong.push(`${from} -> ${to} ${port}/${protocol}: want ${want}, reach ${direct}, matrix ${viaMatrix}`);
    }
  }
  return wrong;
}
