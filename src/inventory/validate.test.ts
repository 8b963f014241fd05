import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocuments } from '../sources/documents.js';
import { shapeProblem, validateItems } from './validate.js';

const items = (yaml: string) => parseDocuments(yaml, 'in.yaml').items;

describe('validateItems', () => {
  it('keeps well-formed objects and turns each wrong field into an error at the object, without its value', () => {
    const { valid, errors } = validateItems(items(`apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: a}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: a}
spec: {containers: [{name: c, image: nginx, ports: {a: SECRET-VALUE}}]}
`));
    assert.deepEqual(valid.map((i) => i.ref.name), ['ok']);
    assert.deepEqual(errors, [{ source: 'in.yaml', line: 6, message: 'Pod a/bad: spec.containers[0].ports must be a list, not a mapping; object not scanned' }]);
  });

  it('uses the line of the field when the source recorded field lines', () => {
    const parsed = parseDocuments('apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: SECRET-VALUE\n', 'admin.conf', { fieldLines: true });
    assert.deepEqual(validateItems(parsed.items).errors, [{ source: 'admin.conf', line: 5, message: 'Config admin.conf: users[0].user must be a mapping, not a string; object not scanned' }]);
  });

  it('drops null fields as the API server does, but refuses null list elements', () => {
    const [ok, bad] = items(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ok, namespace: a, labels: null}
spec: {podSelector: null, ingress: [{from: null}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: a}
spec: {podSelector: {}, ingress: [{from: [null]}]}
`);
    assert.equal(shapeProblem(ok!.object, 'NetworkPolicy'), undefined);
    assert.deepEqual(ok!.object.spec, { ingress: [{}] });
    assert.ok(!('labels' in ok!.object.metadata!));
    assert.equal(shapeProblem(bad!.object, 'NetworkPolicy')?.message, 'spec.ingress[0].from[0] must be a mapping, not null');
  });

  it('checks pod templates of every workload kind, and names map keys only when they look like names', () => {
    assert.equal(
      shapeProblem({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: 'x' } } } } } }, 'CronJob')?.message,
      'spec.jobTemplate.spec.template.spec.containers must be a list, not a string',
    );
    assert.equal(shapeProblem({ kind: 'ConfigMap', metadata: { labels: { 'SECRET VALUE\u001b[2J': 1 } } }, 'ConfigMap')?.message, 'metadata.labels.(a key) must be a string, not a number');
    // Keys that name Object.prototype members are plain unknown fields, not shapes.
    assert.equal(shapeProblem({ kind: 'Pod', spec: { constructor: 5, __proto__: 5, toString: 'x' } }, 'Pod'), undefined);
    assert.equal(shapeProblem('SECRET-VALUE', 'Pod')?.message, 'the document must be a mapping, not a string');
  });
});
