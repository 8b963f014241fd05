import { defineCheck, fail, pass, subjectAtField } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, encryptionExample, forEachEncryptionConfig, type EncryptionKey } from './encryption-config.js';

/** Key lengths upstream accepts (validation_encryption.go: aesKeySizes, secretBoxKeySizes). */
const KEY_SIZES = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] } as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded length of a standard base64 key, or undefined if it is not valid base64. Never the key. */
function decodedLength(secret: string): number | undefined {
  if (!BASE64.test(secret)) return undefined;
  return Buffer.from(secret, 'base64').length;
}

export default defineCheck({
  id: 'encryption-key-wrong-size',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'Encryption keys of the wrong size or not base64',
  docs: {
    what: 'Decodes the length (only the length) of every aescbc, aesgcm and secretbox key in the EncryptionConfiguration and reports keys that are not 16, 24 or 32 bytes (aescbc, aesgcm) or 32 bytes (secretbox), or are not valid base64. Key values are never printed.',
    why: 'kube-apiserver refuses such a config and does not start: a key typed by hand, or generated with the wrong length, turns the next restart of the control plane into an outage, often at the moment encryption is being switched on. Short keys that do load (16-byte AES) are also weaker than the 32 bytes upstream documents.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers',
    ],
  },
  remediation: `Generate keys of the right size and base64 them:

head -c 32 /dev/urandom | base64`,
  *evaluate(ctx) {
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      const problems: { field: string; text: string }[] = [];
      (config.object.resources ?? []).forEach((entry, i) =>
        (entry.providers ?? []).forEach((provider, j) => {
          for (const type of ['aescbc', 'aesgcm', 'secretbox'] as const) {
            const keys: EncryptionKey[] = provider[type]?.keys ?? [];
            keys.forEach((key, k) => {
              const field = `resources[${i}].providers[${j}].${type}.keys[${k}]`;
              const label = `${type} key ${key.name ?? `#${k + 1}`}`;
              const length = decodedLength(key.secret ?? '');
              if (!key.secret) problems.push({ field, text: `${label} has no secret` });
              else if (length === undefined) problems.push({ field, text: `${label} is not valid base64` });
              else if (!(KEY_SIZES[type] as readonly number[]).includes(length)) problems.push({ field, text: `${label} is ${length} bytes (expected ${KEY_SIZES[type].join(', ')})` });
            });
          }
        }),
      );
      if (problems.length === 0) yield pass(subjectAtField(config));
      else yield fail(subjectAtField(config, problems[0]!.field), `the encryption config has unusable keys: ${problems.map((p) => p.text).join('; ')}`, { field: problems[0]!.field });
    });
  },
  examples: {
    fail: [
      encryptionExample(`resources:
- resources: [secrets]
  providers:
  - secretbox:
      keys: [{name: key1, secret: ${Buffer.alloc(16, 7).toString('base64')}}]`),
      encryptionExample(`resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys: [{name: key1, secret: "not base64!"}]`),
    ],
    pass: [
      encryptionExample(GOOD_CONFIG),
      encryptionExample(`resources:
- resources: [secrets]
  providers:
  - aesgcm:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`),
    ],
  },
});
