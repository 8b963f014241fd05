// The three answers of namespace-reachable-from-every-namespace over several namespaces: the
// source namespaces are tried in order, the first that cannot reach decides a pass, and
// namespaces whose labels the input does not hold leave the answer open.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheckOnYaml } from '../../testing/index.js';
import check from './namespace-reachable-from-every-namespace.js';

const pod = (namespace: string, labels = '{app: x}') => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ${namespace}, labels: ${labels}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 5432}]}]}`;

const namespace = (name: string, labels = '{}') => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${labels}}`;

const dbPolicy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: db}
spec:
  podSelector: {}
  ingress: [{from: [${from}], ports: [{port: 5432}]}]`;

const run = (...docs: string[]) => runCheckOnYaml(check, docs.join('\n---\n'));

describe('namespace-reachable-from-every-namespace', () => {
  it('fails when every other namespace reaches the isolated one, naming them', async () => {
    const results = await run(namespace('db'), namespace('a'), namespace('b'), pod('db'), pod('a'), pod('b'), dbPolicy('{namespaceSelector: {}}'));
    assert.equal(results.length, 1);
    const [result] = results;
    assert.equal(result!.status, 'fail');
    assert.match(result!.status === 'fail' ? result!.message : '', /namespace "db" is isolated by NetworkPolicies yet pods of every other namespace \("a", "b"\) can reach it/);
  });

  it('passes when one namespace cannot reach, whatever the others do', async () => {
    const results = await run(namespace('db'), namespace('a', '{team: x}'), namespace('b'), pod('db'), pod('a'), pod('b'), dbPolicy('{namespaceSelector: {matchLabels: {team: x}}}'));
    assert.deepEqual(results.map((r) => r.status), ['pass']);
  });

  it('is not evaluated when the namespaces that could reach have unknown labels, naming them', async () => {
    // "a" and "b" have no Namespace object: whether {team: x} selects them is unknown.
    const results = await run(namespace('db'), pod('db'), pod('a'), pod('b'), dbPolicy('{namespaceSelector: {matchLabels: {team: x}}}'));
    assert.equal(results.length, 1);
    const [result] = results;
    assert.equal(result!.status, 'not-evaluated');
    assert.match(result!.status === 'not-evaluated' ? result!.reason : '', /^whether "a", "b" can reach namespace "db" depends on what the input does not hold/);
  });

  it('passes when a namespace with known labels cannot reach, though another is unknown', async () => {
    const results = await run(namespace('db'), namespace('b', '{team: y}'), pod('db'), pod('a'), pod('b'), dbPolicy('{namespaceSelector: {matchLabels: {team: x}}}'));
    assert.deepEqual(results.map((r) => r.status), ['pass']);
  });
});
