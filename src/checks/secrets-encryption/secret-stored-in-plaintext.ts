import { Inventory } from '../../inventory/inventory.js';
import type { Item } from '../../inventory/types.js';
import { ETCD_VALUES_GAP, type StoredValueClassification } from '../../sources/types.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { Subject } from '../types.js';

const KIND_OF_RESOURCE: Record<string, string> = { secrets: 'Secret', configmaps: 'ConfigMap' };

/** The object a stored value holds (a Secret, a ConfigMap, or the resource as named), as a finding subject. */
export function storedValueSubject(value: StoredValueClassification): Subject {
  const kind = KIND_OF_RESOURCE[value.resource] ?? value.resource;
  return { ref: { kind, ...(value.namespace ? { namespace: value.namespace } : {}), name: value.name } };
}

/** Why stored values cannot be judged: etcd could not be read, or no etcd was scanned. */
export function storedValuesUnseen(inventory: Inventory): string | undefined {
  const gap = inventory.gap(ETCD_VALUES_GAP);
  if (gap) return `etcd could not be read: ${gap}`;
  if (!inventory.storedValues) return 'no etcd endpoint scanned (use --etcd-endpoints URL --etcd-cacert F --etcd-cert F --etcd-key F)';
  return undefined;
}

/** An inventory holding only stored-value classifications, for examples. */
export function storedValuesExample(values: Omit<StoredValueClassification, 'endpoint' | 'key' | 'resource'>[], items: Item[] = []): Inventory {
  return new Inventory(items, {
    storedValues: values.map((v) => ({
      endpoint: 'https://10.0.0.10:2379',
      key: `/registry/secrets/${v.namespace}/${v.name}`,
      resource: 'secrets',
      ...v,
    })),
  });
}

export const STORED_ROOT = { kind: 'Secret', name: '*' };

export default defineCheck({
  id: 'secret-stored-in-plaintext',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'Secret stored in etcd in plaintext',
  docs: {
    what: 'Reads how every Secret is actually stored in etcd (scan --etcd-endpoints): a value that does not start with an encryption provider\'s "k8s:enc:<provider>:" prefix was written in plaintext, and each such Secret is reported with its etcd key. Only the first bytes of each value are read; values are never printed. Without an etcd endpoint the check reports not-evaluated: a correct EncryptionConfiguration does not prove that existing Secrets were rewritten since it was enabled.',
    why: 'Anyone who reads etcd, its data directory, a snapshot or a backup reads every plaintext Secret: service account tokens, registry credentials, TLS keys. Enabling encryption only encrypts values written afterwards, so Secrets created before it stay in plaintext until rewritten, which only a look at etcd reveals.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#verifying-that-data-is-encrypted',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#ensure-all-secrets-are-encrypted',
    ],
  },
  remediation: `Configure an encrypting provider first for secrets in kube-apiserver's --encryption-provider-config
(see encryption-provider-config-missing), then rewrite every Secret so it is stored encrypted:

kubectl get secrets --all-namespaces -o json | kubectl replace -f -

and verify again:

kubeward scan --etcd-endpoints https://127.0.0.1:2379 --etcd-cacert /etc/kubernetes/pki/etcd/ca.crt \\
  --etcd-cert /etc/kubernetes/pki/apiserver-etcd-client.crt --etcd-key /etc/kubernetes/pki/apiserver-etcd-client.key`,
  *evaluate({ inventory }) {
    const unseen = storedValuesUnseen(inventory);
    if (unseen) {
      yield notEvaluated({ ref: STORED_ROOT }, unseen);
      return;
    }
    for (const value of inventory.storedValues ?? []) {
      if (value.resource !== 'secrets') continue;
      const subject = storedValueSubject(value);
      if (value.encrypted) yield pass(subject);
      else if (value.unknownPrefix !== undefined) {
        yield notEvaluated(subject, `${value.key} at ${value.endpoint} starts with "${value.unknownPrefix}", a prefix of no known encryption provider`);
      } else yield fail(subject, `stored in etcd in plaintext (${value.key} at ${value.endpoint}, ${value.format ?? 'unknown'} encoding)`);
    }
  },
  examples: {
    fail: [
      {
        description: 'etcd holds /registry/secrets/prod/db-password in plaintext (written before encryption was enabled) and prod/api-token as k8s:enc:aescbc:v1:key1:...',
        build: () =>
          storedValuesExample([
            { namespace: 'prod', name: 'db-password', encrypted: false, format: 'protobuf' },
            { namespace: 'prod', name: 'api-token', encrypted: true, provider: 'aescbc', providerVersion: 'v1', keyName: 'key1' },
          ]),
      },
    ],
    pass: [
      {
        description: 'etcd holds every Secret encrypted: k8s:enc:secretbox:v1:key1:... and k8s:enc:kms:v2:vault:...',
        build: () =>
          storedValuesExample([
            { namespace: 'prod', name: 'db-password', encrypted: true, provider: 'secretbox', providerVersion: 'v1', keyName: 'key1' },
            { namespace: 'kube-system', name: 'bootstrap-token-abcdef', encrypted: true, provider: 'kms', providerVersion: 'v2', keyName: 'vault' },
          ]),
      },
    ],
  },
});
