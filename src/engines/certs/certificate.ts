// What kubeward judges in an X.509 certificate: validity, key, signature algorithm, CA or leaf.
// node:crypto parses the certificate; the signature algorithm and exact validity times are read
// from the DER, which X509Certificate does not expose.

import { X509Certificate } from 'node:crypto';
import { childrenOf, decodeOid, decodeTime, readTlv, TAG, type Tlv } from './der.js';

export type HashName = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'none';

/** Signature algorithms by OID (RFC 3279, 4055, 5758, 8410), with the hash each uses. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: HashName }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'sha256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'none' },
  '1.3.101.113': { name: 'Ed448', hash: 'none' },
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const HASH_OIDS: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224 };

export interface SignatureAlgorithm {
  oid: string;
  /** e.g. sha256WithRSAEncryption; the OID when unknown. */
  name: string;
  /** The hash it signs with; undefined when the algorithm is unknown. */
  hash: HashName | undefined;
}

export interface PublicKeyFacts {
  /** node:crypto's asymmetricKeyType: rsa, rsa-pss, ec, ed25519, ed448, dsa. */
  type: string;
  /** RSA/DSA modulus length, EC curve size. */
  bits?: number;
  curve?: string;
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  /** Subject equals issuer and its own key verifies the signature. */
  selfSigned: boolean;
  key: PublicKeyFacts;
  signature: SignatureAlgorithm;
  fingerprint256: string;
  x509: X509Certificate;
}

/** One certificate of a PEM bundle, or why it could not be read. */
export type PemEntry = { index: number; facts: CertificateFacts } | { index: number; error: string };

export const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Every CERTIFICATE block of a PEM text, in order (other blocks, such as keys, are ignored). */
export function parsePemBundle(text: string): PemEntry[] {
  const out: PemEntry[] = [];
  let index = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    try {
      out.push({ index, facts: certificateFacts(new X509Certificate(m[0])) });
    } catch (e) {
      out.push({ index, error: `certificate ${index + 1} of the bundle cannot be parsed: ${(e as Error).message}` });
    }
    index++;
  }
  return out;
}

export function certificateFacts(x509: X509Certificate): CertificateFacts {
  const der = x509.raw;
  const cert = readTlv(der, 0);
  const [tbs, sigAlg] = childrenOf(der, cert);
  if (!tbs || !sigAlg) throw new Error('not an X.509 certificate structure');
  const fields = childrenOf(der, tbs);
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, ...
  const offset = fields[0]?.tag === TAG.context0 ? 1 : 0;
  const validity = fields[offset + 3];
  if (!validity || validity.tag !== TAG.sequence) throw new Error('certificate has no validity');
  const [notBefore, notAfter] = childrenOf(der, validity);
  if (!notBefore || !notAfter) throw new Error('certificate validity is incomplete');
  const details = x509.publicKey.asymmetricKeyDetails ?? {};
  const type = x509.publicKey.asymmetricKeyType ?? 'unknown';
  const key: PublicKeyFacts = { type };
  if (details.modulusLength !== undefined) key.bits = details.modulusLength;
  if (details.namedCurve !== undefined) {
    key.curve = details.namedCurve;
    const bits = CURVE_BITS[details.namedCurve];
    if (bits) key.bits = bits;
  }
  return {
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    serialNumber: x509.serialNumber,
    notBefore: decodeTime(der, notBefore),
    notAfter: decodeTime(der, notAfter),
    isCA: x509.ca,
    selfSigned: x509.subject === x509.issuer && x509.verify(x509.publicKey),
    key,
    signature: signatureAlgorithm(der, sigAlg),
    fingerprint256: x509.fingerprint256,
    x509,
  };
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
export function signatureAlgorithm(der: Uint8Array, algorithmIdentifier: Tlv): SignatureAlgorithm {
  const [oidTlv, params] = childrenOf(der, algorithmIdentifier);
  if (!oidTlv) throw new Error('empty signature algorithm');
  const oid = decodeOid(der, oidTlv);
  if (oid === RSASSA_PSS) return { oid, name: 'RSASSA-PSS', hash: pssHash(der, params) };
  const known = SIGNATURE_ALGORITHMS[oid];
  return known ? { oid, ...known } : { oid, name: oid, hash: undefined };
}

/** RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1 (RFC 4055). */
function pssHash(der: Uint8Array, params: Tlv | undefined): HashName | undefined {
  if (!params || params.tag !== TAG.sequence) return 'sha1';
  const hashField = childrenOf(der, params).find((t) => t.tag === TAG.context0);
  if (!hashField) return 'sha1';
  const [hashAlg] = childrenOf(der, hashField);
  const [hashOid] = hashAlg ? childrenOf(der, hashAlg) : [];
  return hashOid ? HASH_OIDS[decodeOid(der, hashOid)] : undefined;
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

const DAY_MS = 86_400_000;

export function lifetimeDays(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>): number {
  return (facts.notAfter.getTime() - facts.notBefore.getTime()) / DAY_MS;
}

/** Days from `now` to notAfter (negative once expired). */
export function daysLeft(facts: Pick<CertificateFacts, 'notAfter'>, now: Date): number {
  return (facts.notAfter.getTime() - now.getTime()) / DAY_MS;
}

/** Hashes no longer safe for signatures (collisions are practical). */
export const WEAK_SIGNATURE_HASHES: ReadonlySet<HashName> = new Set(['md5', 'sha1']);
/** The longest validity, in days, a leaf certificate may have: a year, with room for a leap day. */
export const MAX_LEAF_DAYS = 366;

/** Smallest RSA modulus NIST SP 800-131A accepts. */
export const MIN_RSA_BITS = 2048;

export function isWeakRsa(facts: Pick<CertificateFacts, 'key'>): boolean {
  return (facts.key.type === 'rsa' || facts.key.type === 'rsa-pss') && facts.key.bits !== undefined && facts.key.bits < MIN_RSA_BITS;
}
