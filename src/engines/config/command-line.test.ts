import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryFromYaml } from '../../testing/index.js';
import { findComponent, parseCommandLineFlags } from './command-line.js';

describe('parseCommandLineFlags', () => {
  it('reads --a=b, --a b, bare booleans, and keeps the last of repeated flags', () => {
    const flags = parseCommandLineFlags(['kube-apiserver', '--anonymous-auth=false', '--v', '2', '--profiling', '--secure-port=6443', '--secure-port=8443']);
    assert.equal(flags.get('anonymous-auth')?.value, 'false');
    assert.equal(flags.get('v')?.value, '2');
    assert.equal(flags.get('profiling')?.value, 'true');
    assert.equal(flags.get('secure-port')?.value, '8443');
  });
});

describe('findComponent', () => {
  it('finds a kubeadm static pod by its command', () => {
    const inv = inventoryFromYaml(`apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
    - --enable-admission-plugins=NodeRestriction`);
    const [api] = findComponent(inv, 'kube-apiserver');
    assert.equal(api?.flags.get('authorization-mode')?.value, 'Node,RBAC');
    assert.equal(api?.containerPath, 'spec.containers[0]');
    assert.equal(findComponent(inv, 'etcd').length, 0);
  });
});
