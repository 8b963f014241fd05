// Accepted risks: --exceptions FILE entries, and (only when allowed) kubeward.io/ignore annotations.

import { yamlLibrary } from '../yaml.js';
import { UsageError } from '../errors.js';
import { readRegularFile } from '../sources/confined-fs.js';
import type { ExceptionEntry, Finding } from '../report/types.js';
import type { Inventory } from '../inventory/inventory.js';

export const IGNORE_ANNOTATION = 'kubeward.io/ignore';
export const IGNORE_REASON_ANNOTATION = 'kubeward.io/ignore-reason';

/** An exceptions file is a short list; a bigger one is refused, not read into memory. */
const MAX_EXCEPTIONS_BYTES = 16 * 1024 * 1024;
const ENTRY_KEYS = new Set(['check', 'namespace', 'kind', 'name', 'reason', 'expires']);

export interface ExceptionSet {
  active: ExceptionEntry[];
  expired: ExceptionEntry[];
}

/** Reads and validates an exceptions file; a malformed file is a usage error naming the entry. */
export async function loadExceptions(path: string, now: Date): Promise<ExceptionSet> {
  let doc: unknown;
  try {
    doc = yamlLibrary().parse((await readRegularFile(path, MAX_EXCEPTIONS_BYTES)).toString('utf8'));
  } catch (e) {
    throw new UsageError(`--exceptions ${path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const list = (doc as { exceptions?: unknown } | null)?.exceptions;
  if (!Array.isArray(list)) throw new UsageError(`--exceptions ${path}: expected a top-level "exceptions:" list`);
  const set: ExceptionSet = { active: [], expired: [] };
  list.forEach((raw, index) => {
    const where = `--exceptions ${path}: entry ${index + 1}`;
    if (typeof raw !== 'object' || raw === null) throw new UsageError(`${where} is not a mapping`);
    const e = raw as Record<string, unknown>;
    // A misspelt key ("namepsace") would silently widen the exception to every namespace.
    const unknown = Object.keys(e).filter((k) => !ENTRY_KEYS.has(k));
    if (unknown.length > 0) throw new UsageError(`${where}: unknown field(s) ${unknown.join(', ')} (allowed: ${[...ENTRY_KEYS].join(', ')})`);
    if (typeof e.check !== 'string' || e.check === '') throw new UsageError(`${where} has no "check"`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new UsageError(`${where} (${e.check}) has no "reason"; every exception must say why`);
    const entry: ExceptionEntry = { check: e.check, reason: e.reason };
    for (const field of ['namespace', 'kind', 'name'] as const) {
      if (e[field] !== undefined) {
        if (typeof e[field] !== 'string') throw new UsageError(`${where}: "${field}" must be a string`);
        entry[field] = e[field] as string;
      }
    }
    if (e.expires !== undefined) {
      const text = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
      const date = new Date(text);
      if (Number.isNaN(date.getTime())) throw new UsageError(`${where}: "expires" is not a date (${text})`);
      entry.expires = text;
      // An entry is valid through its expiry day.
      if (date.getTime() + 24 * 3600 * 1000 <= now.getTime()) {
        set.expired.push(entry);
        return;
      }
    }
    set.active.push(entry);
  });
  return set;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function matches(glob: string | undefined, value: string | undefined): boolean {
  if (glob === undefined) return true;
  return globToRegExp(glob).test(value ?? '');
}

export function findException(entries: ExceptionEntry[], finding: Finding): ExceptionEntry | undefined {
  // A Namespace is in its own namespace: "namespace: team-a" also excepts findings about it.
  const namespace = finding.resource.kind === 'Namespace' ? finding.resource.name : finding.resource.namespace;
  return entries.find(
    (e) =>
      matches(e.check, finding.check) &&
      matches(e.namespace, namespace) &&
      matches(e.kind, finding.resource.kind) &&
      matches(e.name, finding.resource.name),
  );
}

/**
 * The exception an object's own annotation grants: `kubeward.io/ignore: "check-a,check-b"` (or
 * "*"). Only used with --allow-annotation-exceptions, since it lets workload owners exempt
 * themselves.
 */
export function annotationException(inventory: Inventory, finding: Finding): ExceptionEntry | undefined {
  const { kind, namespace, name } = finding.resource;
  const annotations = inventory.get(kind, namespace, name)?.object.metadata?.annotations;
  const value = annotations?.[IGNORE_ANNOTATION];
  if (!value) return undefined;
  const ids = value.split(',').map((s) => s.trim());
  if (!ids.some((id) => matches(id, finding.check))) return undefined;
  return {
    check: finding.check,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    reason: annotations?.[IGNORE_REASON_ANNOTATION] ?? `annotation ${IGNORE_ANNOTATION} on the object`,
  };
}
