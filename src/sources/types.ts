// What every source returns: objects with their origin, what it could not read, what it skipped.

import type { HostSnapshot } from '../inventory/host.js';
import type { InputError, Item, VisibilityGap } from '../inventory/types.js';
import type { StoredResource } from './etcd.js';

/** How one value is stored in etcd (encrypted by which provider and key, or plaintext); never the value. */
export interface StoredValueClassification extends StoredResource {
  /** The etcd endpoint it was read from. */
  endpoint: string;
}

/** The gap of a scan whose etcd could not be read: checks of stored values report not-evaluated. */
export const ETCD_VALUES_GAP = 'etcd-values';

export interface SourceSummary {
  type: 'file' | 'directory' | 'stdin' | 'cluster' | 'node' | 'etcd';
  name: string;
  objects?: number;
}

export interface SkippedCounts {
  /** Documents that are not Kubernetes objects (no apiVersion/kind, scalars, empty documents). */
  notKubernetes: number;
  /** Objects of kinds kubeward does not check (custom resources, unknown APIs), by kind. */
  byKind: Record<string, number>;
}

export interface LoadResult {
  items: Item[];
  errors: InputError[];
  sources: SourceSummary[];
  skipped: SkippedCounts;
  gaps: VisibilityGap[];
  hosts: HostSnapshot[];
  /** A version the source knows for sure (the live API's /version). */
  version?: { text: string; source: string };
  /** Stored values read from etcd; absent when no etcd was read. */
  storedValues?: StoredValueClassification[];
  /**
   * Resource types (plural names, as src/sources/cluster/resources.ts) an API server listed in
   * full: the items hold every object of them the cluster has, even none. Absent for manifests.
   */
  listed?: string[];
}

export function emptyLoadResult(): LoadResult {
  return { items: [], errors: [], sources: [], skipped: { notKubernetes: 0, byKind: {} }, gaps: [], hosts: [] };
}

/** Appends in a loop: `push(...source)` passes every element as an argument and overflows the stack past ~120k. */
export function appendAll<T>(target: T[], source: readonly T[]): void {
  for (const value of source) target.push(value);
}

/** Adds one source's skipped counts to another's. */
export function addSkipped(target: SkippedCounts, source: SkippedCounts): void {
  target.notKubernetes += source.notKubernetes;
  for (const [kind, n] of Object.entries(source.byKind)) target.byKind[kind] = (target.byKind[kind] ?? 0) + n;
}

/** Adds resource types to the ones a result listed in full, each once. */
export function addListed(target: LoadResult, listed: readonly string[]): void {
  target.listed = [...new Set([...(target.listed ?? []), ...listed])];
}

/** Folds several sources' results into one. */
export function mergeLoadResults(results: LoadResult[]): LoadResult {
  const out = emptyLoadResult();
  for (const r of results) {
    appendAll(out.items, r.items);
    appendAll(out.errors, r.errors);
    appendAll(out.sources, r.sources);
    appendAll(out.gaps, r.gaps);
    appendAll(out.hosts, r.hosts);
    addSkipped(out.skipped, r.skipped);
    out.version ??= r.version;
    if (r.storedValues) out.storedValues = (out.storedValues ?? []).concat(r.storedValues);
    if (r.listed) addListed(out, r.listed);
  }
  return out;
}
