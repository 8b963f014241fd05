// The network, metadata and quota checks on the real install manifests of the real-world corpus,
// with facts verified by reading the manifests.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { corpus, describeWithCorpus } from '../../testing/corpus.js';
import { inventoryFromYaml, runExample } from '../../testing/index.js';
import { checks as cloudMetadata } from '../cloud-metadata/index.js';
import { checks as resourceQuota } from '../resource-quota/index.js';
import type { CheckResult } from '../types.js';
import { checks as networkAccess } from './index.js';

const REAL_WORLD = corpus('real-world').path;
const ALL = [...networkAccess, ...cloudMetadata, ...resourceQuota];

async function scan(path: string): Promise<Map<string, CheckResult[]>> {
  const yaml = readFileSync(join(REAL_WORLD, path), 'utf8');
  const out = new Map<string, CheckResult[]>();
  for (const check of ALL) out.set(check.id, await runExample(check, { description: path, build: () => inventoryFromYaml(yaml, path) }));
  return out;
}

const statuses = (results: CheckResult[] | undefined) => (results ?? []).map((r) => r.status).sort();
const messages = (results: CheckResult[] | undefined) => (results ?? []).flatMap((r) => (r.status === 'fail' ? [r.message] : []));

describeWithCorpus('real-world', 'real-world manifests', () => {
  it('Argo CD: 7 policies isolate every workload for ingress, none for egress; all reach the metadata service', async () => {
    const r = await scan('argo-cd/install.yaml');
    assert.deepEqual(statuses(r.get('namespace-pods-not-isolated-for-ingress')), ['pass']);
    assert.match(messages(r.get('namespace-pods-not-isolated-for-egress'))[0]!, /7 of 7 pods\/workloads are not isolated for egress/);
    assert.deepEqual(statuses(r.get('network-policy-selects-nothing')), Array(7).fill('pass'));
    assert.deepEqual(r.get('allow-all-rule-undoes-default-deny'), [], 'argocd-server allows all ingress, but there is no default deny to undo');
    assert.match(messages(r.get('pod-can-reach-cloud-metadata'))[0]!, /^namespace "default": 7 of 7 pods\/workloads can reach the cloud metadata service/);
    assert.deepEqual(statuses(r.get('service-exposed-outside-cluster')), Array(8).fill('pass'), '8 ClusterIP Services');
    assert.deepEqual(r.get('namespace-reachable-from-every-namespace'), [], 'a single namespace');
  });

  it('ingress-nginx: the LoadBalancer Service, uncapped, and the controller without limits', async () => {
    const r = await scan('ingress-nginx/deploy.yaml');
    assert.deepEqual(messages(r.get('service-exposed-outside-cluster')), ['Service ingress-nginx/ingress-nginx-controller of type LoadBalancer exposes ports 80, 443 outside the cluster through a cloud load balancer and on every node']);
    assert.match(messages(r.get('service-exposure-not-capped-by-quota'))[0]!, /capping services.nodeports and services.loadbalancers \(it already has 1 NodePort\/LoadBalancer Service\)/);
    assert.match(messages(r.get('container-resources-not-bounded'))[0]!, /deployment\/ingress-nginx-controller container controller \(limits.cpu, limits.memory\)/);
  });

  it('flannel and MetalLB: hostNetwork DaemonSets outside kube-system, left out of isolation, counted for metadata', async () => {
    const flannel = await scan('flannel/kube-flannel.yml');
    assert.deepEqual(messages(flannel.get('host-network-pod-outside-system-namespace')), ['DaemonSet kube-flannel/kube-flannel-ds runs on the host network, outside the reach of NetworkPolicy']);
    assert.deepEqual(flannel.get('namespace-pods-not-isolated-for-ingress'), []);
    assert.match(messages(flannel.get('pod-can-reach-cloud-metadata'))[0]!, /kube-flannel\/daemonset\/kube-flannel-ds \(hostNetwork\)/);
    const metallb = await scan('metallb/metallb-native.yaml');
    assert.deepEqual(statuses(metallb.get('host-network-pod-outside-system-namespace')), ['fail', 'pass']);
    assert.match(messages(metallb.get('namespace-pods-not-isolated-for-ingress'))[0]!, /1 of 1 pods\/workloads .*metallb-system\/deployment\/controller$/);
  });

  it('Calico runs only in kube-system: nothing to report but kube-system\'s missing NetworkPolicy', async () => {
    const r = await scan('calico/calico.yaml');
    // CIS 5.3.2 asks a NetworkPolicy of every namespace, kube-system too.
    assert.deepEqual(messages(r.get('namespace-without-network-policy')), ['namespace "kube-system" has no NetworkPolicy: its pods, present and future, are open to every pod of the cluster']);
    for (const check of ALL.filter((c) => c.id !== 'namespace-without-network-policy')) {
      // Checks of a component's or node's settings find none in an install manifest, and say so.
      const results = r.get(check.id)!.filter((x) => x.status !== 'pass' && !(x.status === 'not-evaluated' && /in the input; scan (a node )?with --node-root/.test(x.reason)));
      assert.deepEqual(statuses(results), [], check.id);
    }
  });
});
