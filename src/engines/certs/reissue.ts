// Re-issuing a certificate as `kubeadm certs renew` does: the same subject, issuer, subject
// alternative names and extensions (copied as DER from the old certificate), a new random serial,
// a new validity, a NEW key pair of the same kind (RSA at least MIN_RSA_BITS, EC on the same
// standard curve), its subjectKeyIdentifier derived from the new key, signed with SHA-256 by the
// issuing CA's key. node:crypto does the key generation and the signature; der.ts the encoding.

import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { MIN_RSA_BITS } from './certificate.js';
import { childrenOf, decodeOid, encodeBitString, encodeExplicit, encodeInteger, encodeNull, encodeOctetString, encodeOid, encodeSequence, encodeTime, rawElement, readTlv, TAG, type Tlv } from './der.js';

/** A leaf certificate lives this long once re-issued, as kubeadm's default (checks allow up to MAX_LEAF_DAYS). */
export const REISSUE_DAYS = 365;
/** notBefore is set this far before now, so a clock slightly behind still accepts it (kubeadm: 5 minutes). */
export const BACKDATE_MS = 5 * 60_000;

const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** EC curves a new key may keep; anything else becomes P-256. */
const STANDARD_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export class ReissueError extends Error {
  override name = 'ReissueError';
}

/** How a CA's key signs: the AlgorithmIdentifier written into the certificate and node:crypto's digest. */
export interface SigningAlgorithm {
  name: string;
  identifier: Buffer;
  digest: 'sha256' | null;
}

/** The algorithm a CA key signs re-issued certificates with, or undefined when its kind cannot sign them here. */
export function signingAlgorithmFor(caKey: KeyObject): SigningAlgorithm | undefined {
  switch (caKey.asymmetricKeyType) {
    case 'rsa':
      return { name: 'sha256WithRSAEncryption', identifier: encodeSequence(encodeOid(OID.sha256WithRSA), encodeNull()), digest: 'sha256' };
    case 'ec':
      return { name: 'ecdsa-with-SHA256', identifier: encodeSequence(encodeOid(OID.ecdsaWithSha256)), digest: 'sha256' };
    case 'ed25519':
      return { name: 'Ed25519', identifier: encodeSequence(encodeOid(OID.ed25519)), digest: null };
    case 'ed448':
      return { name: 'Ed448', identifier: encodeSequence(encodeOid(OID.ed448)), digest: null };
    default:
      return undefined;
  }
}

/** What the new key pair is, given the old certificate's key; undefined for kinds this does not generate. */
export interface NewKeySpec {
  type: 'rsa' | 'ec' | 'ed25519';
  bits?: number;
  curve?: string;
  /** For messages and the diff: "RSA 2048", "EC prime256v1", "Ed25519". */
  label: string;
}

export function newKeySpecFor(old: X509Certificate): NewKeySpec | undefined {
  const key = old.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = Math.max(MIN_RSA_BITS, details.modulusLength ?? 0);
      return { type: 'rsa', bits, label: `RSA ${bits}` };
    }
    case 'ec': {
      const curve = details.namedCurve && STANDARD_CURVES.has(details.namedCurve) ? details.namedCurve : 'prime256v1';
      return { type: 'ec', curve, label: `EC ${curve}` };
    }
    case 'ed25519':
      return { type: 'ed25519', label: 'Ed25519' };
    default:
      return undefined;
  }
}

function generateKeyPair(spec: NewKeySpec): { privateKey: KeyObject; publicKey: KeyObject } {
  if (spec.type === 'rsa') return generateKeyPairSync('rsa', { modulusLength: spec.bits ?? MIN_RSA_BITS, publicExponent: 0x10001 });
  if (spec.type === 'ec') return generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'prime256v1' });
  return generateKeyPairSync('ed25519');
}

export interface ReissueInput {
  /** The certificate to re-issue. */
  old: X509Certificate;
  /** The CA that issued it, and the CA's private key. */
  issuer: X509Certificate;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** The new key pair; generated from newKeySpecFor(old) when absent. */
  keyPair?: { privateKey: KeyObject; publicKey: KeyObject };
  /** The new serial's bytes; 16 random bytes when absent. */
  serial?: Uint8Array;
}

export interface Reissued {
  certificate: X509Certificate;
  /** The certificate as one PEM block. */
  pem: string;
  privateKey: KeyObject;
  keyLabel: string;
  algorithm: string;
}

/** A positive serial of 16 random bytes (RFC 5280: at most 20 octets; CA/B: at least 64 random bits). */
function randomSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) || 0x01;
  return bytes;
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value (no tag, length or unused-bits byte). */
function keyIdentifier(spki: Uint8Array): Buffer {
  const seq = readTlv(spki, 0);
  const bits = childrenOf(spki, seq)[1];
  if (!bits || bits.tag !== TAG.bitString) throw new ReissueError('the public key has no BIT STRING');
  return createHash('sha1').update(spki.subarray(bits.contentStart + 1, bits.end)).digest();
}

/** The tbsCertificate's elements by name (RFC 5280 4.1). */
interface TbsParts {
  version: Tlv | undefined;
  issuer: Tlv;
  subject: Tlv;
  /** issuerUniqueID [1] and subjectUniqueID [2], copied as they are. */
  uniqueIds: Tlv[];
  extensions: Tlv | undefined;
}

function tbsParts(der: Uint8Array): TbsParts {
  const cert = readTlv(der, 0);
  const [tbs] = childrenOf(der, cert);
  if (!tbs || tbs.tag !== TAG.sequence) throw new ReissueError('not an X.509 certificate');
  const fields = childrenOf(der, tbs);
  const version = fields[0]?.tag === TAG.context0 ? fields[0] : undefined;
  const at = version ? 1 : 0;
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const [, , issuer, , subject, spki, ...rest] = fields.slice(at);
  if (!issuer || !subject || !spki || issuer.tag !== TAG.sequence || subject.tag !== TAG.sequence) throw new ReissueError('the certificate has no issuer or subject');
  const extensions = rest.find((t) => t.tag === TAG.context3);
  return { version, issuer, subject, uniqueIds: rest.filter((t) => t.tag === 0x81 || t.tag === 0x82 || t.tag === 0xa1 || t.tag === 0xa2), extensions };
}

/** The old extensions, each copied byte for byte, except subjectKeyIdentifier which names the new key. */
function extensionsFor(der: Uint8Array, extensions: Tlv, newSpki: Uint8Array): Buffer {
  const [list] = childrenOf(der, extensions);
  if (!list || list.tag !== TAG.sequence) throw new ReissueError('malformed extensions');
  const out = childrenOf(der, list).map((extension) => {
    const [oid, ...rest] = childrenOf(der, extension);
    if (!oid || decodeOid(der, oid) !== OID.subjectKeyIdentifier) return rawElement(der, extension);
    const critical = rest.length === 2 ? [rawElement(der, rest[0]!)] : [];
    return encodeSequence(encodeOid(OID.subjectKeyIdentifier), ...critical, encodeOctetString(encodeOctetString(keyIdentifier(newSpki))));
  });
  return encodeExplicit(3, encodeSequence(...out));
}

/**
 * The certificate re-issued: what identifies it copied from the old one, what must change made
 * new. Throws ReissueError when the issuer is not the old certificate's, or the result does not
 * verify with the issuer's key.
 */
export function reissueCertificate(input: ReissueInput): Reissued {
  const { old, issuer, issuerKey } = input;
  if (!old.checkIssued(issuer) || !old.verify(issuer.publicKey)) throw new ReissueError(`${issuer.subject.replace(/\n/g, ', ')} did not issue this certificate`);
  if (!issuer.checkPrivateKey(issuerKey)) throw new ReissueError('the private key is not the issuer\'s');
  if (input.notAfter.getTime() <= input.notBefore.getTime()) throw new ReissueError('notAfter is not after notBefore');
  const algorithm = signingAlgorithmFor(issuerKey);
  if (!algorithm) throw new ReissueError(`cannot sign with a ${issuerKey.asymmetricKeyType} key`);
  const spec = newKeySpecFor(old);
  if (!input.keyPair && !spec) throw new ReissueError(`no new key for a ${old.publicKey.asymmetricKeyType} key`);
  const keyPair = input.keyPair ?? generateKeyPair(spec!);

  const der = old.raw;
  const parts = tbsParts(der);
  const spki = keyPair.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = encodeSequence(
    ...(parts.version ? [rawElement(der, parts.version)] : []),
    encodeInteger(input.serial ?? randomSerial()),
    algorithm.identifier,
    rawElement(der, parts.issuer),
    encodeSequence(encodeTime(input.notBefore), encodeTime(input.notAfter)),
    rawElement(der, parts.subject),
    spki,
    ...parts.uniqueIds.map((t) => rawElement(der, t)),
    ...(parts.extensions ? [extensionsFor(der, parts.extensions, spki)] : []),
  );
  const signature = sign(algorithm.digest, tbs, issuerKey);
  const certDer = encodeSequence(tbs, algorithm.identifier, encodeBitString(signature));
  const pem = toPem('CERTIFICATE', certDer);
  const certificate = new X509Certificate(pem);
  if (!certificate.verify(issuer.publicKey) || !certificate.checkIssued(issuer) || !certificate.checkPrivateKey(keyPair.privateKey)) {
    throw new ReissueError('the re-issued certificate does not verify');
  }
  return { certificate, pem, privateKey: keyPair.privateKey, keyLabel: spec?.label ?? keyPair.privateKey.asymmetricKeyType ?? 'key', algorithm: algorithm.name };
}

/** A PEM block, its base64 in lines of 64 as openssl writes them. */
function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

/** The PEM labels of private keys, and node:crypto's export type for each. */
const KEY_FORMATS = {
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'PRIVATE KEY': 'pkcs8',
} as const;

type PrivateKeyLabel = keyof typeof KEY_FORMATS;

const PRIVATE_KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----\n?/g;

/**
 * A private key as PEM in the format the old one had (kubeadm writes PKCS#1 for RSA, SEC1 for
 * EC; openssl and cert-manager PKCS#8), falling back to PKCS#8 where that format cannot hold it.
 */
export function privateKeyPem(key: KeyObject, like: string | undefined): string {
  let format = KEY_FORMATS[(like ?? 'PRIVATE KEY') as PrivateKeyLabel] ?? 'pkcs8';
  if (format === 'pkcs1' && key.asymmetricKeyType !== 'rsa') format = 'pkcs8';
  if (format === 'sec1' && key.asymmetricKeyType !== 'ec') format = 'pkcs8';
  return key.export({ type: format, format: 'pem' }) as string;
}

/** The private key blocks of a PEM text that parse (unencrypted), with their label and place. */
export function privateKeysIn(text: string): { label: string; key: KeyObject; start: number; end: number }[] {
  const out: { label: string; key: KeyObject; start: number; end: number }[] = [];
  for (const m of text.matchAll(PRIVATE_KEY_BLOCK)) {
    if (m[1] === 'ENCRYPTED PRIVATE KEY') continue;
    try {
      out.push({ label: m[1]!, key: createPrivateKey(m[0]), start: m.index, end: m.index + m[0].length });
    } catch {
      // A block that does not parse is no key this can use.
    }
  }
  return out;
}
