import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenOf, decodeOid, decodeTime, DerError, encodeBitString, encodeExplicit, encodeInteger, encodeLength, encodeNull, encodeOctetString, encodeOid, encodeSequence, encodeTime, encodeTlv, rawElement, readTlv, TAG } from './der.js';

describe('DER reader', () => {
  it('reads short and long lengths and walks children', () => {
    const content = Buffer.alloc(200, 0x41);
    const octets = Buffer.concat([Buffer.from([0x04, 0x81, 200]), content]);
    const seq = Buffer.concat([Buffer.from([0x30, 0x81, octets.length + 3]), octets, Buffer.from([0x02, 0x01, 0x05])]);
    const outer = readTlv(seq, 0);
    assert.deepEqual(outer, { tag: TAG.sequence, start: 0, contentStart: 3, end: seq.length });
    assert.deepEqual(childrenOf(seq, outer).map((t) => [t.tag, t.start, t.end - t.contentStart]), [[0x04, 3, 200], [0x02, 206, 1]]);
    assert.deepEqual([...rawElement(seq, childrenOf(seq, outer)[1]!)], [0x02, 0x01, 0x05]);
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

/** openssl's DER of an ASN.1 generator string (ASN1_generate_nconf), the reference for the writer. */
function openssl(spec: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-der-'));
  try {
    execFileSync('openssl', ['asn1parse', '-genstr', spec, '-noout', '-out', join(dir, 'out.der')]);
    return readFileSync(join(dir, 'out.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('DER writer', () => {
  it('writes short and long lengths as DER requires (fewest bytes), and refuses what it cannot', () => {
    assert.deepEqual([...encodeLength(0)], [0x00]);
    assert.deepEqual([...encodeLength(127)], [0x7f]);
    assert.deepEqual([...encodeLength(128)], [0x81, 0x80]);
    assert.deepEqual([...encodeLength(255)], [0x81, 0xff]);
    assert.deepEqual([...encodeLength(256)], [0x82, 0x01, 0x00]);
    assert.deepEqual([...encodeLength(65536)], [0x83, 0x01, 0x00, 0x00]);
    assert.throws(() => encodeLength(-1), DerError);
    assert.throws(() => encodeTlv(0x1f, Buffer.alloc(0)), /unsupported tag/);
    // What it writes, the reader reads back, at every length form.
    for (const size of [0, 1, 127, 128, 255, 256, 70_000]) {
      const der = encodeOctetString(Buffer.alloc(size, 7));
      const tlv = readTlv(der, 0);
      assert.deepEqual([tlv.tag, tlv.end - tlv.contentStart, tlv.end], [TAG.octetString, size, der.length]);
    }
  });

  it('writes INTEGERs minimally, with a 0x00 before a set high bit, as openssl does', () => {
    assert.deepEqual(encodeInteger(0n), openssl('INTEGER:0'));
    assert.deepEqual(encodeInteger(127n), openssl('INTEGER:127'));
    assert.deepEqual(encodeInteger(128n), openssl('INTEGER:128'));
    assert.deepEqual(encodeInteger(256n), openssl('INTEGER:256'));
    assert.deepEqual(encodeInteger(Buffer.from([0x00, 0x00, 0x01, 0x02])), openssl('INTEGER:0x0102'));
    assert.deepEqual(encodeInteger(Buffer.from('ff'.repeat(16), 'hex')), openssl(`INTEGER:0x${'FF'.repeat(16)}`));
    assert.throws(() => encodeInteger(-1n), /negative/);
  });

  it('writes OIDs (multi-byte arcs, the 2.x joint arc) as openssl does, and the reader reads them back', () => {
    for (const oid of ['1.2.840.113549.1.1.11', '1.2.840.10045.4.3.2', '1.3.101.112', '2.5.29.14', '2.16.840.1.101.3.4.2.1', '2.999.3', '1.3.6.1.4.1.311.21.7']) {
      const der = encodeOid(oid);
      assert.deepEqual(der, openssl(`OID:${oid}`), oid);
      assert.equal(decodeOid(der, readTlv(der, 0)), oid);
    }
    assert.throws(() => encodeOid('3.1'), DerError);
    assert.throws(() => encodeOid('1.40'), DerError);
    assert.throws(() => encodeOid('1.2.x'), DerError);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280), read back exactly', () => {
    const cases: [string, number, string][] = [
      ['2026-12-03T16:24:52.750Z', TAG.utcTime, '261203162452Z'],
      ['2049-12-31T23:59:59Z', TAG.utcTime, '491231235959Z'],
      ['2050-01-01T00:00:00Z', TAG.generalizedTime, '20500101000000Z'],
      ['1999-02-03T04:05:06Z', TAG.utcTime, '990203040506Z'],
    ];
    for (const [iso, tag, text] of cases) {
      const der = encodeTime(new Date(iso));
      const tlv = readTlv(der, 0);
      assert.equal(tlv.tag, tag);
      assert.equal(Buffer.from(der.subarray(tlv.contentStart)).toString('latin1'), text);
      assert.equal(decodeTime(der, tlv).toISOString(), new Date(Math.floor(new Date(iso).getTime() / 1000) * 1000).toISOString());
    }
    assert.deepEqual(encodeTime(new Date('2026-12-03T16:24:52Z')), openssl('UTCTIME:261203162452Z'));
    assert.deepEqual(encodeTime(new Date('2054-06-01T00:00:00Z')), openssl('GENTIME:20540601000000Z'));
    assert.throws(() => encodeTime(new Date('1949-12-31T23:59:59Z')), /cannot be encoded/);
    assert.throws(() => encodeTime(new Date('nope')), /invalid date/);
  });

  it('writes NULL, BIT STRING, SEQUENCE and explicit tags as openssl does', () => {
    assert.deepEqual(encodeNull(), openssl('NULL'));
    assert.deepEqual(encodeBitString(Buffer.from([0xde, 0xad])), openssl('FORMAT:HEX,BITSTRING:DEAD'));
    const algorithm = encodeSequence(encodeOid('1.2.840.113549.1.1.11'), encodeNull());
    assert.equal(algorithm.toString('hex'), '300d06092a864886f70d01010b0500');
    const explicit = encodeExplicit(3, encodeSequence());
    assert.deepEqual([...explicit], [0xa3, 0x02, 0x30, 0x00]);
    assert.throws(() => encodeExplicit(31, Buffer.alloc(0)), DerError);
  });
});

