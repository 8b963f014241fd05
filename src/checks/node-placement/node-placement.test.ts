import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planFixes, writeFixes } from '../../fix/run.js';
import { runCheckOnYaml } from '../../testing/index.js';
import namespaceNodeSelectorWithoutAdmissionPlugin from './namespace-node-selector-without-admission-plugin.js';
import { parseNodeSelectorAnnotation } from './node-selector.js';
import { broadToleration } from './pod-tolerates-control-plane-or-all-taints.js';

describe('node-placement', () => {
  it('parses the namespace node-selector annotation as PodNodeSelector does', () => {
    assert.deepEqual(parseNodeSelectorAnnotation(' pool = a , zone=b'), { ok: true, labels: { pool: 'a', zone: 'b' } });
    assert.deepEqual(parseNodeSelectorAnnotation(''), { ok: true, labels: {} });
    assert.equal(parseNodeSelectorAnnotation('pool').ok, false);
    assert.equal(parseNodeSelectorAnnotation('a=b=c').ok, false);
  });

  it('judges tolerations against the NoSchedule control-plane taints', () => {
    assert.equal(broadToleration({ operator: 'Exists' }), 'tolerates every taint');
    assert.equal(broadToleration({ operator: 'Exists', effect: 'NoExecute' }), undefined);
    assert.equal(broadToleration({ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }), 'tolerates the control-plane taint node-role.kubernetes.io/master');
    // The control-plane taint has no value, so an Equal toleration with a value does not match it.
    assert.equal(broadToleration({ key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', value: 'true' }), undefined);
    assert.equal(broadToleration({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }), undefined);
  });

  it('is not evaluated, never passed, when kube-apiserver flags are not in the input', async () => {
    const results = await runCheckOnYaml(namespaceNodeSelectorWithoutAdmissionPlugin, `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a"}`);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'not-evaluated');
    assert.match((results[0] as { reason: string }).reason, /no kube-apiserver command line in the input/);
  });

  it('fix: an API server outside a node root is left to a person; only the conflicting nodeSelector keys go', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeward-node-placement-'));
    try {
      const file = join(dir, 'all.yaml');
      await writeFile(file, `apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  annotations: {scheduler.alpha.kubernetes.io/node-selector: "pool=tenant-a,zone=z1"}
---
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --enable-admission-plugins=NodeRestriction]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {pool: shared, zone: z1, disktype: ssd}
      containers: [{name: web, image: nginx:1.27}]
`);
      const only = ['namespace-node-selector-without-admission-plugin', 'pod-node-selector-conflicts-with-namespace'];
      const outcome = await planFixes({ paths: [file], only, unsafe: true, now: new Date('2026-06-01T00:00:00Z') });
      const left = outcome.remaining.filter((r) => only.includes(r.finding.check));
      assert.deepEqual(left.map((r) => r.finding.check), ['namespace-node-selector-without-admission-plugin']);
      assert.match(left[0]!.why, /kube-apiserver kube-system\/kube-apiserver-cp1 is not a static pod of a node root/);
      assert.deepEqual(outcome.fixed.map((f) => f.check), ['pod-node-selector-conflicts-with-namespace']);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const text = await readFile(file, 'utf8');
      assert.match(text, /nodeSelector: \{ ?zone: z1, disktype: ssd ?\}/);
      assert.match(text, /--enable-admission-plugins=NodeRestriction\]/, 'the dump\'s API server is not edited');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
