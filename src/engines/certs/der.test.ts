import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childrenOf, decodeOid, decodeTime, DerError, readTlv, TAG } from './der.js';

describe('DER reader', () => {
  it('reads short and long lengths and walks children', () => {
    const content = Buffer.alloc(200, 0x41);
    const octets = Buffer.concat([Buffer.from([0x04, 0x81, 200]), content]);
    const seq = Buffer.concat([Buffer.from([0x30, 0x81, octets.length + 3]), octets, Buffer.from([0x02, 0x01, 0x05])]);
    const outer = readTlv(seq, 0);
    assert.deepEqual(outer, { tag: TAG.sequence, contentStart: 3, end: seq.length });
    assert.deepEqual(childrenOf(seq, outer).map((t) => [t.tag, t.end - t.contentStart]), [[0x04, 200], [0x02, 1]]);
  });

  it('refuses truncated input instead of reading past it', () => {
    assert.throws(() => readTlv(Buffer.from([0x30, 0x05, 0x01]), 0), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x82, 0x01]), 0), DerError);
    assert.throws(() => readTlv(Buffer.from([0x30, 0x80]), 0), /unsupported length/);
  });

  it('decodes OIDs, including multi-byte arcs', () => {
    // 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)
    const der = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
    assert.equal(decodeOid(der, readTlv(der, 0)), '1.2.840.113549.1.1.11');
    const ed = Buffer.from([0x06, 0x03, 0x2b, 0x65, 0x70]);
    assert.equal(decodeOid(ed, readTlv(ed, 0)), '1.3.101.112');
  });

  it('decodes UTCTime with the RFC 5280 century rule and GeneralizedTime', () => {
    const utc = (s: string) => Buffer.concat([Buffer.from([0x17, s.length]), Buffer.from(s)]);
    const gen = (s: string) => Buffer.concat([Buffer.from([0x18, s.length]), Buffer.from(s)]);
    assert.equal(decodeTime(utc('491231235959Z'), readTlv(utc('491231235959Z'), 0)).toISOString(), '2049-12-31T23:59:59.000Z');
    assert.equal(decodeTime(utc('500101000000Z'), readTlv(utc('500101000000Z'), 0)).toISOString(), '1950-01-01T00:00:00.000Z');
    assert.equal(decodeTime(gen('20540601000000Z'), readTlv(gen('20540601000000Z'), 0)).toISOString(), '2054-06-01T00:00:00.000Z');
    assert.throws(() => decodeTime(utc('2401010000Z'), readTlv(utc('2401010000Z'), 0)), /unsupported time/);
  });
});
