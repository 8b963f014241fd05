import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
