import { defineCheck } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, encryptionExample } from './encryption-config.js';
import { judgeWritingProviders, listResources } from './first-provider.js';
import { ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'encryption-identity-first',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'The encryption config writes in plaintext (identity is the first provider)',
  docs: {
    what: 'Reports EncryptionConfiguration entries whose first provider is identity. The first provider encrypts every write, so these resources are stored in plaintext; the encrypting providers after it only decrypt old data. Severity is high when the entry holds Secrets, medium otherwise. CIS 1.2.28 fails them too (it accepts only aescbc, kms and secretbox first); this view judges the first provider of every entry, where kube-bench\'s audit reads only the line after the file\'s last "providers:".',
    why: 'This is the state a cluster is left in when encryption was "prepared" but never switched on, or switched back during a rollback: the config file exists and names a key, scanners that only look for the flag are satisfied, and every Secret is still written to etcd readable by anyone with the data directory or a backup.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers',
    ],
  },
  remediation: `Move identity to the end of the providers list (keep it only while old plaintext data remains), restart the API servers, then rewrite the data:

  providers:
  - secretbox:
      keys: [{name: key1, secret: <32 random bytes, base64>}]
  - identity: {}

kubectl get secrets -A -o json | kubectl replace -f -`,
  cis: { '1.12': ['1.2.28'] },
  *evaluate(ctx) {
    yield* judgeWritingProviders(
      ctx,
      (p) => p.identity !== undefined && p.identity !== null,
      (entries) => ({
        message: `identity is the first provider for ${listResources(entries)}: they are written to etcd in plaintext`,
        severity: entries.some((e) => e.holdsSecrets) ? 'high' : 'medium',
      }),
    );
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [secrets]
  providers:
  - identity: {}
  - aescbc:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`)],
    pass: [encryptionExample(GOOD_CONFIG)],
  },
  fix: ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX,
});
