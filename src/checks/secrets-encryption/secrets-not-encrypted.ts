import { defineCheck, fail, pass, subjectAtField } from '../define.js';
import { EXAMPLE_KEY_32, GOOD_CONFIG, coveringEntry, encryptionExample, forEachEncryptionConfig } from './encryption-config.js';

export default defineCheck({
  id: 'secrets-not-encrypted',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'The encryption config does not cover Secrets',
  docs: {
    what: 'Reports EncryptionConfigurations in which no resources entry names secrets (neither "secrets", "*." for the core group nor "*.*"): the API server then stores Secrets in plaintext although encryption at rest looks configured.',
    why: 'Secrets are what encryption at rest exists for. A config that encrypts other resources but not Secrets gives the appearance of protection while every credential still sits readable in etcd and its backups.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration',
    ],
  },
  remediation: `List secrets in the config's first resources entry, with an encrypting provider first:

resources:
- resources: [secrets, configmaps]
  providers:
  - secretbox:
      keys: [{name: key1, secret: <32 random bytes, base64>}]
  - identity: {}`,
  *evaluate(ctx) {
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      if (coveringEntry(config.object, 'secrets')) yield pass(subjectAtField(config));
      else yield fail(subjectAtField(config, 'resources'), 'the encryption config covers no secrets: Secrets are stored in plaintext', { field: 'resources' });
    });
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [configmaps]
  providers:
  - secretbox:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`)],
    pass: [
      encryptionExample(GOOD_CONFIG),
      {
        description: 'every core resource through "*."',
        yaml: encryptionExample(`resources:
- resources: ["*."]
  providers:
  - secretbox:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]`),
      },
    ],
  },
});
