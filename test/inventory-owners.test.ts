// A Pod whose controlling owner is in the input is reported once, on the owner, when its
// security-relevant spec agrees with the owner's template; a Pod that differs stays.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryFromYaml } from '../src/testing/index.js';

const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-5d8f, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: web
        image: nginx:1.27.1
        ports: [{containerPort: 8080}]
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

const pod = (name: string, change = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, controller: true}]
spec:
  nodeName: node-1
  securityContext: {seccompProfile: {type: RuntimeDefault}, runAsNonRoot: true}
  containers:
  - name: web
    image: nginx:1.27.1
    ports: [{containerPort: 8080${change === 'hostPort' ? ', hostPort: 80' : ''}}]
    securityContext: {capabilities: {drop: [ALL]}, allowPrivilegeEscalation: ${change === 'escalation' ? 'true' : 'false'}}
  volumes:${change === 'hostPath' ? ' [{name: root, hostPath: {path: /}}]' : ' []'}
`;

describe('pod specs and owners', () => {
  it('leaves out pods that agree with their owner (key order does not matter)', () => {
    const inventory = inventoryFromYaml([replicaSet, pod('web-5d8f-a'), pod('web-5d8f-b')].join('---\n'));
    assert.deepEqual(inventory.podSpecs().map((p) => `${p.item.ref.kind}/${p.item.ref.name}`), ['ReplicaSet/web-5d8f']);
  });

  it('keeps pods whose security fields differ from the template', () => {
    for (const change of ['escalation', 'hostPort', 'hostPath']) {
      const inventory = inventoryFromYaml([replicaSet, pod('web-5d8f-a'), pod('web-5d8f-x', change)].join('---\n'));
      assert.deepEqual(inventory.podSpecs().map((p) => p.item.ref.name).sort(), ['web-5d8f', 'web-5d8f-x'], change);
    }
  });

  it('keeps pods whose owner is not in the input', () => {
    const inventory = inventoryFromYaml(pod('web-5d8f-a'));
    assert.deepEqual(inventory.podSpecs().map((p) => p.item.ref.name), ['web-5d8f-a']);
  });
});
