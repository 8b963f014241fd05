import { defineCheck, fail, pass, subjectAtField } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, coveringEntry, encryptionExample, forEachEncryptionConfig } from './encryption-config.js';
import { ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'configmaps-not-encrypted',
  section: 'secrets-encryption',
  severity: 'low',
  title: 'The encryption config does not cover ConfigMaps',
  docs: {
    what: 'Reports EncryptionConfigurations in which no resources entry names configmaps (neither "configmaps", "*." nor "*.*").',
    why: 'ConfigMaps are meant for non-secret data, yet in practice they carry connection strings, API keys and whole config files with passwords. Encrypting them costs little and removes a common place where credentials end up in etcd and its backups in plaintext.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/',
    ],
  },
  remediation: `Add configmaps next to secrets in the config's resources entry, then rewrite them:

- resources: [secrets, configmaps]
kubectl get configmaps -A -o json | kubectl replace -f -`,
  *evaluate(ctx) {
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      if (coveringEntry(config.object, 'configmaps')) yield pass(subjectAtField(config));
      else yield fail(subjectAtField(config, 'resources'), 'the encryption config covers no configmaps: ConfigMaps are stored in plaintext', { field: 'resources' });
    });
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [secrets]
  providers:
  - secretbox:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`)],
    pass: [encryptionExample(GOOD_CONFIG)],
  },
  fix: ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX,
});
