import { defineCheck } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, encryptionExample } from './encryption-config.js';
import { judgeWritingProviders, listResources } from './first-provider.js';
import { ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'encryption-aescbc-first',
  section: 'secrets-encryption',
  severity: 'medium',
  title: 'The encryption config writes with aescbc, which upstream no longer recommends',
  docs: {
    what: 'Reports EncryptionConfiguration entries whose first (writing) provider is aescbc. Stricter than CIS 1.2.28, which accepts aescbc, kms and secretbox.',
    why: 'AES-CBC with PKCS#7 padding and no authentication is vulnerable to padding-oracle attacks, and its key sits in a file on every control-plane node. Upstream documents it as not recommended; secretbox (authenticated encryption) or, better, KMS v2 with the key held outside the node are the replacements.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers',
    ],
  },
  remediation: `Add a secretbox (or kms apiVersion: v2) provider before aescbc, restart the API servers, rewrite all Secrets, then remove aescbc:

  providers:
  - secretbox:
      keys: [{name: key2, secret: <32 random bytes, base64>}]
  - aescbc:
      keys: [{name: key1, secret: <existing key>}]`,
  cis: { '1.12': ['1.2.28'] },
  *evaluate(ctx) {
    yield* judgeWritingProviders(ctx, (p) => p.aescbc !== undefined && p.aescbc !== null, (entries) => ({
      message: `aescbc encrypts writes of ${listResources(entries)} (unauthenticated CBC, not recommended upstream)`,
      cis: { '1.12': { '1.2.28': 'pass' } },
      cisNote: 'CIS accepts aescbc as the first provider (with kms and secretbox); kubeward flags it as no longer recommended upstream',
    }));
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`)],
    pass: [encryptionExample(GOOD_CONFIG)],
  },
  fix: ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX,
});
