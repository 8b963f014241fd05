// The webhook's cluster state: what a request reads of one namespace follows every upsert,
// removal and relist, without a pass over the whole cluster.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { K8sObject } from '../inventory/types.js';
import { ClusterState } from './state.js';

const namespace = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const pod = (ns: string | undefined, name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: { containers: [{ name, image: 'nginx:1.27' }] } });
const policy = (ns: string, name: string): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec: { podSelector: {} } });
const view = (state: ClusterState, ns: string) => state.namespaceView(ns, ['Pod', 'NetworkPolicy']).map((i) => `${i.ref.kind} ${i.ref.namespace ?? ''}/${i.ref.name}`).sort();

it('namespaceView: every Namespace, and the pods and policies of one namespace, through upserts, removals and relists', () => {
  const state = new ClusterState();
  state.replaceAll([namespace('shop'), namespace('db'), pod('shop', 'web'), pod('db', 'postgres'), policy('shop', 'deny'), pod(undefined, 'stray')], 'test');
  assert.deepEqual(view(state, 'shop'), ['Namespace /db', 'Namespace /shop', 'NetworkPolicy shop/deny', 'Pod shop/web']);
  assert.deepEqual(view(state, 'default'), ['Namespace /db', 'Namespace /shop', 'Pod default/stray']);

  state.upsert(pod('shop', 'worker'), 'watch');
  state.remove(policy('shop', 'deny'));
  state.remove(pod(undefined, 'stray'));
  assert.deepEqual(view(state, 'shop'), ['Namespace /db', 'Namespace /shop', 'Pod shop/web', 'Pod shop/worker']);
  assert.deepEqual(view(state, 'default'), ['Namespace /db', 'Namespace /shop']);

  state.replaceKind('Pod', [pod('db', 'postgres')], 'relist');
  assert.deepEqual(view(state, 'shop'), ['Namespace /db', 'Namespace /shop']);
  assert.deepEqual(view(state, 'db'), ['Namespace /db', 'Namespace /shop', 'Pod db/postgres']);
  assert.equal(state.status().objects, 3);
  state.close();
});
