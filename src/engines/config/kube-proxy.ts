// kube-proxy's effective settings: with --config the KubeProxyConfiguration file (kubeadm mounts
// it from the kube-system/kube-proxy ConfigMap) decides; flags apply without it.

import { posix } from 'node:path';
import { yamlLibrary } from '../../yaml.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Item } from '../../inventory/types.js';
import type { KubeVersion } from '../../inventory/version.js';
import { KUBE_PROXY_FIELDS } from './defaults.js';
import type { Setting } from './origin.js';
import { componentRuns, type ComponentRun } from './runs.js';
import { stringify, valueAt } from './settings.js';

export interface KubeProxySettings {
  run: ComponentRun;
  /** The effective value of a KubeProxyConfiguration field and its origin. */
  get(field: string): Setting;
  /** What its --config names, when the input holds it: a KubeProxyConfiguration file, or a key of a ConfigMap (YAML in a string). */
  config?: { item: Item; key?: string };
}

/** The config read (its location is the item's: the file, or the ConfigMap holding the key), or why it is missing. */
type ConfigSource = { data: Record<string, unknown>; field: string; item: Item; key?: string } | { missing: string };

/** The KubeProxyConfiguration a --config path names: a file item, or a key of a mounted ConfigMap. */
function configAt(inventory: Inventory, run: ComponentRun, path: string): ConfigSource {
  const fileItem = inventory.ofKind('KubeProxyConfiguration').find((i) => i.location.file.endsWith(path));
  if (fileItem) return { data: fileItem.object, field: '', item: fileItem };
  const pod = run.pod;
  if (pod) {
    const spec = pod.item.object.spec as { template?: { spec?: { volumes?: { name?: string; configMap?: { name?: string } }[] } }; volumes?: { name?: string; configMap?: { name?: string } }[] } | undefined;
    const volumes = spec?.template?.spec?.volumes ?? spec?.volumes ?? [];
    const mount = (pod.container.volumeMounts ?? []).find((m) => m.mountPath && posix.dirname(path) === m.mountPath.replace(/\/+$/, ''));
    const configMapName = volumes.find((v) => v.name === mount?.name)?.configMap?.name;
    if (configMapName) {
      const configMap = inventory.get('ConfigMap', pod.item.ref.namespace, configMapName);
      const key = posix.basename(path);
      const text = (configMap?.object.data as Record<string, unknown> | undefined)?.[key];
      if (configMap && typeof text === 'string') {
        try {
          const data = yamlLibrary().parse(text) as Record<string, unknown>;
          return { data: data ?? {}, field: `ConfigMap ${configMapName} data["${key}"]: `, item: configMap, key };
        } catch {
          return { missing: `ConfigMap ${configMapName} key ${key} is not valid YAML` };
        }
      }
      return { missing: `kube-proxy reads ${path} from ConfigMap ${configMapName}, which is not in the input` };
    }
  }
  return { missing: `kube-proxy reads ${path} (--config), which is not in the input` };
}

export function kubeProxySettings(inventory: Inventory, version: KubeVersion | undefined): KubeProxySettings[] {
  const label = version ? `v${version.major}.${version.minor}` : undefined;
  return componentRuns(inventory, 'kube-proxy').map((run) => {
    const configPath = run.flags.get('config')?.value;
    const config = configPath ? configAt(inventory, run, configPath) : undefined;
    return {
      run,
      ...(config && !('missing' in config) ? { config: { item: config.item, ...(config.key !== undefined ? { key: config.key } : {}) } } : {}),
      get(field) {
        const known = KUBE_PROXY_FIELDS.find((f) => f.field === field);
        const fallback: Setting = { value: known?.default, origin: { kind: 'default', version: label } };
        if (!config) {
          const flag = known ? run.flags.get(known.flag) : undefined;
          const origin = known ? run.flagOrigin(known.flag) : undefined;
          return flag && origin ? { value: flag.value, origin } : fallback;
        }
        if ('missing' in config) return { ...fallback, value: undefined, unresolved: config.missing };
        const value = valueAt(config.data, field);
        if (value === undefined || value === null || value === '') return fallback;
        const { file, line } = config.item.location;
        return { value: stringify(value), origin: { kind: 'file', field: config.field + field, location: line ? { file, line } : { file } } };
      },
    };
  });
}
