import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyStoredValue } from './stored-value.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('classifyStoredValue', () => {
  it('reads provider, version and key name of each transformer prefix kube-apiserver writes', () => {
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:aescbc:v1:key1:\x8f\x00\xffciphertext')), { encrypted: true, provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:aesgcm:v1:2024-rotation:\x01\x02')), { encrypted: true, provider: 'aesgcm', providerVersion: 'v1', keyName: '2024-rotation' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:secretbox:v1:sb:\x00')), { encrypted: true, provider: 'secretbox', providerVersion: 'v1', keyName: 'sb' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:kms:v1:aws-kms:\x00\x10')), { encrypted: true, provider: 'kms', providerVersion: 'v1', keyName: 'aws-kms' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:kms:v2:vault:\x0a\x20:::')), { encrypted: true, provider: 'kms', providerVersion: 'v2', keyName: 'vault' });
  });

  it('calls protobuf and JSON values plaintext', () => {
    assert.deepEqual(classifyStoredValue(bytes('k8s\x00\x0a\x0c\x0a\x02v1\x12\x06Secret')), { encrypted: false, format: 'protobuf' });
    assert.deepEqual(classifyStoredValue(bytes(' \n{"kind":"Secret","apiVersion":"v1"}')), { encrypted: false, format: 'json' });
    assert.deepEqual(classifyStoredValue(bytes('plain bytes')), { encrypted: false, format: 'other' });
    assert.deepEqual(classifyStoredValue(new Uint8Array()), { encrypted: false, format: 'other' });
  });

  it('does not take an unknown or malformed k8s:enc: prefix for encryption it cannot name', () => {
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:rot13:v1:k:xx')), { encrypted: 'unknown', prefix: 'k8s:enc:rot13:' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:aescbc:v2:k:xx')), { encrypted: 'unknown', prefix: 'k8s:enc:aescbc:' });
    // What follows an unknown provider may be stored data: never part of the prefix shown.
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:rot13:KW-SECRET-MARKER:x')), { encrypted: 'unknown', prefix: 'k8s:enc:rot13:' });
    assert.deepEqual(classifyStoredValue(bytes('k8s:enc:{"token":"KW-SECRET-MARKER"}')), { encrypted: 'unknown', prefix: 'k8s:enc:?:' });
    // A key name must end with a colon within the bytes looked at.
    assert.equal(classifyStoredValue(bytes('k8s:enc:aescbc:v1:key1')).encrypted, 'unknown');
    assert.equal(classifyStoredValue(bytes('k8s:enc:aescbc:v1::x')).encrypted, 'unknown');
  });

  it('looks only at the head of a value, however long', () => {
    const long = Buffer.concat([bytes('k8s:enc:aesgcm:v1:k:'), Buffer.alloc(1_000_000, 0x3a)]);
    assert.deepEqual(classifyStoredValue(long), { encrypted: true, provider: 'aesgcm', providerVersion: 'v1', keyName: 'k' });
  });
});
