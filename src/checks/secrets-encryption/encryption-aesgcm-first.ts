import { defineCheck } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, encryptionExample } from './encryption-config.js';
import { judgeWritingProviders, listResources } from './first-provider.js';
import { ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'encryption-aesgcm-first',
  section: 'secrets-encryption',
  severity: 'low',
  title: 'The encryption config writes with aesgcm, which needs a key rotation every 200,000 writes',
  docs: {
    what: 'Reports EncryptionConfiguration entries whose first (writing) provider is aesgcm. CIS 1.2.28 fails them too: it accepts only aescbc, kms and secretbox first.',
    why: 'aesgcm uses random nonces: after about 200,000 writes with one key a nonce collision becomes likely, and a single collision reveals the authentication key and lets an attacker forge ciphertexts. Upstream therefore requires rotating the key at that rate, a manual chore clusters rarely do; kms v2 (which derives per-write keys) or secretbox avoid it.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers',
    ],
  },
  remediation: `Prefer kms (apiVersion: v2) or secretbox as the first provider; if aesgcm stays, automate rotating its key well before 200,000 writes:

  providers:
  - secretbox:
      keys: [{name: key2, secret: <32 random bytes, base64>}]
  - aesgcm:
      keys: [{name: key1, secret: <existing key>}]`,
  cis: { '1.12': ['1.2.28'] },
  *evaluate(ctx) {
    yield* judgeWritingProviders(ctx, (p) => p.aesgcm !== undefined && p.aesgcm !== null, (entries) => ({
      message: `aesgcm encrypts writes of ${listResources(entries)}: its key must be rotated every 200,000 writes`,
    }));
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [secrets]
  providers:
  - aesgcm:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`)],
    pass: [encryptionExample(GOOD_CONFIG)],
  },
  fix: ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX,
});
