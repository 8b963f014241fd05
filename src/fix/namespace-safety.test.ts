// Two namespace fixes that are safe where the input proves they change nothing that works: the
// ingress policy of namespace-pods-not-isolated-for-ingress where nothing leads into the pods from
// outside the namespace, and the Service caps of service-exposure-not-capped-by-quota where an
// unscoped quota exists to add them to. Otherwise both stay unsafe and say why.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from '../inventory/types.js';
import { withInputFile } from '../testing/cli.js';
import { planFixes, writeFixes, type FixOutcome } from './run.js';
import { failingExample as example, fixed, left, yamlOf } from './testing.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const INGRESS = 'namespace-pods-not-isolated-for-ingress';
const EXPOSURE = 'service-exposure-not-capped-by-quota';

const CRONJOB = yamlOf(example(INGRESS, 'a namespace of CronJobs'));

/** How the re-scan after the fix judged a check: its passes and failures. */
const rescan = (outcome: FixOutcome, check: string) => {
  const summary = outcome.after.checks.find((c) => c.id === check)!;
  return { pass: summary.pass, fail: summary.fail };
};

/** The objects the fix added, as written to kubeward-fixes.yaml beside the input. */
async function addedObjects(dir: string): Promise<K8sObject[]> {
  return parseAllDocuments(await readFile(join(dir, 'kubeward-fixes.yaml'), 'utf8')).map((d) => d.toJSON() as K8sObject);
}

describe(`${INGRESS}: safe where nothing leads into the namespace's pods from outside it`, () => {
  it('a namespace of CronJobs without Service or port is fixed without --unsafe-fixes, and the check then passes', async () => {
    await withInputFile(CRONJOB, async (file, dir) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [INGRESS] });
      assert.equal(fixed(outcome, INGRESS).length, 1);
      assert.deepEqual(left(outcome, INGRESS), []);
      assert.deepEqual(outcome.introduced, []);
      assert.deepEqual(outcome.changes.map((c) => `${c.action} ${c.safety}`), ['add safe']);
      assert.deepEqual(rescan(outcome, INGRESS), { pass: 1, fail: 0 });
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const [policy] = await addedObjects(dir);
      assert.deepEqual(policy?.spec, { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    });
  });

  const hostNetworkAgent = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: batch}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}, annotations: {prometheus.io/scrape: "true"}}
    spec:
      hostNetwork: true
      containers: [{name: agent, image: busybox:1.36, ports: [{containerPort: 9100, hostPort: 9100}]}]`;

  it('a host-network pod that declares a port and is scraped does not make it unsafe: policies do not apply to it', async () => {
    await withInputFile(`${CRONJOB}\n---\n${hostNetworkAgent}`, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [INGRESS] });
      assert.equal(fixed(outcome, INGRESS).length, 1);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
    });
  });

  const withPort = CRONJOB.replace("command: [sh, -c, 'echo export']", "command: [sh, -c, 'echo export'], ports: [{containerPort: 8080}]");
  const scraped = CRONJOB.replace('metadata: {labels: {app: nightly-export}}', 'metadata: {labels: {app: nightly-export}, annotations: {prometheus.io/port: "9102"}}');
  // Custom resources are not read but counted by kind: a monitor object, or the CRD the operator's chart installs.
  const monitorCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicemonitors.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {kind: ServiceMonitor, plural: servicemonitors}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]`;
  const podMonitor = `apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: everything, namespace: monitoring}
spec:
  namespaceSelector: {any: true}
  selector: {}
  podMetricsEndpoints: [{targetPort: 9102}]`;
  const unsafeCases: [string, string, RegExp][] = [
    ['a Service selecting its pods', yamlOf(example(INGRESS, 'the same namespace with a Service')), /^Service batch\/exporter may lead clients from outside "batch" to its pods/],
    ['a declared containerPort', withPort, /^cronjob\/nightly-export \(containers\[0\] declares a port\)/],
    ['a prometheus.io/port annotation', scraped, /^cronjob\/nightly-export \(annotation prometheus\.io\/port\)/],
    ['a PodMonitor in another namespace', `${CRONJOB}\n---\n${podMonitor}`, /^1 PodMonitor object\(s\) of the Prometheus Operator \(monitors select namespaces by label\) may lead clients/],
    ['the ServiceMonitor CRD without any monitor in the input', `${CRONJOB}\n---\n${monitorCrd}`, /^CustomResourceDefinition servicemonitors\.monitoring\.coreos\.com \(Prometheus Operator monitors select namespaces by label\) may lead clients/],
  ];
  for (const [what, yaml, evidence] of unsafeCases) {
    it(`${what}: left by the safe fixes with what leads in and the risk, applied with --unsafe-fixes`, async () => {
      assert.notEqual(yaml, CRONJOB);
      await withInputFile(yaml, async (file) => {
        const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [INGRESS] });
        assert.deepEqual(safe.changes, []);
        const [remaining, ...more] = left(safe, INGRESS);
        assert.deepEqual(more, []);
        const prefix = 'unsafe fix, applied only with --unsafe-fixes: ';
        assert.ok(remaining!.why.startsWith(prefix), remaining!.why);
        assert.match(remaining!.why.slice(prefix.length), evidence);
        assert.match(remaining!.why, /connections from other namespaces \(ingress controllers, monitoring\) and from outside the cluster are refused until a policy allows them$/);
        const unsafe = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [INGRESS] });
        assert.equal(fixed(unsafe, INGRESS).length, 1);
        assert.deepEqual(unsafe.changes.map((c) => c.safety), ['unsafe']);
        assert.match(unsafe.changes[0]!.risks!.join('\n'), evidence);
      });
    });
  }
});

const QUOTA_EXAMPLE = yamlOf(example(EXPOSURE, 'a namespace whose unscoped quota caps only object counts'));

describe(`${EXPOSURE}: safe where an unscoped quota exists to add the caps to`, () => {
  it('an object-count quota gets the two caps at today\'s counts; every other key and byte of the file stays', async () => {
    await withInputFile(QUOTA_EXAMPLE, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [EXPOSURE] });
      assert.equal(fixed(outcome, EXPOSURE).length, 1);
      assert.deepEqual(outcome.introduced, []);
      assert.deepEqual(outcome.changes.map((c) => `${c.action} ${c.safety}`), ['edit safe']);
      assert.deepEqual(rescan(outcome, EXPOSURE), { pass: 1, fail: 0 });
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const written = await readFile(file, 'utf8');
      const lines = written.split('\n');
      const added = lines.filter((l) => /services\.(nodeports|loadbalancers)/.test(l));
      // The NodePort Service has two ports: the quota counts node ports, one per Service port.
      assert.deepEqual(added.map((l) => l.trim()), ['services.nodeports: "2"', 'services.loadbalancers: "0"']);
      assert.equal(lines.filter((l) => !added.includes(l)).join('\n'), QUOTA_EXAMPLE);
    });
  });

  it('kubeward\'s quota is preferred, else the first unscoped one by name; a scoped quota is never edited and caps set elsewhere are kept', async () => {
    const quota = (name: string, spec: string) => `apiVersion: v1
kind: ResourceQuota
metadata: {name: ${name}, namespace: shop}
spec: ${spec}`;
    const service = QUOTA_EXAMPLE.split('---')[0]!.trim();
    const yaml = [
      service,
      quota('a-best-effort', '{hard: {pods: "5"}, scopes: [BestEffort]}'),
      quota('zz-counts', '{hard: {secrets: "10", services.loadbalancers: "3"}}'),
      quota('m-counts', '{hard: {configmaps: "10"}}'),
    ].join('\n---\n');
    await withInputFile(yaml, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [EXPOSURE] });
      assert.equal(fixed(outcome, EXPOSURE).length, 1);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const quotas = parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJSON() as K8sObject).filter((o) => o.kind === 'ResourceQuota');
      assert.deepEqual(quotas.map((q) => [q.metadata?.name, q.spec]), [
        ['a-best-effort', { hard: { pods: '5' }, scopes: ['BestEffort'] }],
        ['zz-counts', { hard: { secrets: '10', 'services.loadbalancers': '3' } }],
        ['m-counts', { hard: { configmaps: '10', 'services.nodeports': '2' } }],
      ]);
    });
    await withInputFile(`${yaml}\n---\n${quota('kubeward-quota', '{hard: {pods: "20"}}')}`, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [EXPOSURE] });
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const quotas = parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJSON() as K8sObject).filter((o) => o.kind === 'ResourceQuota');
      assert.deepEqual(quotas.find((q) => q.metadata?.name === 'kubeward-quota')?.spec, { hard: { pods: '20', 'services.nodeports': '2' } });
      assert.deepEqual(quotas.find((q) => q.metadata?.name === 'm-counts')?.spec, { hard: { configmaps: '10' } });
    });
  });

  it('without any quota: left by the safe fixes with the risk of the new quota\'s pod cap; with --unsafe-fixes one quota serves both quota checks', async () => {
    const yaml = yamlOf(example(EXPOSURE, 'a namespace running workloads without any quota'));
    await withInputFile(yaml, async (file, dir) => {
      const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [EXPOSURE] });
      assert.deepEqual(safe.changes, []);
      assert.match(left(safe, EXPOSURE)[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: in a namespace without an unscoped ResourceQuota, the one added also caps pods at twice today's \(at least 10\)/);

      const both = ['namespace-without-resource-quota', EXPOSURE];
      const unsafe = await planFixes({ paths: [file], unsafe: true, now: NOW, only: both });
      for (const check of both) assert.equal(fixed(unsafe, check).length, 1, check);
      assert.deepEqual(unsafe.introduced, []);
      assert.deepEqual(unsafe.changes.map((c) => [c.action, c.safety, [...c.checks].sort()]), [['add', 'unsafe', both]]);
      assert.deepEqual(await writeFixes(unsafe.changes), []);
      const quotas = (await addedObjects(dir)).filter((o) => o.kind === 'ResourceQuota');
      assert.deepEqual(quotas.map((q) => [q.metadata?.name, q.spec]), [['kubeward-quota', { hard: { pods: '10', 'services.nodeports': '0', 'services.loadbalancers': '0' } }]]);
      assert.equal(parse(await readFile(file, 'utf8')).kind, 'Pod', 'the input is not edited');
    });
  });
});
