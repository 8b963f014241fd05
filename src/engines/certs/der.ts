// A minimal DER reader and writer: enough of ASN.1 to walk a certificate's top-level structure,
// read OIDs and times (which node:crypto's X509Certificate does not expose), and build the
// to-be-signed part of a re-issued certificate from the old one's elements.

export interface Tlv {
  tag: number;
  /** Offset of the tag byte: der.subarray(start, end) is the whole element. */
  start: number;
  /** Offset of the content's first byte, and one past its last. */
  contentStart: number;
  end: number;
}

export class DerError extends Error {
  override name = 'DerError';
}

/** Reads the tag-length-value at `offset` (single-byte tags, definite lengths, as DER requires). */
export function readTlv(der: Uint8Array, offset: number): Tlv {
  if (offset + 2 > der.length) throw new DerError(`truncated at byte ${offset}`);
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError(`unsupported length encoding at byte ${offset}`);
    if (contentStart + count > der.length) throw new DerError(`truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new DerError(`element at byte ${offset} runs past the end`);
  return { tag, start: offset, contentStart, end };
}

/** The elements inside a constructed element (SEQUENCE, SET, explicit tag). */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const tlv = readTlv(der, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

export const TAG = { boolean: 0x01, integer: 0x02, bitString: 0x03, octetString: 0x04, null: 0x05, oid: 0x06, utcTime: 0x17, generalizedTime: 0x18, sequence: 0x30, set: 0x31, context0: 0xa0, context3: 0xa3 } as const;

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(der: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== TAG.oid) throw new DerError(`expected an OID, found tag 0x${tlv.tag.toString(16)}`);
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.contentStart; i < tlv.end; i++) {
    const byte = der[i]!;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** A UTCTime (years 1950-2049, RFC 5280) or GeneralizedTime as a Date. */
export function decodeTime(der: Uint8Array, tlv: Tlv): Date {
  const text = Buffer.from(der.subarray(tlv.contentStart, tlv.end)).toString('latin1');
  const m = tlv.tag === TAG.utcTime ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : tlv.tag === TAG.generalizedTime ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!m) throw new DerError(`unsupported time "${text}"`);
  let year = Number(m[1]);
  if (tlv.tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

// ---- writing ----------------------------------------------------------------------------------

/** The whole element (tag, length and content) as it is in `der`, for copying unchanged. */
export function rawElement(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.subarray(tlv.start, tlv.end));
}

/** A definite length: short form under 128, else the long form with as few bytes as it needs. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new DerError(`invalid length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length > 4) throw new DerError(`length ${length} too large`);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One element: tag, length, content. */
export function encodeTlv(tag: number, content: Uint8Array): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xfe || (tag & 0x1f) === 0x1f) throw new DerError(`unsupported tag ${tag}`);
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function encodeSequence(...elements: Uint8Array[]): Buffer {
  return encodeTlv(TAG.sequence, Buffer.concat(elements));
}

/** An explicitly tagged element [n] (context-specific, constructed). */
export function encodeExplicit(n: number, element: Uint8Array): Buffer {
  if (n < 0 || n > 30) throw new DerError(`unsupported context tag [${n}]`);
  return encodeTlv(0xa0 | n, element);
}

/**
 * A non-negative INTEGER from its big-endian magnitude (or a bigint): leading zero bytes dropped,
 * one 0x00 added when the first bit is set, so it is not read as negative.
 */
export function encodeInteger(value: Uint8Array | bigint): Buffer {
  let bytes: Buffer;
  if (typeof value === 'bigint') {
    if (value < 0n) throw new DerError('negative integers are not supported');
    const hex = value.toString(16);
    bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  } else bytes = Buffer.from(value);
  let first = 0;
  while (first < bytes.length - 1 && bytes[first] === 0) first++;
  bytes = bytes.subarray(first);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return encodeTlv(TAG.integer, bytes);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function encodeOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new DerError(`invalid OID "${dotted}"`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n || (arcs[0]! < 2n && arcs[1]! > 39n)) throw new DerError(`invalid OID "${dotted}"`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const groups: number[] = [];
    let n = arc;
    do {
      groups.unshift(Number(n & 0x7fn));
      n >>= 7n;
    } while (n > 0n);
    for (let i = 0; i < groups.length; i++) out.push(groups[i]! | (i < groups.length - 1 ? 0x80 : 0));
  }
  return encodeTlv(TAG.oid, Buffer.from(out));
}

export function encodeNull(): Buffer {
  return Buffer.from([TAG.null, 0]);
}

export function encodeOctetString(bytes: Uint8Array): Buffer {
  return encodeTlv(TAG.octetString, bytes);
}

/** A BIT STRING of whole bytes (no unused bits), as signatures and keys are. */
export function encodeBitString(bytes: Uint8Array): Buffer {
  return encodeTlv(TAG.bitString, Buffer.concat([Buffer.from([0]), bytes]));
}

/**
 * A certificate time as RFC 5280 requires: UTCTime through 2049, GeneralizedTime from 2050,
 * both in UTC to the second (fractions dropped).
 */
export function encodeTime(date: Date): Buffer {
  if (Number.isNaN(date.getTime())) throw new DerError('invalid date');
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new DerError(`year ${year} cannot be encoded`);
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return year < 2050
    ? encodeTlv(TAG.utcTime, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'))
    : encodeTlv(TAG.generalizedTime, Buffer.from(`${year}${rest}`, 'latin1'));
}
