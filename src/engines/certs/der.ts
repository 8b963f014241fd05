// A minimal DER reader: enough of ASN.1 to walk a certificate's top-level structure and read
// OIDs and times, which node:crypto's X509Certificate does not expose.

export interface Tlv {
  tag: number;
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
  return { tag, contentStart, end };
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

export const TAG = { integer: 0x02, bitString: 0x03, oid: 0x06, utcTime: 0x17, generalizedTime: 0x18, sequence: 0x30, context0: 0xa0 } as const;

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
