// The checks of values read from etcd, on inventories built with classifications (no etcd here;
// src/sources/etcd-scan.test.ts runs them against a real one).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import { ETCD_VALUES_GAP, type StoredValueClassification } from '../../sources/types.js';
import { runExample } from '../../testing/index.js';
import type { CheckResult } from '../types.js';
import { EXAMPLE_KEY_32, encryptionExample } from './encryption-config.js';
import secretStoredInPlaintext from './secret-stored-in-plaintext.js';
import storedValueEncryptedWithOldKey from './stored-value-encrypted-with-old-key.js';

type Value = Omit<StoredValueClassification, 'endpoint'>;
const secret = (name: string, rest: Partial<Value>): Value => ({ key: `/registry/secrets/prod/${name}`, resource: 'secrets', namespace: 'prod', name, encrypted: true, ...rest });

const CONFIG = `resources:
- resources: [secrets, widgets.example.com]
  providers:
  - kms: {apiVersion: v2, name: vault, endpoint: unix:///run/kms.sock}
  - aescbc:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]
  - identity: {}`;

function run(check: typeof secretStoredInPlaintext, values: Value[] | undefined, options: { config?: string; gap?: string } = {}): Promise<CheckResult[]> {
  const items = options.config ? parseDocuments(encryptionExample(options.config), 'cp.yaml').items : [];
  return runExample(check, {
    description: 'test',
    build: () => new Inventory(items, {
      ...(values ? { storedValues: values.map((v) => ({ ...v, endpoint: 'https://10.0.0.1:2379' })) } : {}),
      ...(options.gap ? { gaps: [{ scope: ETCD_VALUES_GAP, reason: 'connection refused' }] } : {}),
    }),
  });
}

const brief = (results: CheckResult[]) => results.map((r) => `${r.status} ${r.subject.ref.kind} ${r.subject.ref.name}${r.status === 'fail' ? `: ${r.message}` : r.status === 'not-evaluated' ? `: ${r.reason}` : ''}`);

describe('secret-stored-in-plaintext', () => {
  it('fails each plaintext Secret, passes each encrypted one, leaves unknown prefixes and other resources alone', async () => {
    const results = await run(secretStoredInPlaintext, [
      secret('a', { encrypted: false, format: 'json' }),
      secret('b', { provider: 'aesgcm', providerVersion: 'v1', keyName: 'k' }),
      secret('c', { encrypted: false, unknownPrefix: 'k8s:enc:rot13:v1' }),
      { key: '/registry/configmaps/prod/cm', resource: 'configmaps', namespace: 'prod', name: 'cm', encrypted: false, format: 'protobuf' },
    ]);
    assert.deepEqual(brief(results), [
      'fail Secret a: stored in etcd in plaintext (/registry/secrets/prod/a at https://10.0.0.1:2379, json encoding)',
      'pass Secret b',
      'not-evaluated Secret c: /registry/secrets/prod/c at https://10.0.0.1:2379 starts with "k8s:enc:rot13:v1", a prefix of no known encryption provider',
    ]);
  });

  it('is not evaluated, once, without etcd or when etcd could not be read', async () => {
    assert.deepEqual(brief(await run(secretStoredInPlaintext, undefined)), [
      'not-evaluated Secret *: no etcd endpoint scanned (use --etcd-endpoints URL --etcd-cacert F --etcd-cert F --etcd-key F)',
    ]);
    assert.deepEqual(brief(await run(secretStoredInPlaintext, undefined, { gap: 'x' })), ['not-evaluated Secret *: etcd could not be read: connection refused']);
  });

  it('has nothing to report for an etcd without Secrets', async () => {
    assert.deepEqual(await run(secretStoredInPlaintext, []), []);
  });
});

describe('stored-value-encrypted-with-old-key', () => {
  it('compares each encrypted value with the provider and key the config writes with', async () => {
    const results = await run(storedValueEncryptedWithOldKey, [
      secret('current', { provider: 'kms', providerVersion: 'v2', keyName: 'vault' }),
      secret('old', { provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' }),
      secret('lost', { provider: 'secretbox', providerVersion: 'v1', keyName: 'gone' }),
      secret('kms-v1', { provider: 'kms', providerVersion: 'v1', keyName: 'vault' }),
      secret('plain', { encrypted: false, format: 'protobuf' }),
      { key: '/registry/example.com/widgets/prod/w', resource: 'widgets.example.com', namespace: 'prod', name: 'w', encrypted: true, provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' },
      // Not covered by the config: how it is stored is no concern of this check.
      { key: '/registry/configmaps/prod/cm', resource: 'configmaps', namespace: 'prod', name: 'cm', encrypted: true, provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' },
    ], { config: CONFIG });
    assert.deepEqual(brief(results), [
      'pass Secret current',
      'fail Secret old: /registry/secrets/prod/old is encrypted with aescbc:v1:key1, but cp.yaml now writes with kms:v2:vault; rewrite it',
      'fail Secret lost: /registry/secrets/prod/lost is encrypted with secretbox:v1:gone, but cp.yaml now writes with kms:v2:vault, and no longer lists secretbox:v1:gone: kube-apiserver cannot decrypt it',
      'fail Secret kms-v1: /registry/secrets/prod/kms-v1 is encrypted with kms:v1:vault, but cp.yaml now writes with kms:v2:vault, and no longer lists kms:v1:vault: kube-apiserver cannot decrypt it',
      'fail widgets.example.com w: /registry/example.com/widgets/prod/w is encrypted with aescbc:v1:key1, but cp.yaml now writes with kms:v2:vault; rewrite it',
    ]);
  });

  it('judges nothing when the config writes plaintext (identity first)', async () => {
    const results = await run(storedValueEncryptedWithOldKey, [secret('old', { provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' })], {
      config: `resources:
- resources: [secrets]
  providers:
  - identity: {}
  - aescbc:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`,
    });
    assert.deepEqual(results, []);
  });

  it('is not evaluated without etcd, or without the API server that reads the config', async () => {
    assert.match(brief(await run(storedValueEncryptedWithOldKey, undefined, { config: CONFIG }))[0]!, /^not-evaluated .*no etcd endpoint scanned/);
    const noServer = await run(storedValueEncryptedWithOldKey, [secret('old', { provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' })]);
    assert.deepEqual(noServer.map((r) => r.status), ['not-evaluated']);
  });
});
