// The webhook's configuration (kind AdmissionConfiguration, apiVersion kubeward.io/v1alpha1):
// what each check or section does at admission, the Pod Security level, exemptions, the
// exceptions file `scan` takes, and what to answer when the cluster state is stale or unknown.
// Validated field by field; an error names the file and line.

import { UsageError } from '../errors.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { SECTIONS, severityRank, type Severity } from '../checks/sections.js';
import { loadExceptions, type ExceptionSet } from '../scan/exceptions.js';
import { readInputFile } from '../sources/files.js';
import { LEVELS, type Level as PodSecurityLevel } from '../engines/podsecurity/index.js';
import { yamlLibrary } from '../yaml.js';
import { ADMISSION_RULES } from './rules.js';

export const API_VERSION = 'kubeward.io/v1alpha1';
export const KIND = 'AdmissionConfiguration';

export const ACTIONS = ['enforce', 'warn', 'audit', 'off'] as const;
export type Action = (typeof ACTIONS)[number];

export interface AdmissionConfig {
  /** Per check id or section slug; a check's own entry wins over its section's. */
  actions: Record<string, Action>;
  podSecurity: { level: PodSecurityLevel; version: string };
  exemptions: { namespaces: string[]; usernames: string[]; groups: string[]; runtimeClasses: string[] };
  /** The exceptions file (as `scan --exceptions`), read when the configuration is loaded. */
  exceptionsFile?: string;
  exceptions: ExceptionSet;
  /** When the state is unknown (not synced) or older than maxAgeSeconds. */
  state: { whenUnavailable: 'allow' | 'deny'; maxAgeSeconds: number };
  /** The API server's webhook timeoutSeconds; every answer is sent well before it. */
  timeoutSeconds: number;
}

export function defaultConfig(): AdmissionConfig {
  return {
    actions: {},
    podSecurity: { level: 'restricted', version: 'latest' },
    exemptions: { namespaces: [], usernames: [], groups: [], runtimeClasses: [] },
    exceptions: { active: [], expired: [] },
    state: { whenUnavailable: 'allow', maxAgeSeconds: 300 },
    timeoutSeconds: 10,
  };
}

/** Default: enforce at high and critical, warn below. */
export function actionFor(config: AdmissionConfig, check: { id: string; section: string; severity: Severity }): Action {
  return config.actions[check.id] ?? config.actions[check.section] ?? (severityRank(check.severity) >= severityRank('high') ? 'enforce' : 'warn');
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

const TOP_KEYS = ['apiVersion', 'kind', 'actions', 'podSecurity', 'exemptions', 'exceptions', 'state', 'timeoutSeconds'];

/** Reads and validates a configuration file; any problem is a UsageError naming file and line. */
export async function loadConfig(path: string, now: Date): Promise<AdmissionConfig> {
  const text = (await readInputFile(path, MAX_CONFIG_BYTES, (reason) => new UsageError(`--config ${path}: ${reason}`))).toString('utf8');
  const config = parseConfig(text, path);
  if (config.exceptionsFile) config.exceptions = await loadExceptions(config.exceptionsFile, now);
  return config;
}

export function parseConfig(text: string, source: string): AdmissionConfig {
  const YAML = yamlLibrary();
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UsageError(`${source}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  }
  const lineOf = (path: (string | number)[]): number => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const parent = path.length > 0 ? (doc.getIn(path.slice(0, -1), true) as { range?: [number, number, number] } | undefined) : undefined;
    const offset = node?.range?.[0] ?? parent?.range?.[0] ?? 0;
    return lines.linePos(offset).line;
  };
  const bad = (path: (string | number)[], message: string): never => {
    throw new UsageError(`${source}:${lineOf(path)}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${message}`);
  };
  const raw = doc.toJS() as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad([], `expected a mapping with apiVersion: ${API_VERSION} and kind: ${KIND}`);
  const top = raw as Record<string, unknown>;
  if (top.apiVersion !== API_VERSION) bad(['apiVersion'], `must be ${API_VERSION} (got ${JSON.stringify(top.apiVersion ?? null)})`);
  if (top.kind !== KIND) bad(['kind'], `must be ${KIND} (got ${JSON.stringify(top.kind ?? null)})`);
  for (const key of Object.keys(top)) if (!TOP_KEYS.includes(key)) bad([key], `unknown field (allowed: ${TOP_KEYS.join(', ')})`);

  const config = defaultConfig();
  const known = new Set<string>([...SECTIONS.map((s) => s.slug), ...ADMISSION_RULES.map((r) => r.id), ...ALL_CHECKS.map((c) => c.id)]);
  const mapping = (path: string[], value: unknown): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(path, 'must be a mapping');
    return value as Record<string, unknown>;
  };
  const strings = (path: (string | number)[], value: unknown): string[] => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) return bad(path, 'must be a list of non-empty strings');
    return value as string[];
  };
  const allowedKeys = (path: string[], value: Record<string, unknown>, keys: string[]) => {
    for (const key of Object.keys(value)) if (!keys.includes(key)) bad([...path, key], `unknown field (allowed: ${keys.join(', ')})`);
  };

  if (top.actions !== undefined) {
    for (const [id, action] of Object.entries(mapping(['actions'], top.actions))) {
      if (!known.has(id)) bad(['actions', id], `no check, admission rule or section has this id (see "kubeward checks" and "kubeward admission-policy --list")`);
      if (!(ACTIONS as readonly string[]).includes(action as string)) bad(['actions', id], `must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(action)})`);
      config.actions[id] = action as Action;
    }
  }
  if (top.podSecurity !== undefined) {
    const ps = mapping(['podSecurity'], top.podSecurity);
    allowedKeys(['podSecurity'], ps, ['level', 'version']);
    if (ps.level !== undefined) {
      if (!(LEVELS as readonly string[]).includes(ps.level as string)) bad(['podSecurity', 'level'], `must be one of ${LEVELS.join(', ')}`);
      config.podSecurity.level = ps.level as PodSecurityLevel;
    }
    if (ps.version !== undefined) {
      const v = String(ps.version);
      // As PSA's version labels: "latest" or "v1.MINOR".
      if (v !== 'latest' && !/^v1\.\d+$/.test(v)) bad(['podSecurity', 'version'], `must be "latest" or v1.MINOR, e.g. v1.30 (got ${JSON.stringify(ps.version)})`);
      config.podSecurity.version = v;
    }
  }
  if (top.exemptions !== undefined) {
    const ex = mapping(['exemptions'], top.exemptions);
    allowedKeys(['exemptions'], ex, ['namespaces', 'usernames', 'groups', 'runtimeClasses']);
    for (const key of ['namespaces', 'usernames', 'groups', 'runtimeClasses'] as const) {
      if (ex[key] !== undefined) config.exemptions[key] = strings(['exemptions', key], ex[key]);
    }
  }
  if (top.exceptions !== undefined) {
    if (typeof top.exceptions !== 'string' || top.exceptions === '') bad(['exceptions'], 'must be the path of an exceptions file (as scan --exceptions)');
    config.exceptionsFile = top.exceptions as string;
  }
  if (top.state !== undefined) {
    const st = mapping(['state'], top.state);
    allowedKeys(['state'], st, ['whenUnavailable', 'maxAgeSeconds']);
    if (st.whenUnavailable !== undefined) {
      if (st.whenUnavailable !== 'allow' && st.whenUnavailable !== 'deny') bad(['state', 'whenUnavailable'], 'must be allow or deny');
      config.state.whenUnavailable = st.whenUnavailable as 'allow' | 'deny';
    }
    if (st.maxAgeSeconds !== undefined) {
      if (!Number.isInteger(st.maxAgeSeconds) || (st.maxAgeSeconds as number) < 1) bad(['state', 'maxAgeSeconds'], 'must be a positive integer');
      config.state.maxAgeSeconds = st.maxAgeSeconds as number;
    }
  }
  if (top.timeoutSeconds !== undefined) {
    // The API server accepts 1 to 30 seconds.
    if (!Number.isInteger(top.timeoutSeconds) || (top.timeoutSeconds as number) < 1 || (top.timeoutSeconds as number) > 30) bad(['timeoutSeconds'], 'must be an integer from 1 to 30, as the webhook configuration takes');
    config.timeoutSeconds = top.timeoutSeconds as number;
  }
  return config;
}

/** The configuration as YAML, for the ConfigMap `webhook manifests` writes. */
export function configYaml(config: AdmissionConfig): string {
  const doc: Record<string, unknown> = { apiVersion: API_VERSION, kind: KIND };
  if (Object.keys(config.actions).length > 0) doc.actions = config.actions;
  doc.podSecurity = config.podSecurity;
  const ex = Object.fromEntries(Object.entries(config.exemptions).filter(([, v]) => v.length > 0));
  if (Object.keys(ex).length > 0) doc.exemptions = ex;
  doc.state = config.state;
  doc.timeoutSeconds = config.timeoutSeconds;
  return yamlLibrary().stringify(doc);
}
