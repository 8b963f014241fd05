// What a raw value stored in etcd says about its encryption at rest, judged from its first bytes
// only. kube-apiserver writes an encrypted value as a transformer prefix followed by ciphertext:
// "k8s:enc:<provider>:v1:<key name>:" (aescbc, aesgcm, secretbox), "k8s:enc:kms:v1:<plugin>:" and
// "k8s:enc:kms:v2:<plugin>:" (apiserver/pkg/server/options/encryptionconfig/config.go). Anything
// else was written by the identity provider: plaintext, as protobuf ("k8s\0" magic) or JSON.

export const ENCRYPTION_PROVIDERS = ['aescbc', 'aesgcm', 'secretbox', 'kms'] as const;
export type EncryptionProvider = (typeof ENCRYPTION_PROVIDERS)[number];

export type StoredValueClass =
  | {
      encrypted: true;
      provider: EncryptionProvider;
      providerVersion: 'v1' | 'v2';
      /** The key name (aescbc, aesgcm, secretbox) or the KMS plugin name. */
      keyName: string;
    }
  | {
      encrypted: false;
      /** How the plaintext is serialised; "other" when it is neither (still not encrypted). */
      format: 'protobuf' | 'json' | 'other';
    }
  | {
      /** Starts with "k8s:enc:" but names no provider kube-apiserver knows: not judged. */
      encrypted: 'unknown';
      prefix: string;
    };

const ENC_PREFIX = 'k8s:enc:';
const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
/** Longest prefix looked at: "k8s:enc:secretbox:v1:" plus a key name of at most 200 bytes. */
export const CLASSIFY_PREFIX_BYTES = 256;

/** Classifies a stored value from its first CLASSIFY_PREFIX_BYTES bytes (more are ignored). */
export function classifyStoredValue(head: Uint8Array): StoredValueClass {
  const bytes = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, CLASSIFY_PREFIX_BYTES));
  if (bytes.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) return { encrypted: false, format: 'protobuf' };
  if (bytes.subarray(0, ENC_PREFIX.length).toString('latin1') !== ENC_PREFIX) {
    return { encrypted: false, format: looksLikeJson(bytes) ? 'json' : 'other' };
  }
  // k8s:enc:<provider>:<version>:<name>: -- the name ends at the next colon.
  const fields = bytes.subarray(ENC_PREFIX.length).toString('latin1').split(':');
  const [provider, version, name] = fields;
  const known =
    fields.length >= 4 &&
    name !== undefined &&
    name.length > 0 &&
    ((provider === 'kms' && (version === 'v1' || version === 'v2')) ||
      ((provider === 'aescbc' || provider === 'aesgcm' || provider === 'secretbox') && version === 'v1'));
  if (!known) return { encrypted: 'unknown', prefix: printablePrefix(bytes) };
  return { encrypted: true, provider: provider as EncryptionProvider, providerVersion: version as 'v1' | 'v2', keyName: name };
}

function looksLikeJson(bytes: Buffer): boolean {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b; // "{"
  }
  return false;
}

/**
 * "k8s:enc:<provider>:", the provider's name only when it looks like one: what follows an unknown
 * provider may be stored data, not a version and key name.
 */
function printablePrefix(bytes: Buffer): string {
  const provider = bytes.subarray(ENC_PREFIX.length).toString('latin1').split(':')[0]!;
  return `${ENC_PREFIX}${/^[A-Za-z0-9_-]{1,32}$/.test(provider) ? provider : '?'}:`;
}
