// The kubelet's effective configuration per node: command-line flags over --config-dir drop-ins
// (in file-name order, later wins) over the --config file over defaults. The defaults depend on
// how the kubelet is configured: with --config it applies KubeletConfiguration defaulting
// (anonymous off, webhook authn and authz, no read-only port); flags alone keep the legacy,
// insecure defaults. A /configz snapshot is already effective and is taken as it is.

import { yamlLibrary } from '../../yaml.js';
import { fieldLineOf } from '../../inventory/field-lines.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { Item, K8sObject, Location, ResourceRef } from '../../inventory/types.js';
import type { KubeVersion } from '../../inventory/version.js';
import { KUBELET_FIELDS } from './defaults.js';
import type { Setting } from './origin.js';
import { componentRuns, hostOfFile, type ComponentRun } from './runs.js';
import { stringify, valueAt } from './settings.js';

export const CONFIGZ_ANNOTATION = 'kubeward.io/source';

export interface KubeletSettings {
  /** The node's name (host name, configz node name, or the config file's name). */
  node: string;
  /** What findings name, and where to fix it by default. */
  ref: ResourceRef;
  location: Location;
  /** node: read from a node root or process; configz: live effective config; config-file: a lone KubeletConfiguration. */
  source: 'node' | 'configz' | 'config-file';
  run?: ComponentRun;
  /** The effective value of a KubeletConfiguration field (dotted path) and its origin. */
  get(field: string): Setting;
}

const FIELD_BY_NAME = new Map(KUBELET_FIELDS.map((f) => [f.field, f]));

function isConfigz(item: Item): boolean {
  return item.object.metadata?.annotations?.[CONFIGZ_ANNOTATION] === 'configz';
}

function versionLabel(version: KubeVersion | undefined): string | undefined {
  return version ? `v${version.major}.${version.minor}` : undefined;
}

function fileSetting(object: K8sObject, location: Location, field: string, base = ''): Setting | undefined {
  const value = valueAt(object, field);
  if (value === undefined || value === null) return undefined;
  const line = fieldLineOf(object, field) ?? location.line;
  return { value: stringify(value), origin: { kind: 'file', field: base + field, location: line === undefined ? { file: location.file } : { file: location.file, line } } };
}

/** Feature gates merge key by key: drop-ins and flags override single gates, not the map. */
function featureGates(run: ComponentRun | undefined, layers: { object: K8sObject; location: Location }[]): Setting | undefined {
  const gates = new Map<string, string>();
  let last: Setting | undefined;
  for (const layer of layers) {
    const set = fileSetting(layer.object, layer.location, 'featureGates');
    const value = valueAt(layer.object, 'featureGates');
    if (!set || typeof value !== 'object' || value === null) continue;
    for (const [k, v] of Object.entries(value)) gates.set(k, String(v));
    last = set;
  }
  const flag = run?.flags.get('feature-gates');
  const flagOrigin = run?.flagOrigin('feature-gates');
  if (flag && flagOrigin) {
    for (const pair of flag.value.split(',')) {
      const [k, v] = pair.split('=');
      if (k?.trim()) gates.set(k.trim(), (v ?? 'true').trim());
    }
    last = { value: '', origin: flagOrigin };
  }
  return last ? { value: [...gates].map(([k, v]) => `${k}=${v}`).join(','), origin: last.origin } : undefined;
}

function underDir(file: string, dir: string): boolean {
  return file.startsWith(`${dir.replace(/\/+$/, '')}/`);
}

function nodeSettings(inventory: Inventory, run: ComponentRun, version: KubeVersion | undefined, used: Set<Item>): KubeletSettings {
  const root = run.host?.root.replace(/\/+$/, '') ?? '';
  const configPath = run.flags.get('config')?.value;
  const configDir = run.flags.get('config-dir')?.value;
  const configs = inventory.ofKind('KubeletConfiguration').filter((i) => !isConfigz(i));
  const main = configPath ? configs.find((i) => i.location.file === `${root}${configPath}` || (!root && i.location.file.endsWith(configPath))) : undefined;
  const dropIns = configDir
    ? configs.filter((i) => underDir(i.location.file, `${root}${configDir}`) && i.location.file.endsWith('.conf')).sort((a, b) => a.location.file.localeCompare(b.location.file))
    : [];
  for (const i of [main, ...dropIns]) if (i) used.add(i);
  const layers = [main, ...dropIns].filter((i): i is Item => i !== undefined).map((i) => ({ object: i.object, location: i.location }));
  const missing = configPath && !main ? `the kubelet reads ${configPath} (--config), which is not in the input; scan the node with --node-root` : undefined;
  const label = versionLabel(version);
  return {
    node: run.host?.name ?? run.ref.name,
    ref: run.host ? { kind: 'Node', name: run.host.name } : run.ref,
    location: main?.location ?? run.location,
    source: 'node',
    run,
    get(field) {
      if (field === 'featureGates') return featureGates(run, layers) ?? { value: '', origin: { kind: 'default', version: label } };
      const known = FIELD_BY_NAME.get(field);
      const flag = known ? run.flags.get(known.flag) : undefined;
      const flagOrigin = known ? run.flagOrigin(known.flag) : undefined;
      if (flag && flagOrigin) return { value: flag.value, origin: flagOrigin };
      for (const layer of [...layers].reverse()) {
        const set = fileSetting(layer.object, layer.location, field);
        if (set) return set;
      }
      const defaultValue = configPath ? known?.fileDefault : known?.flagDefault;
      return { value: defaultValue, origin: { kind: 'default', version: label }, ...(missing ? { unresolved: missing } : {}) };
    },
  };
}

function effectiveSettings(item: Item, node: string, source: 'configz' | 'config-file', version: KubeVersion | undefined, object: K8sObject = item.object, base = ''): KubeletSettings {
  const label = versionLabel(version);
  return {
    node,
    ref: source === 'configz' ? { kind: 'Node', name: node } : item.ref,
    location: item.location,
    source,
    get(field) {
      const set = fileSetting(object, item.location, field, base);
      if (set) return set;
      // A configz snapshot is complete; a lone file gets KubeletConfiguration defaulting.
      const value = source === 'configz' ? undefined : FIELD_BY_NAME.get(field)?.fileDefault;
      return { value, origin: { kind: 'default', version: label } };
    },
  };
}

/**
 * The kubelet settings of every node the input shows: kubelets read from node roots or process
 * lists, live /configz snapshots, and KubeletConfiguration files given alone. kubeadm's
 * kube-system/kubelet-config ConfigMap is used when nothing else shows a kubelet.
 */
export function kubeletSettings(inventory: Inventory, version: KubeVersion | undefined): KubeletSettings[] {
  const used = new Set<Item>();
  const out = componentRuns(inventory, 'kubelet').map((run) => nodeSettings(inventory, run, version, used));
  for (const item of inventory.ofKind('KubeletConfiguration')) {
    if (used.has(item)) continue;
    if (isConfigz(item)) out.push(effectiveSettings(item, item.object.metadata?.name ?? item.ref.name, 'configz', version));
    else {
      // A kubelet config on a node root whose kubelet command line was not found still names its node.
      const node = hostOfFile(inventory, item.location.file)?.name ?? item.location.file.split('/').pop() ?? item.location.file;
      out.push(effectiveSettings(item, node, 'config-file', version));
    }
  }
  if (out.length === 0) {
    const configMap = inventory.get('ConfigMap', 'kube-system', 'kubelet-config');
    const text = (configMap?.object.data as Record<string, unknown> | undefined)?.kubelet;
    if (configMap && typeof text === 'string') {
      try {
        const object = yamlLibrary().parse(text) as K8sObject;
        if (object && typeof object === 'object') out.push(effectiveSettings(configMap, 'kubelet-config ConfigMap', 'config-file', version, object, 'data.kubelet: '));
      } catch {
        // An unparsable ConfigMap shows no kubelet; the checks then say the kubelet was not seen.
      }
    }
  }
  return out;
}
