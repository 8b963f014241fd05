// Which policy applies to a namespace: its pod-security.kubernetes.io labels over the defaults
// of the PodSecurity admission configuration, with upstream's handling of bad values
// (api.PolicyToEvaluate), and the configuration's exemptions.

import type { Inventory } from '../../inventory/inventory.js';
import type { Item, K8sObject, Location } from '../../inventory/types.js';
import { formatLevelVersion } from './format.js';
import type { Level, PolicyVersion } from './types.js';
import { LATEST, parseLevel, parseVersion } from './version.js';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const MODES = ['enforce', 'audit', 'warn'] as const;
export type Mode = (typeof MODES)[number];

export interface LevelVersion {
  level: Level;
  version: PolicyVersion;
}

export type NamespacePolicy = Record<Mode, LevelVersion>;

/** A label (or configuration field) whose value upstream rejects and replaces. */
export interface PolicyValueError {
  key: string;
  value: string;
  error: string;
}

export const PRIVILEGED_LATEST: LevelVersion = { level: 'privileged', version: LATEST };

export const DEFAULT_POLICY: NamespacePolicy = { enforce: PRIVILEGED_LATEST, audit: PRIVILEGED_LATEST, warn: PRIVILEGED_LATEST };

export interface ResolvedPolicy {
  policy: NamespacePolicy;
  /** For each mode, whether a label set it (else the defaults apply). */
  fromLabel: Record<Mode, boolean>;
  errors: PolicyValueError[];
}

/**
 * The policy a namespace's labels select. A bad enforce level becomes restricted; a bad audit or
 * warn level becomes privileged (fail open); a bad version becomes latest.
 */
export function policyToEvaluate(labels: Record<string, string> | undefined, defaults: NamespacePolicy = DEFAULT_POLICY): ResolvedPolicy {
  const policy: NamespacePolicy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const fromLabel = { enforce: false, audit: false, warn: false };
  const errors: PolicyValueError[] = [];
  for (const mode of MODES) {
    const levelKey = `${LABEL_PREFIX}${mode}`;
    const levelValue = labels?.[levelKey];
    if (levelValue !== undefined) {
      fromLabel[mode] = true;
      const parsed = parseLevel(String(levelValue));
      if (parsed.ok) policy[mode].level = parsed.value;
      else {
        policy[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
        errors.push({ key: levelKey, value: String(levelValue), error: parsed.error });
      }
    }
    const versionKey = `${levelKey}-version`;
    const versionValue = labels?.[versionKey];
    if (versionValue !== undefined) {
      const parsed = parseVersion(String(versionValue));
      policy[mode].version = parsed.ok ? parsed.value : LATEST;
      if (!parsed.ok) errors.push({ key: versionKey, value: String(versionValue), error: parsed.error });
    }
  }
  return { policy, fromLabel, errors };
}

export function describePolicy(policy: NamespacePolicy): string {
  return MODES.map((m) => `${m}=${formatLevelVersion(policy[m].level, policy[m].version)}`).join(', ');
}

/** The PodSecurity admission plugin's configuration (PodSecurityConfiguration). */
export interface PodSecurityAdmissionConfig {
  defaults: NamespacePolicy;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
  /** Where it was read. */
  location: Location;
  /** Bad default values; kube-apiserver refuses to start with them. */
  errors: PolicyValueError[];
}

interface RawPodSecurityConfiguration {
  defaults?: Record<string, unknown>;
  exemptions?: { usernames?: unknown; runtimeClasses?: unknown; namespaces?: unknown };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parsePodSecurityConfiguration(raw: RawPodSecurityConfiguration, location: Location): PodSecurityAdmissionConfig {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.defaults ?? {})) {
    if (value !== undefined && value !== null) labels[`${LABEL_PREFIX}${key}`] = String(value);
  }
  const resolved = policyToEvaluate(labels);
  return {
    defaults: resolved.policy,
    exemptions: {
      usernames: stringList(raw.exemptions?.usernames),
      runtimeClasses: stringList(raw.exemptions?.runtimeClasses),
      namespaces: stringList(raw.exemptions?.namespaces),
    },
    location,
    errors: resolved.errors.map((e) => ({ ...e, key: e.key.slice(LABEL_PREFIX.length) })),
  };
}

interface AdmissionPlugin {
  name?: string;
  path?: string;
  configuration?: K8sObject & RawPodSecurityConfiguration;
}

/**
 * The PodSecurity configuration in the input: an AdmissionConfiguration's PodSecurity plugin
 * (inline, or the PodSecurityConfiguration file its path names), else a standalone
 * PodSecurityConfiguration. Undefined when the input holds none.
 */
export function findPodSecurityConfiguration(inventory: Inventory): PodSecurityAdmissionConfig | undefined {
  const standalone = inventory.ofKind<K8sObject & RawPodSecurityConfiguration>('PodSecurityConfiguration');
  for (const item of inventory.ofKind<K8sObject & { plugins?: AdmissionPlugin[] }>('AdmissionConfiguration')) {
    const plugin = (Array.isArray(item.object.plugins) ? item.object.plugins : []).find((p) => p?.name === 'PodSecurity');
    if (!plugin) continue;
    if (plugin.configuration && typeof plugin.configuration === 'object') return parsePodSecurityConfiguration(plugin.configuration, item.location);
    const referenced = plugin.path ? standalone.find((s) => sameFile(s, plugin.path!)) : undefined;
    if (referenced) return parsePodSecurityConfiguration(referenced.object, referenced.location);
  }
  const first = standalone[0];
  return first ? parsePodSecurityConfiguration(first.object, first.location) : undefined;
}

function sameFile(item: Item, path: string): boolean {
  const file = item.location.file;
  const base = path.split('/').pop()!;
  return file === path || file.endsWith(`/${base}`) || file === base;
}

export function isExemptNamespace(config: PodSecurityAdmissionConfig | undefined, namespace: string): boolean {
  return config?.exemptions.namespaces.includes(namespace) ?? false;
}

export function isExemptRuntimeClass(config: PodSecurityAdmissionConfig | undefined, runtimeClassName: unknown): boolean {
  return typeof runtimeClassName === 'string' && (config?.exemptions.runtimeClasses.includes(runtimeClassName) ?? false);
}
