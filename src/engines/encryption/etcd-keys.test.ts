import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { encryptionConfigResources, etcdPathOf } from './etcd-keys.js';

describe('etcdPathOf', () => {
  it('maps resource names to the storage paths kube-apiserver uses', () => {
    assert.equal(etcdPathOf('secrets'), 'secrets');
    assert.equal(etcdPathOf('configmaps'), 'configmaps');
    assert.equal(etcdPathOf('deployments.apps'), 'deployments');
    assert.equal(etcdPathOf('roles.rbac.authorization.k8s.io'), 'roles');
    assert.equal(etcdPathOf('services'), 'services/specs');
    assert.equal(etcdPathOf('widgets.example.com'), 'example.com/widgets');
    assert.equal(etcdPathOf('*.apps'), undefined);
    assert.equal(etcdPathOf('*.*'), undefined);
  });
});

describe('encryptionConfigResources', () => {
  it('lists every named resource once and sets wildcards apart', () => {
    const config = parse(`apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets, configmaps]
  providers: [{aescbc: {keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==}]}}, {identity: {}}]
- resources: [widgets.example.com, secrets, '*.apps']
  providers: [{identity: {}}]`);
    assert.deepEqual(encryptionConfigResources(config), { resources: ['secrets', 'configmaps', 'widgets.example.com'], wildcards: ['*.apps'] });
    assert.deepEqual(encryptionConfigResources(null), { resources: [], wildcards: [] });
  });
});
