// The cloud-metadata egress policy is safe because only metadata reach is lost: the reachability
// engine judges every pod of a fixed namespace before and after, towards the metadata addresses,
// an address on the internet, a pod of another namespace and one of its own. Both checks that add
// it (pod-can-reach-cloud-metadata, namespace-without-network-policy) share the one object. A
// namespace where no pod is governed by policies gets a default-deny ingress policy instead, which
// the engine shows changes nothing for the host-network pods there.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { NetpolGraph, parseIp, type Party } from '../engines/netpol/index.js';
import type { K8sObject } from '../inventory/types.js';
import { tempTree } from '../testing/cli.js';
import { inventoryFromYaml } from '../testing/index.js';
import { planFixes, writeFixes, type FixOutcome } from './run.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const namespaceYaml = (name: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {kubernetes.io/metadata.name: ${name}}}
`;
const podYaml = (namespace: string, name: string, image: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: {app: ${name}}}
spec: {containers: [{name: ${name}, image: ${image}}]}
status: {podIP: ${ip}}
`;

const CLUSTER = [
  namespaceYaml('shop'),
  namespaceYaml('db'),
  podYaml('shop', 'web', 'nginx:1.27', '10.0.0.5'),
  podYaml('shop', 'worker', 'busybox:1.36', '10.0.0.6'),
  podYaml('db', 'postgres', 'postgres:16', '10.0.1.7'),
].join('---\n');

const ip = (text: string): Party => ({ ip: parseIp(text)!, text });

function reachability(yaml: string): Record<string, boolean | null> {
  const graph = new NetpolGraph(inventoryFromYaml(yaml));
  const pod = (id: string): Party => ({ endpoint: graph.findEndpoint(id)! });
  const out: Record<string, boolean | null> = {};
  for (const from of ['shop/web', 'shop/worker']) {
    out[`${from} -> 169.254.169.254:80`] = graph.reach(pod(from), ip('169.254.169.254'), 80, 'TCP').allowed;
    out[`${from} -> fd00:ec2::254:80`] = graph.reach(pod(from), ip('fd00:ec2::254'), 80, 'TCP').allowed;
    out[`${from} -> 8.8.8.8:443`] = graph.reach(pod(from), ip('8.8.8.8'), 443, 'TCP').allowed;
    out[`${from} -> db/postgres:5432`] = graph.reach(pod(from), pod('db/postgres'), 5432, 'TCP').allowed;
    out[`${from} -> shop/web:80`] = graph.reach(pod(from), pod('shop/web'), 80, 'TCP').allowed;
  }
  return out;
}

for (const check of ['pod-can-reach-cloud-metadata', 'namespace-without-network-policy']) {
  it(`${check}: the metadata egress policy takes away metadata reach and nothing else (reachability engine)`, async () => {
    const { dir, cleanup } = tempTree({ 'cluster.yaml': CLUSTER });
    try {
      const outcome = await planFixes({ paths: [dir], unsafe: false, only: [check], now: NOW });
      assert.deepEqual(outcome.introduced, []);
      assert.ok(outcome.fixed.some((f) => f.check === check));
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const before = reachability(CLUSTER);
      const after = reachability(`${CLUSTER}---\n${await readFile(join(dir, 'kubeward-fixes.yaml'), 'utf8')}`);
      for (const [path, verdict] of Object.entries(before)) {
        assert.equal(verdict, true, `before: ${path}`);
        assert.equal(after[path], /169\.254|fd00:ec2/.test(path) ? false : true, `after: ${path}`);
      }
    } finally {
      cleanup();
    }
  });
}

/** The objects a fix adds, from its kubeward-fixes.yaml change. */
function added(outcome: FixOutcome): K8sObject[] {
  const text = outcome.changes.find((c) => c.action === 'add')?.after ?? '';
  return parseAllDocuments(text).map((d) => d.toJSON() as K8sObject).filter((o) => o !== null);
}

const policyNames = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

it('both checks add one metadata policy per namespace, attributed to both', async () => {
  const { dir, cleanup } = tempTree({ 'cluster.yaml': CLUSTER });
  try {
    const outcome = await planFixes({ paths: [dir], unsafe: false, only: ['pod-can-reach-cloud-metadata', 'namespace-without-network-policy'], now: NOW });
    assert.deepEqual(policyNames(added(outcome)), ['db/kubeward-deny-cloud-metadata-egress', 'shop/kubeward-deny-cloud-metadata-egress']);
    assert.deepEqual(outcome.changes.find((c) => c.action === 'add')?.checks.sort(), ['namespace-without-network-policy', 'pod-can-reach-cloud-metadata']);
  } finally {
    cleanup();
  }
});

/** An empty namespace, one whose only workload runs on the host network, and one with a pod. */
const NO_GOVERNED_PODS = [
  namespaceYaml('tools'),
  namespaceYaml('monitoring'),
  namespaceYaml('shop'),
  `apiVersion: v1
kind: Pod
metadata: {name: node-exporter, namespace: monitoring, labels: {app: node-exporter}}
spec:
  hostNetwork: true
  containers: [{name: node-exporter, image: quay.io/prometheus/node-exporter:v1.8.2, ports: [{containerPort: 9100}]}]
status: {podIP: 192.168.0.4}
`,
  podYaml('shop', 'web', 'nginx:1.27', '10.0.0.5'),
].join('---\n');

it('a namespace with no pod, or only host-network pods, gets a default-deny ingress policy that changes nothing today; idempotent', async () => {
  const { dir, cleanup } = tempTree({ 'cluster.yaml': NO_GOVERNED_PODS });
  try {
    const outcome = await planFixes({ paths: [dir], unsafe: false, only: ['namespace-without-network-policy'], now: NOW });
    const objects = added(outcome);
    assert.deepEqual(policyNames(objects), ['monitoring/kubeward-default-deny-ingress', 'shop/kubeward-deny-cloud-metadata-egress', 'tools/kubeward-default-deny-ingress']);
    for (const namespace of ['tools', 'monitoring']) {
      assert.deepEqual(objects.find((o) => o.metadata?.namespace === namespace)?.spec, { podSelector: {}, policyTypes: ['Ingress'] });
    }
    assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
    assert.deepEqual(outcome.introduced, []);
    assert.deepEqual(outcome.remaining.filter((r) => r.finding.check === 'namespace-without-network-policy'), []);
    // A policy in a namespace without pods is not judged by network-policy-selects-nothing, and one with {} selects the host-network pod.
    assert.deepEqual(outcome.after.findings.filter((f) => f.check === 'network-policy-selects-nothing' && f.status === 'fail'), []);
    assert.deepEqual(await writeFixes(outcome.changes), []);

    // The host-network pod is still open both ways: policies do not apply to it.
    const yaml = `${NO_GOVERNED_PODS}---\n${await readFile(join(dir, 'kubeward-fixes.yaml'), 'utf8')}`;
    for (const cluster of [NO_GOVERNED_PODS, yaml]) {
      const graph = new NetpolGraph(inventoryFromYaml(cluster));
      const exporter = graph.findEndpoint('monitoring/node-exporter')!;
      const web: Party = { endpoint: graph.findEndpoint('shop/web')! };
      assert.equal(graph.isIsolated(exporter, 'ingress'), false);
      assert.equal(graph.reach(web, { endpoint: exporter }, 9100, 'TCP').allowed, true);
      assert.equal(graph.reach({ endpoint: exporter }, ip('169.254.169.254'), 80, 'TCP').allowed, true);
    }

    const again = await planFixes({ paths: [dir], unsafe: false, only: ['namespace-without-network-policy'], now: NOW });
    assert.deepEqual(again.changes, []);
    assert.equal(again.before.findings.filter((f) => f.check === 'namespace-without-network-policy' && f.status === 'fail').length, 0);
  } finally {
    cleanup();
  }
});

it('in a system namespace the metadata policy is planned only with --unsafe-fixes, with what may break', async () => {
  const cluster = [namespaceYaml('kube-system'), podYaml('kube-system', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.1', '10.0.2.2')].join('---\n');
  const { dir, cleanup } = tempTree({ 'cluster.yaml': cluster });
  try {
    const safe = await planFixes({ paths: [dir], unsafe: false, only: ['namespace-without-network-policy'], now: NOW });
    assert.deepEqual(safe.changes, []);
    const [left] = safe.remaining.filter((r) => r.finding.check === 'namespace-without-network-policy');
    assert.match(left?.why ?? '', /^unsafe fix, applied only with --unsafe-fixes: pods of namespace "kube-system" that read the cloud metadata service lose it/);

    const unsafe = await planFixes({ paths: [dir], unsafe: true, only: ['namespace-without-network-policy'], now: NOW });
    assert.deepEqual(policyNames(added(unsafe)), ['kube-system/kubeward-deny-cloud-metadata-egress']);
    assert.deepEqual(unsafe.changes.map((c) => [c.safety, c.risks?.length]), [['unsafe', 1]]);
    assert.deepEqual(unsafe.introduced, []);
  } finally {
    cleanup();
  }
});

it('a workload scaled to zero counts as pods policies apply to: it runs them when scaled up', async () => {
  const cluster = `${namespaceYaml('batch')}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: batch}
spec:
  replicas: 0
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker, image: busybox:1.36}]}
`;
  const { dir, cleanup } = tempTree({ 'cluster.yaml': cluster });
  try {
    const outcome = await planFixes({ paths: [dir], unsafe: false, only: ['namespace-without-network-policy'], now: NOW });
    assert.deepEqual(policyNames(added(outcome)), ['batch/kubeward-deny-cloud-metadata-egress']);
  } finally {
    cleanup();
  }
});

/** Pods that take cloud credentials at the metadata address, as each identity system marks them. */
const IDENTITY_CLUSTERS: [string, string][] = [
  ['GKE Workload Identity', `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop, annotations: {iam.gke.io/gcp-service-account: web@project.iam.gserviceaccount.com}}
`],
  ['AAD Pod Identity', `apiVersion: v1
kind: Pod
metadata: {name: uploader, namespace: shop, labels: {aadpodidbinding: uploader-identity}}
spec: {containers: [{name: uploader, image: busybox:1.36}]}
`],
  ['kube2iam or kiam', `apiVersion: v1
kind: Pod
metadata: {name: uploader, namespace: shop, annotations: {iam.amazonaws.com/role: uploader}}
spec: {containers: [{name: uploader, image: busybox:1.36}]}
`],
];

for (const [system, yaml] of IDENTITY_CLUSTERS) {
  it(`a namespace whose pods get credentials at the metadata address (${system}) gets the policy only with --unsafe-fixes`, async () => {
    const { dir, cleanup } = tempTree({ 'cluster.yaml': `${CLUSTER}---\n${yaml}` });
    try {
      const safe = await planFixes({ paths: [dir], unsafe: false, only: ['pod-can-reach-cloud-metadata'], now: NOW });
      assert.deepEqual(policyNames(added(safe)), ['db/kubeward-deny-cloud-metadata-egress']);
      const left = safe.remaining.filter((r) => r.finding.check === 'pod-can-reach-cloud-metadata' && r.finding.resource.name === 'shop');
      assert.equal(left.length, 1);
      assert.match(left[0]!.why, new RegExp(`^unsafe fix, applied only with --unsafe-fixes: .*\\(${system.replace(/ /g, ' ')}, .*takes its cloud credentials from the metadata address`));
      const unsafe = await planFixes({ paths: [dir], unsafe: true, only: ['pod-can-reach-cloud-metadata'], now: NOW });
      assert.deepEqual(policyNames(added(unsafe)), ['db/kubeward-deny-cloud-metadata-egress', 'shop/kubeward-deny-cloud-metadata-egress']);
      assert.deepEqual(unsafe.changes.map((c) => c.safety), ['unsafe']);
    } finally {
      cleanup();
    }
  });
}
