import { defineCheck, fail, pass, subjectAtField } from '../define.js';
import { GOOD_CONFIG, encryptionExample, forEachEncryptionConfig } from './encryption-config.js';

export default defineCheck({
  id: 'encryption-kms-v1',
  section: 'secrets-encryption',
  severity: 'medium',
  title: 'The encryption config uses a KMS v1 provider (deprecated)',
  docs: {
    what: 'Reports kms providers with apiVersion v1, or without apiVersion (which defaults to v1), anywhere in the EncryptionConfiguration.',
    why: 'KMS v1 is deprecated since Kubernetes 1.28 and disabled by default since 1.29 (feature gate KMSv1): it calls the KMS plugin for every read and write, which is slow enough that clusters add caches or fall back to local keys, and it has no key-ID tracking for rotation. An upgrade can leave a v1-only config unable to decrypt.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/',
    ],
  },
  remediation: `Run a KMS v2 plugin and use apiVersion: v2 (v1 providers may stay after it, for reading, until all data is rewritten):

  providers:
  - kms:
      apiVersion: v2
      name: my-kms
      endpoint: unix:///var/run/kms-plugin/socket.sock
      timeout: 3s`,
  *evaluate(ctx) {
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      const v1: string[] = [];
      (config.object.resources ?? []).forEach((entry, i) =>
        (entry.providers ?? []).forEach((p, j) => {
          if (p.kms && (p.kms.apiVersion ?? 'v1') === 'v1') v1.push(`resources[${i}].providers[${j}]`);
        }),
      );
      if (v1.length === 0) yield pass(subjectAtField(config));
      else yield fail(subjectAtField(config, v1[0]), `the encryption config uses deprecated KMS v1 providers at ${v1.join(', ')}`, { field: v1[0]! });
    });
  },
  examples: {
    fail: [encryptionExample(`resources:
- resources: [secrets]
  providers:
  - kms:
      name: vault
      endpoint: unix:///var/run/kms/socket.sock
      cachesize: 1000`)],
    pass: [
      encryptionExample(GOOD_CONFIG),
      encryptionExample(`resources:
- resources: [secrets]
  providers:
  - kms:
      apiVersion: v2
      name: vault
      endpoint: unix:///var/run/kms/socket.sock`),
    ],
  },
});
