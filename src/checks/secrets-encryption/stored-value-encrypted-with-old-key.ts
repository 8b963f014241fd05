import { parseDocuments } from '../../sources/documents.js';
import type { StoredValueClassification } from '../../sources/types.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { EXAMPLE_KEY_32, coveringEntry, encryptionExample, forEachEncryptionConfig, providerType, type ProviderConfig } from './encryption-config.js';
import { STORED_ROOT, storedValueSubject, storedValuesExample, storedValuesUnseen } from './secret-stored-in-plaintext.js';

/** The "provider:version:key" a provider writes with, as its stored prefix names it; undefined for identity. */
function writePrefixOf(provider: ProviderConfig): string | undefined {
  const type = providerType(provider);
  if (type === 'aescbc' || type === 'aesgcm' || type === 'secretbox') {
    const name = provider[type]?.keys?.[0]?.name;
    return name ? `${type}:v1:${name}` : undefined;
  }
  if (type === 'kms' && provider.kms?.name) return `kms:${provider.kms.apiVersion === 'v2' ? 'v2' : 'v1'}:${provider.kms.name}`;
  return undefined;
}

/** Every "provider:version:key" a resources entry can decrypt with. */
function readPrefixesOf(providers: ProviderConfig[]): Set<string> {
  const prefixes = new Set<string>();
  for (const provider of providers) {
    const type = providerType(provider);
    if (type === 'aescbc' || type === 'aesgcm' || type === 'secretbox') {
      for (const key of provider[type]?.keys ?? []) if (key.name) prefixes.add(`${type}:v1:${key.name}`);
    } else if (type === 'kms') {
      const prefix = writePrefixOf(provider);
      if (prefix) prefixes.add(prefix);
    }
  }
  return prefixes;
}

const storedPrefix = (v: StoredValueClassification): string => `${v.provider}:${v.providerVersion}:${v.keyName}`;

const ROTATED_CONFIG = `resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - {name: key2, secret: ${Buffer.alloc(32, 9).toString('base64')}}
      - {name: key1, secret: ${EXAMPLE_KEY_32}}
  - identity: {}`;

const rotatedInventory = (keyName: string) =>
  storedValuesExample(
    [{ namespace: 'prod', name: 'db-password', encrypted: true, provider: 'aescbc', providerVersion: 'v1', keyName }],
    parseDocuments(encryptionExample(ROTATED_CONFIG), 'control-plane.yaml').items,
  );

export default defineCheck({
  id: 'stored-value-encrypted-with-old-key',
  section: 'secrets-encryption',
  severity: 'medium',
  title: 'Value in etcd still encrypted with a key that no longer encrypts writes',
  docs: {
    what: 'Compares how each value read from etcd (scan --etcd-endpoints) is encrypted with the provider and key the API server\'s EncryptionConfiguration now writes with (the first provider of the entry covering the resource, and its first key). A value under another provider or key was not rewritten since the key was rotated; one under a key the config no longer lists cannot be decrypted at all. Plaintext values are secret-stored-in-plaintext\'s findings; an entry whose first provider is identity is encryption-identity-first\'s.',
    why: 'Keys are rotated because they may be exposed or are old; until every value is rewritten, the old key still decrypts them, so it can be neither removed from the config nor considered retired. A value whose key has been removed from the config is unreadable: the API server fails to serve that object.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#rotating-a-decryption-key',
    ],
  },
  remediation: `After putting the new key first (and restarting every kube-apiserver), rewrite every value of the
resource so it is encrypted with the new key, then remove the old key from the config:

kubectl get secrets --all-namespaces -o json | kubectl replace -f -`,
  *evaluate(ctx) {
    const unseen = storedValuesUnseen(ctx.inventory);
    if (unseen) {
      yield notEvaluated({ ref: STORED_ROOT }, unseen);
      return;
    }
    const values = ctx.inventory.storedValues ?? [];
    yield* forEachEncryptionConfig(ctx, function* ({ config }) {
      for (const value of values) {
        if (value.encrypted !== true) continue;
        const dot = value.resource.indexOf('.');
        const covering = coveringEntry(config.object, dot < 0 ? value.resource : value.resource.slice(0, dot), dot < 0 ? '' : value.resource.slice(dot + 1));
        const providers = covering?.entry.providers ?? [];
        const writes = providers[0] ? writePrefixOf(providers[0]) : undefined;
        if (!writes) continue;
        const stored = storedPrefix(value);
        if (stored === writes) {
          yield pass(storedValueSubject(value));
          continue;
        }
        const readable = readPrefixesOf(providers).has(stored);
        yield fail(
          storedValueSubject(value),
          `${value.key} is encrypted with ${stored}, but ${config.location.file} now writes with ${writes}` +
            (readable ? '; rewrite it' : `, and no longer lists ${stored}: kube-apiserver cannot decrypt it`),
        );
      }
    });
  },
  examples: {
    fail: [{ description: 'config rotated to aescbc key2; etcd still holds prod/db-password as k8s:enc:aescbc:v1:key1:...', build: () => rotatedInventory('key1') }],
    pass: [{ description: 'every value rewritten with the new first key: k8s:enc:aescbc:v1:key2:...', build: () => rotatedInventory('key2') }],
  },
});
