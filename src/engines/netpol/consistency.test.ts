// The ways the engine answers (reach() per pair, the class bitset matrix, the exact port-set
// intersection, and namespace reach) must agree on every pair, for many generated clusters mixing every
// feature: templates without IPs, namespaces without Namespace objects, hostNetwork pods,
// IPv4/IPv6 ipBlocks with except, named ports, endPort, protocols, policyTypes defaults.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryFromYaml } from '../../testing/index.js';
import { NetpolGraph, NO, UNKNOWN, YES, reachabilityTable, triToBoolean, type Tri } from './engine.js';
import { isEmptyPortSet, type Protocol } from './ports.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generateCluster(seed: number): string {
  const rnd = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;
  const docs: string[] = [];
  const namespaces = ['a', 'b', 'c'];
  for (const ns of namespaces) if (rnd() < 0.7) docs.push(`{apiVersion: v1, kind: Namespace, metadata: {name: ${ns}, labels: {tier: ${pick(['web', 'data'])}}}}`);
  for (let i = 0; i < 7; i++) {
    const ns = pick(namespaces);
    const app = pick(['x', 'y', 'z']);
    const ports = `[{name: http, containerPort: ${pick([80, 8080])}}, {name: dns, containerPort: 53, protocol: UDP}]`;
    const hostNetwork = rnd() < 0.1;
    if (rnd() < 0.3) {
      docs.push(`{apiVersion: apps/v1, kind: Deployment, metadata: {name: d${i}, namespace: ${ns}}, spec: {selector: {matchLabels: {app: t${i}}}, template: {metadata: {labels: {app: ${app}, id: t${i}}}, spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: i, ports: ${ports}}]}}}}`);
    } else {
      const ip = seed % 4 === 0 ? '' : rnd() < 0.8 ? `10.${namespaces.indexOf(ns)}.0.${i + 1}` : `fd00::${i + 1}`;
      docs.push(`{apiVersion: v1, kind: Pod, metadata: {name: p${i}, namespace: ${ns}, labels: {app: ${app}}}, spec: {hostNetwork: ${hostNetwork}, containers: [{name: c, image: i, ports: ${ports}}]}, status: {podIP: "${ip}"}}`.replace(', status: {podIP: ""}', ''));
    }
  }
  const peer = () => pick([
    `{podSelector: {matchLabels: {app: ${pick(['x', 'y', 'z'])}}}}`,
    `{namespaceSelector: {matchLabels: {tier: ${pick(['web', 'data'])}}}}`,
    `{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${pick(namespaces)}}}, podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [${pick(['x', 'y'])}]}]}}`,
    `{namespaceSelector: {}}`,
    `{ipBlock: {cidr: 10.0.0.0/8, except: [10.${Math.floor(rnd() * 3)}.0.0/16]}}`,
    `{ipBlock: {cidr: "fd00::/64"}}`,
    `{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}`,
    `{ipBlock: {cidr: "::/0"}}`,
  ]);
  const ports = () => pick(['', 'ports: [{port: http}]', 'ports: [{port: 80}]', 'ports: [{port: 53, protocol: UDP}]', 'ports: [{port: 8000, endPort: 8080}]', 'ports: [{protocol: UDP}]', 'ports: [{port: dns}]']);
  const rule = (dir: 'from' | 'to') => {
    const peers = rnd() < 0.2 ? '' : `${dir}: [${peer()}${rnd() < 0.4 ? `, ${peer()}` : ''}]`;
    return `{${[peers, ports()].filter(Boolean).join(', ')}}`;
  };
  for (let i = 0; i < 5; i++) {
    const ingress = rnd() < 0.7 ? `ingress: [${Array.from({ length: Math.floor(rnd() * 3) }, () => rule('from')).join(', ')}]` : '';
    const egress = rnd() < 0.5 ? `egress: [${Array.from({ length: Math.floor(rnd() * 3) }, () => rule('to')).join(', ')}]` : '';
    const types = pick(['', 'policyTypes: [Ingress]', 'policyTypes: [Egress]', 'policyTypes: [Ingress, Egress]']);
    const selector = pick(['{}', `{matchLabels: {app: ${pick(['x', 'y', 'z'])}}}`]);
    docs.push(`{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: np${i}, namespace: ${pick(namespaces)}}, spec: {podSelector: ${selector}, ${[types, ingress, egress].filter(Boolean).join(', ')}}}`);
  }
  return docs.join('\n---\n');
}

const PROBES: [number, Protocol][] = [[80, 'TCP'], [8080, 'TCP'], [53, 'UDP'], [53, 'TCP'], [9999, 'SCTP']];
const toTri = (b: boolean | null): Tri => (b === true ? YES : b === false ? NO : UNKNOWN);

describe('engine consistency over generated clusters', () => {
  it('reach(), the class matrix, namespace matrices, namespace reach and port sets agree on 300 clusters', () => {
    let decided = 0;
    let unisolatedPairs = 0;
    let undecided = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const yaml = generateCluster(seed);
      const graph = new NetpolGraph(inventoryFromYaml(yaml));
      const endpoints = graph.endpoints;
      for (const [port, protocol] of PROBES) {
        const matrix = graph.matrix({ port, protocol });
        const namespaceBest = new Map<string, Tri>();
        for (const s of endpoints) {
          for (const d of endpoints) {
            const direct = toTri(graph.reach({ endpoint: s }, { endpoint: d }, port, protocol).allowed);
            assert.equal(matrix.between(s, d), direct, `seed ${seed}: ${s.id} -> ${d.id} ${port}/${protocol}\n${yaml}`);
            if (direct === UNKNOWN) undecided++;
            else decided++;
            const key = `${s.namespace}>${d.namespace}`;
            namespaceBest.set(key, Math.max(namespaceBest.get(key) ?? NO, direct) as Tri);
            // The port sets must hold every probe the pair is allowed on, and nothing it is denied.
            const some = graph.reachesOnSomePort(s, d, protocol);
            if (direct === YES) assert.equal(some, YES, `seed ${seed}: port sets miss ${port}/${protocol} for ${s.id} -> ${d.id}`);
            if (some === NO) assert.equal(direct, NO, `seed ${seed}: port sets deny ${port}/${protocol} for ${s.id} -> ${d.id}`);
          }
        }
        const table = reachabilityTable(graph, { port, protocol });
        table.rows.forEach((from, r) => table.cols.forEach((to, c) => assert.equal(table.allowed[r]![c], triToBoolean(namespaceBest.get(`${from}>${to}`) ?? NO), `seed ${seed}: ${from} -> ${to}`)));
      }
      // Namespace reach on some port: the best exact answer over every pair of their endpoints.
      const someBest = new Map<string, Tri>();
      for (const s of endpoints) {
        for (const d of endpoints) {
          const key = `${s.namespace}>${d.namespace}`;
          // From the port sets themselves: reachesOnSomePort skips them when neither side is isolated.
          const ports = graph.allowedPorts(s, d);
          const some: Tri = !isEmptyPortSet(ports.sure) ? YES : !isEmptyPortSet(ports.possible) ? UNKNOWN : NO;
          assert.equal(graph.reachesOnSomePort(s, d), some, `seed ${seed}: ${s.id} -> ${d.id} on some port`);
          someBest.set(key, Math.max(someBest.get(key) ?? NO, some) as Tri);
        }
      }
      const namespaces = [...new Set(endpoints.map((e) => e.namespace))];
      const reach = graph.namespaceReach();
      for (const from of namespaces) {
        for (const to of namespaces) {
          assert.equal(reach.between(from, to), someBest.get(`${from}>${to}`), `seed ${seed}: ${from} -> ${to} on some port, by namespace`);
          // What namespace-reachable-from-every-namespace skips: such pairs surely reach.
          if (reach.unisolated(from, 'egress') && reach.unisolated(to, 'ingress')) {
            unisolatedPairs++;
            assert.equal(someBest.get(`${from}>${to}`), YES, `seed ${seed}: ${from} -> ${to} unisolated`);
          }
        }
      }
      const anyPort = reachabilityTable(graph, { pods: true });
      anyPort.rows.forEach((from, r) => anyPort.cols.forEach((to, c) => {
        assert.equal(anyPort.allowed[r]![c], triToBoolean(graph.reachesOnSomePort(graph.findEndpoint(from)!, graph.findEndpoint(to)!)), `seed ${seed}: ${from} -> ${to} on some port`);
      }));
    }
    // The generator must exercise both decided and undecided answers.
    assert.ok(decided > 10_000 && undecided > 500, `decided ${decided}, undecided ${undecided}`);
    assert.ok(unisolatedPairs > 100, `unisolated pairs ${unisolatedPairs}`);
  });
});
