// The EncryptionConfiguration kube-apiserver reads (--encryption-provider-config) and how it
// applies it (k8s.io/apiserver/pkg/server/options/encryptionconfig): for a resource, the first
// `resources` entry naming it (exactly, by its group's "*.<group>", or by "*.*") decides, and
// that entry's first provider encrypts every write; the others only decrypt.

import { hostOfFile, type ComponentSettings, type Setting } from '../../engines/config/index.js';
import { Inventory } from '../../inventory/inventory.js';
import type { Item, K8sObject } from '../../inventory/types.js';
import { parseDocuments } from '../../sources/documents.js';
import { forEachApiServerConfigFile } from '../component-support.js';
import type { CheckContext, CheckResult } from '../types.js';

export interface EncryptionKey {
  name?: string;
  secret?: string;
}

export interface ProviderConfig {
  identity?: object;
  aescbc?: { keys?: EncryptionKey[] };
  aesgcm?: { keys?: EncryptionKey[] };
  secretbox?: { keys?: EncryptionKey[] };
  kms?: { apiVersion?: string; name?: string; endpoint?: string };
}

export interface ResourceConfig {
  resources?: string[];
  providers?: ProviderConfig[];
}

export interface EncryptionConfiguration extends K8sObject {
  resources?: ResourceConfig[];
}

export const PROVIDER_TYPES = ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export function providerType(provider: ProviderConfig | undefined): ProviderType | undefined {
  return PROVIDER_TYPES.find((t) => provider?.[t] !== undefined && provider[t] !== null);
}

/** The resources entry that decides how a resource of a group ("" for core) is stored. */
export function coveringEntry(config: EncryptionConfiguration, resource: string, group = ''): { index: number; entry: ResourceConfig } | undefined {
  const names = new Set([group ? `${resource}.${group}` : resource, `*.${group}`, '*.*']);
  const index = (config.resources ?? []).findIndex((entry) => (entry.resources ?? []).some((r) => names.has(r)));
  return index < 0 ? undefined : { index, entry: config.resources![index]! };
}

export interface EncryptionSetup {
  settings: ComponentSettings;
  flag: Setting;
  config: Item<EncryptionConfiguration>;
}

/**
 * The encryption config of every kube-apiserver that names one. A server without the flag is
 * encryption-provider-config-missing's finding; a config file that is not in the input cannot
 * be judged.
 */
export function* forEachEncryptionConfig(ctx: CheckContext, judge: (setup: EncryptionSetup) => Iterable<CheckResult>): Iterable<CheckResult> {
  yield* forEachApiServerConfigFile(ctx, 'encryption-provider-config', 'EncryptionConfiguration', 'apiserver.config.k8s.io', ({ settings, flag, file }) =>
    judge({ settings, flag, config: file as Item<EncryptionConfiguration> }));
}

/** The node file an item was read from (mode, owner), when it came from a node root. */
export function hostFileOf(inventory: Inventory, item: Item) {
  const host = hostOfFile(inventory, item.location.file);
  if (!host) return undefined;
  const path = item.location.file.slice(host.root.replace(/\/+$/, '').length);
  return host.files.find((f) => f.path === path);
}

/** A kubeadm API server reading an encryption config, plus the config, for examples. */
export function encryptionExample(config: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --encryption-provider-config=/etc/kubernetes/encryption-config.yaml]
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
${config}`;
}

/** Example key material (base64 of fixed bytes), never a real key. */
export const EXAMPLE_KEY_32 = Buffer.alloc(32, 7).toString('base64');

export const GOOD_CONFIG = `resources:
- resources: [secrets, configmaps]
  providers:
  - secretbox:
      keys: [{name: key1, secret: ${EXAMPLE_KEY_32}}]
  - identity: {}`;

/** An inventory of a node root holding the API server manifest and its config file, for examples. */
export function nodeRootExample(configMode: number, config = GOOD_CONFIG): Inventory {
  const root = '/host';
  const manifest = `${root}/etc/kubernetes/manifests/kube-apiserver.yaml`;
  const configFile = `${root}/etc/kubernetes/encryption-config.yaml`;
  const [pod, encryption] = encryptionExample(config).split('\n---\n');
  const items = [...parseDocuments(pod!, manifest).items, ...parseDocuments(encryption!, configFile).items];
  const file = (path: string, mode: number) => ({ path, mode, uid: 0, gid: 0, size: 0, type: 'file' as const });
  return new Inventory(items, {
    hosts: [{
      name: 'cp-1', root, certificates: [], modprobeRules: [], processes: [],
      files: [file('/etc/kubernetes/manifests/kube-apiserver.yaml', 0o600), file('/etc/kubernetes/encryption-config.yaml', configMode)],
    }],
  });
}
