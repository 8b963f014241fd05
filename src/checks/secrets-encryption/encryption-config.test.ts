import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheckOnYaml } from '../../testing/index.js';
import { coveringEntry, encryptionExample, providerType, type EncryptionConfiguration } from './encryption-config.js';
import encryptionKeyWrongSize from './encryption-key-wrong-size.js';
import secretsNotEncrypted from './secrets-not-encrypted.js';

describe('which resources entry stores a resource', () => {
  const config: EncryptionConfiguration = {
    resources: [
      { resources: ['configmaps'], providers: [{ identity: {} }] },
      { resources: ['deployments.apps', '*.'], providers: [{ aesgcm: { keys: [] } }] },
      { resources: ['*.*'], providers: [{ secretbox: { keys: [] } }] },
    ],
  };
  it('is the first entry naming it, its group wildcard or *.*', () => {
    assert.equal(coveringEntry(config, 'configmaps')?.index, 0);
    assert.equal(coveringEntry(config, 'secrets')?.index, 1);
    assert.equal(coveringEntry(config, 'deployments', 'apps')?.index, 1);
    assert.equal(coveringEntry(config, 'ingresses', 'networking.k8s.io')?.index, 2);
    assert.equal(coveringEntry({ resources: [{ resources: ['configmaps'] }] }, 'secrets'), undefined);
  });
  it('names the provider type of an entry', () => {
    assert.equal(providerType(config.resources![1]!.providers![0]), 'aesgcm');
    assert.equal(providerType({}), undefined);
  });
});

describe('encryption checks', () => {
  it('never print key material', async () => {
    const secret = Buffer.from('0123456789abcdef0123').toString('base64');
    const results = await runCheckOnYaml(encryptionKeyWrongSize, encryptionExample(`resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys: [{name: key1, secret: ${secret}}]`));
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    const text = JSON.stringify(results);
    assert.match(text, /20 bytes/);
    assert.ok(!text.includes(secret));
  });
  it('are not evaluated when the config file the flag names is not in the input', async () => {
    const pod = encryptionExample('resources: []').split('\n---\n')[0]!;
    const results = await runCheckOnYaml(secretsNotEncrypted, pod);
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
  });
  it('report one not-evaluated result when there is no kube-apiserver', async () => {
    const results = await runCheckOnYaml(secretsNotEncrypted, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
  });
});
