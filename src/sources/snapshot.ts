// Snapshots: what a live scan read, written to a folder that `kubeward scan DIR` scans offline
// with the same results. One JSON List per kind (NN-<kind>.json, in the order the scan read
// them) and a Snapshot document (snapshot.json, read last) holding what the objects cannot: the
// API server's version, the visibility gaps, the failed requests, the resource types listed in
// full (an empty list leaves no file, yet shows the cluster has none), and the API request each
// object came from, so findings name the same locations as the live scan.

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { InputError, Item, VisibilityGap } from '../inventory/types.js';
import { addListed, appendAll, type LoadResult } from './types.js';

export const SNAPSHOT_API_VERSION = 'kubeward.io/v1';
export const SNAPSHOT_KIND = 'Snapshot';
/** Sorts after the NN-<kind>.json files, so their objects are read when it is applied. */
export const SNAPSHOT_FILE = 'snapshot.json';

export interface SnapshotFile {
  file: string;
  kind: string;
  objects: number;
  /** The API request every object of the file came from... */
  request?: string;
  /** ...or, when they differ (a kubelet configuration per node), one per object. */
  requests?: string[];
}

export interface SnapshotDocument {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
  metadata: { creationTimestamp: string };
  source: { server: string; context: string };
  version?: { text: string; source: string };
  gaps: VisibilityGap[];
  errors: InputError[];
  /** LoadResult.listed of the live scan; absent in snapshots written before it was kept. */
  listed?: string[];
  files: SnapshotFile[];
}

export function isSnapshotDocument(value: unknown): boolean {
  const v = value as { apiVersion?: unknown; kind?: unknown } | null;
  return typeof v === 'object' && v !== null && v.apiVersion === SNAPSHOT_API_VERSION && v.kind === SNAPSHOT_KIND;
}

/** Writes a load's objects and findings-relevant facts to `dir` (created; must be empty). */
export async function writeSnapshot(
  dir: string,
  load: LoadResult,
  info: { server: string; context: string; now: Date },
): Promise<SnapshotDocument> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length > 0) throw new Error(`${dir} is not empty; a snapshot needs an empty or new folder`);

  // Runs of one kind, in the order read, so the offline scan meets the objects in the same order.
  const runs: Item[][] = [];
  for (const item of load.items) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.ref.kind === item.ref.kind) last.push(item);
    else runs.push([item]);
  }
  const files: SnapshotFile[] = [];
  const width = String(runs.length).length < 2 ? 2 : String(runs.length).length;
  for (const [index, run] of runs.entries()) {
    const kind = run[0]!.ref.kind;
    const file = `${String(index + 1).padStart(width, '0')}-${kind.toLowerCase()}.json`;
    const locations = run.map((i) => i.location.file);
    const uniform = locations.every((l) => l === locations[0]);
    files.push({ file, kind, objects: run.length, ...(uniform ? { request: locations[0]! } : { requests: locations }) });
    await writeFile(join(dir, file), listText(run));
  }
  const document: SnapshotDocument = {
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    metadata: { creationTimestamp: info.now.toISOString() },
    source: { server: info.server, context: info.context },
    ...(load.version ? { version: load.version } : {}),
    gaps: load.gaps,
    errors: load.errors,
    ...(load.listed ? { listed: load.listed } : {}),
    files,
  };
  await writeFile(join(dir, SNAPSHOT_FILE), `${JSON.stringify(document, null, 2)}\n`);
  return document;
}

/** A List of the objects, one per line, streamed out without one huge string per object set. */
function listText(items: Item[]): string {
  const lines = items.map((i) => JSON.stringify(i.object));
  return `{"apiVersion":"v1","kind":"List","metadata":{},"items":[\n${lines.join(',\n')}\n]}\n`;
}

/**
 * Applies a Snapshot document read from `source` to what was loaded before it: the version, the
 * gaps and the failed requests of the live scan, and each object's API request as its location.
 */
export function applySnapshot(result: LoadResult, document: unknown, source: string): void {
  const problem = snapshotShapeError(document);
  if (problem) {
    result.errors.push({ source, message: `Snapshot document: ${problem}; not applied` });
    return;
  }
  const doc = document as SnapshotDocument;
  const dir = dirname(source);
  const byPath = new Map(doc.files.map((f) => [join(dir, f.file), f]));
  const seen = new Map<string, number>();
  for (const item of result.items) {
    const file = byPath.get(item.location.file);
    if (!file) continue;
    const n = seen.get(item.location.file) ?? 0;
    seen.set(item.location.file, n + 1);
    const request = file.request ?? file.requests?.[n];
    if (request) item.location = { file: request };
  }
  for (const file of doc.files) {
    const read = seen.get(join(dir, file.file)) ?? 0;
    if (read !== file.objects) {
      result.errors.push({ source, message: `${file.file}: the snapshot lists ${file.objects} objects but ${read} were read (scan the whole snapshot folder; do not edit it)` });
    }
  }
  for (const gap of doc.gaps) if (!result.gaps.some((g) => g.scope === gap.scope)) result.gaps.push(gap);
  appendAll(result.errors, doc.errors);
  if (doc.version) result.version ??= doc.version;
  if (doc.listed) addListed(result, doc.listed);
}

const isString = (v: unknown) => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with a Snapshot document's shape (it is input like any other), or undefined. */
function snapshotShapeError(document: unknown): string | undefined {
  const doc = document as Record<string, unknown>;
  const lists: [string, (entry: Record<string, unknown>) => boolean, string][] = [
    ['files', (f) => isString(f.file) && isString(f.kind) && Number.isInteger(f.objects) && (f.request === undefined || isString(f.request)) && (f.requests === undefined || (Array.isArray(f.requests) && f.requests.every(isString))), '{file, kind, objects, request or requests}'],
    ['gaps', (g) => isString(g.scope) && isString(g.reason), '{scope, reason}'],
    ['errors', (e) => isString(e.source) && isString(e.message) && (e.line === undefined || Number.isInteger(e.line)), '{source, message, line}'],
  ];
  for (const [name, valid, shape] of lists) {
    const list = doc[name];
    if (!Array.isArray(list)) return `${name} must be a list`;
    const bad = list.findIndex((entry: unknown) => !isObject(entry) || !valid(entry));
    if (bad >= 0) return `${name}[${bad}] must be a mapping ${shape} of the right types`;
  }
  if (doc.version !== undefined && !(isObject(doc.version) && isString(doc.version.text) && isString(doc.version.source))) return 'version must be a mapping {text, source} of strings';
  if (doc.listed !== undefined && !(Array.isArray(doc.listed) && doc.listed.every(isString))) return 'listed must be a list of strings';
  return undefined;
}
