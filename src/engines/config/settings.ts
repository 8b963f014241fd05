// Effective settings of the control-plane components (kube-apiserver, kube-controller-manager,
// kube-scheduler) and etcd: flags over environment over built-in defaults at the cluster's
// version, with etcd's --config-file replacing flags and environment entirely.

import type { Inventory } from '../../inventory/inventory.js';
import type { KubeVersion } from '../../inventory/version.js';
import type { Component } from './command-line.js';
import { FLAG_DEFAULTS, defaultFor, defaultOnAdmissionPlugins } from './defaults.js';
import type { Origin, Setting } from './origin.js';
import { componentRuns, type ComponentRun } from './runs.js';

export interface ComponentSettings {
  run: ComponentRun;
  /** The effective value of a flag (by name, without dashes) and where it came from. */
  get(flag: string): Setting;
}

function defaultSetting(value: string | undefined, version: KubeVersion | undefined): Setting {
  return { value, origin: { kind: 'default', version: version ? `v${version.major}.${version.minor}` : undefined } };
}

function flagSetting(run: ComponentRun, flag: string): Setting | undefined {
  const value = run.flags.get(flag);
  const origin = run.flagOrigin(flag);
  return value && origin ? { value: value.value, origin } : undefined;
}

/** Settings of a kube-apiserver, kube-controller-manager or kube-scheduler run. */
export function flagSettings(run: ComponentRun, version: KubeVersion | undefined): ComponentSettings {
  const table = run.component === 'kube-apiserver' || run.component === 'kube-controller-manager' || run.component === 'kube-scheduler' ? FLAG_DEFAULTS[run.component] : {};
  return {
    run,
    get(flag) {
      const set = flagSetting(run, flag);
      if (set) return set;
      // The API server only falls back to AlwaysAllow when no authorization config file is given.
      if (run.component === 'kube-apiserver' && flag === 'authorization-mode' && run.flags.has('authorization-config')) {
        return defaultSetting(undefined, version);
      }
      return defaultSetting(defaultFor(table, flag, version), version);
    },
  };
}

export function apiServerSettings(inventory: Inventory, version: KubeVersion | undefined): ComponentSettings[] {
  return componentRuns(inventory, 'kube-apiserver').map((run) => flagSettings(run, version));
}

export function controllerManagerSettings(inventory: Inventory, version: KubeVersion | undefined): ComponentSettings[] {
  return componentRuns(inventory, 'kube-controller-manager').map((run) => flagSettings(run, version));
}

export function schedulerSettings(inventory: Inventory, version: KubeVersion | undefined): ComponentSettings[] {
  return componentRuns(inventory, 'kube-scheduler').map((run) => flagSettings(run, version));
}

/** Where etcd's YAML config file keeps each flag (server/embed/config.go: configYAML). */
const ETCD_CONFIG_KEYS: Record<string, string> = {
  'cert-file': 'client-transport-security.cert-file',
  'key-file': 'client-transport-security.key-file',
  'client-cert-auth': 'client-transport-security.client-cert-auth',
  'trusted-ca-file': 'client-transport-security.trusted-ca-file',
  'auto-tls': 'client-transport-security.auto-tls',
  'peer-cert-file': 'peer-transport-security.cert-file',
  'peer-key-file': 'peer-transport-security.key-file',
  'peer-client-cert-auth': 'peer-transport-security.client-cert-auth',
  'peer-trusted-ca-file': 'peer-transport-security.trusted-ca-file',
  'peer-auto-tls': 'peer-transport-security.auto-tls',
};

/** etcd's environment variable for a flag: ETCD_ + upper snake case. */
export function etcdEnvName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * Settings of an etcd run. With --config-file (or ETCD_CONFIG_FILE) etcd reads only that file and
 * ignores every other flag and variable; else a flag wins over its ETCD_* variable.
 */
export function etcdRunSettings(run: ComponentRun, version: KubeVersion | undefined): ComponentSettings {
  const table = FLAG_DEFAULTS.etcd;
  const fromFlagsOrEnv = (flag: string): Setting | undefined => {
    const set = flagSetting(run, flag);
    if (set) return set;
    const env = run.env.get(etcdEnvName(flag));
    return env ? { value: env.value, origin: env.origin } : undefined;
  };
  const configFile = fromFlagsOrEnv('config-file');
  const hosts = run.host ? [run.host] : [];
  const parsed = configFile?.value ? hosts.flatMap((h) => h.configFiles ?? []).find((f) => f.path === configFile.value) : undefined;
  return {
    run,
    get(flag) {
      if (!configFile?.value) return fromFlagsOrEnv(flag) ?? defaultSetting(defaultFor(table, flag, version), version);
      if (flag === 'config-file') return configFile;
      if (!parsed) {
        return { ...defaultSetting(undefined, version), unresolved: `etcd reads its settings from ${configFile.value} (flags and ETCD_* variables are ignored), which is not in the input; scan the node with --node-root` };
      }
      const key = ETCD_CONFIG_KEYS[flag] ?? flag;
      const value = valueAt(parsed.data, key);
      if (value === undefined || value === null) return defaultSetting(defaultFor(table, flag, version), version);
      const line = parsed.lines[key];
      return { value: stringify(value), origin: { kind: 'file', field: key, location: line === undefined ? { file: parsed.file } : { file: parsed.file, line } } };
    },
  };
}

export function etcdSettings(inventory: Inventory, version: KubeVersion | undefined): ComponentSettings[] {
  return componentRuns(inventory, 'etcd').map((run) => etcdRunSettings(run, version));
}

/** Settings of every run of a component with flags only (not kubelet or kube-proxy). */
export function settingsOf(inventory: Inventory, component: Exclude<Component, 'kubelet' | 'kube-proxy'>, version: KubeVersion | undefined): ComponentSettings[] {
  return component === 'etcd' ? etcdSettings(inventory, version) : componentRuns(inventory, component).map((run) => flagSettings(run, version));
}

export interface AdmissionPlugins {
  /** Each enabled plugin with the origin that enables it (a flag, or the version's default). */
  enabled: Map<string, Origin>;
  /** Plugins turned off explicitly, with the flag that does it. */
  disabled: Map<string, Origin>;
}

/**
 * The admission plugins a kube-apiserver runs: the version's default-on set, plus
 * --enable-admission-plugins, minus --disable-admission-plugins; the deprecated
 * --admission-control replaces the whole set.
 */
export function enabledAdmissionPlugins(settings: ComponentSettings, version: KubeVersion | undefined): AdmissionPlugins {
  const enabled = new Map<string, Origin>();
  const disabled = new Map<string, Origin>();
  const list = (setting: Setting) => (setting.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const legacy = flagSetting(settings.run, 'admission-control');
  if (legacy) {
    for (const name of list(legacy)) enabled.set(name, legacy.origin);
    return { enabled, disabled };
  }
  const byDefault = defaultSetting(undefined, version).origin;
  for (const name of defaultOnAdmissionPlugins(version)) enabled.set(name, byDefault);
  const enable = settings.get('enable-admission-plugins');
  for (const name of list(enable)) enabled.set(name, enable.origin);
  const disable = settings.get('disable-admission-plugins');
  for (const name of list(disable)) {
    enabled.delete(name);
    disabled.set(name, disable.origin);
  }
  return { enabled, disabled };
}

/** The value at a dotted path of a parsed config ("a.b.c"). */
export function valueAt(data: unknown, path: string): unknown {
  let node = data;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A config value as the string a flag would carry: lists comma-joined, maps as k=v pairs. */
export function stringify(value: unknown): string {
  if (Array.isArray(value)) return value.map(stringify).join(',');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).map(([k, v]) => `${k}=${stringify(v)}`).join(',');
  }
  return String(value);
}
