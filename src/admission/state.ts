// The cluster state the webhook judges cross-object changes on: the objects of a few kinds, kept
// current by a source (list+watch of a live cluster, or manifests and snapshots read once), and
// the RBAC escalation baseline derived from them. The baseline is rebuilt after changes, off the
// request path: a request is judged on the last one built, and only when that is older than the
// configured age is the state reported stale.

import { clusterFactsOf, EscalationGraph, TARGETS, type ClusterFacts, type Edge, type Target } from '../engines/rbac/escalation.js';
import { RbacIndex } from '../engines/rbac/index.js';
import { Inventory } from '../inventory/inventory.js';
import { isNamespacedKind } from '../inventory/kinds.js';
import { objectKey, refOf, type Item, type K8sObject } from '../inventory/types.js';

/** The kinds the state holds: what RBAC paths, network isolation and namespace checks read. */
export const STATE_KINDS = ['Namespace', 'ServiceAccount', 'Pod', 'NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;
export type StateKind = (typeof STATE_KINDS)[number];
const RBAC_INPUT_KINDS = new Set<string>(['Namespace', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** Pods only feed the "accounts of running pods" facts: their churn refreshes the baseline at most this often. */
const POD_REFRESH_MS = 30_000;

export interface RbacBaseline {
  index: RbacIndex;
  /** The whole escalation graph (its node labels name the steps of a path). */
  graph: EscalationGraph;
  facts: ClusterFacts;
  /** For every node that reaches each target: the first edge of a shortest path. */
  next: Record<Target, Map<string, Edge | null>>;
  builtAt: number;
}

export interface StateStatus {
  /** The first full sync is done (every kind listed, or the files read). */
  synced: boolean;
  /** Seconds since the state was last known current; undefined before the first sync. */
  ageSeconds: number | undefined;
  objects: number;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What is kept of an object: bookkeeping (managedFields, last-applied) dropped; of a Pod only
 * what the decisions read (labels, owner, ServiceAccount), so memory is bounded by object
 * count, not by pod spec size.
 */
export function trimForState(object: K8sObject): K8sObject {
  const { managedFields: _m, annotations, ...meta } = object.metadata ?? {};
  const metadata = { ...meta, ...(annotations ? { annotations: withoutLastApplied(annotations) } : {}) };
  if (object.kind === 'Pod') {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    return {
      apiVersion: object.apiVersion, kind: 'Pod',
      metadata: { name: meta.name, namespace: meta.namespace, ...(meta.labels ? { labels: meta.labels } : {}), ...(meta.ownerReferences ? { ownerReferences: meta.ownerReferences } : {}) },
      spec: { containers: [], ...(typeof spec.serviceAccountName === 'string' ? { serviceAccountName: spec.serviceAccountName } : {}) },
    };
  }
  return { ...object, metadata };
}

function withoutLastApplied(annotations: Record<string, string>): Record<string, string> {
  if (!(LAST_APPLIED in annotations)) return annotations;
  const { [LAST_APPLIED]: _l, ...rest } = annotations;
  return rest;
}

/** The bucket of an object's kind and namespace (cluster-scoped objects: namespace ""). */
const bucketOf = (kind: string, namespace: string | undefined) => `${kind}\u0000${namespace ?? ''}`;

export class ClusterState {
  private readonly items = new Map<string, Item>();
  /** The same items by kind and namespace, so a request reads its namespace without a pass over the cluster. */
  private readonly buckets = new Map<string, Map<string, Item>>();
  private synced = false;
  /** When the source last confirmed the state current (a list, an event, a bookmark, a live watch). */
  private confirmedAt: number | undefined;
  /** Set by a live source: while every watch is open the state is current. */
  private live = false;
  private rbacDirtyAt: number | undefined;
  private podsDirty = false;
  private baseline: RbacBaseline | undefined;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private rebuildDue = 0;

  constructor(private readonly now: () => number = Date.now) {}

  status(): StateStatus {
    const age = this.confirmedAt === undefined ? undefined : this.live ? 0 : (this.now() - this.confirmedAt) / 1000;
    return { synced: this.synced, ageSeconds: this.synced ? age : undefined, objects: this.items.size };
  }

  /** Replaces every object of one kind (a list, a relist); the first call for each kind counts toward sync. */
  replaceKind(kind: string, objects: K8sObject[], location: string): void {
    for (const [key, item] of this.items) if (item.ref.kind === kind) this.delete(key, item);
    for (const object of objects) this.put(object, location);
    this.changed(kind);
  }

  /** Replaces every kind the state holds with the objects given (files read once, tests, benchmarks). */
  replaceAll(objects: readonly K8sObject[], location: string): void {
    for (const kind of STATE_KINDS) this.replaceKind(kind, objects.filter((o) => o.kind === kind), location);
  }

  upsert(object: K8sObject, location: string): void {
    this.put(object, location);
    this.changed(object.kind ?? '');
  }

  remove(object: K8sObject): void {
    const ref = refOf(object);
    const key = objectKey(ref.kind, isNamespacedKind(ref.kind) ? ref.namespace ?? 'default' : undefined, ref.name);
    const item = this.items.get(key);
    if (item) this.delete(key, item);
    this.changed(ref.kind);
  }

  markSynced(): void {
    this.synced = true;
    this.confirm();
    this.rebuildBaseline();
  }

  confirm(): void {
    this.confirmedAt = this.now();
  }

  setLive(live: boolean): void {
    if (this.live && !live) this.confirm();
    this.live = live;
  }

  get(kind: string, namespace: string | undefined, name: string): Item | undefined {
    return this.items.get(objectKey(kind, isNamespacedKind(kind) ? namespace : undefined, name));
  }

  all(): Item[] {
    return [...this.items.values()];
  }

  /** Objects of some kinds in one namespace, and every Namespace. */
  namespaceView(namespace: string, kinds: readonly string[]): Item[] {
    return [bucketOf('Namespace', undefined), ...kinds.map((kind) => bucketOf(kind, namespace))].flatMap((b) => [...(this.buckets.get(b)?.values() ?? [])]);
  }

  /** The last RBAC baseline built, undefined before the first sync. */
  rbac(): RbacBaseline | undefined {
    return this.baseline;
  }

  /** True when the baseline misses changes older than maxAgeSeconds. */
  rbacStale(maxAgeSeconds: number): boolean {
    return this.rbacDirtyAt !== undefined && this.now() - this.rbacDirtyAt > maxAgeSeconds * 1000;
  }

  /** Builds the RBAC index, facts and shortest paths of the current objects. */
  rebuildBaseline(): void {
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildTimer = undefined;
    const items = this.all();
    const index = new RbacIndex(items);
    const facts = clusterFactsOf(items, new Inventory(items).podSpecs(), index);
    const graph = new EscalationGraph(index, facts);
    const next = Object.fromEntries(TARGETS.map((t) => [t, graph.shortestPaths(t)])) as Record<Target, Map<string, Edge | null>>;
    this.baseline = { index, graph, facts, next, builtAt: this.now() };
    this.rbacDirtyAt = undefined;
    this.podsDirty = false;
  }

  close(): void {
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildTimer = undefined;
  }

  private put(object: K8sObject, location: string): void {
    const trimmed = trimForState(object);
    const ref = refOf(trimmed);
    if (!ref.namespace && isNamespacedKind(ref.kind)) ref.namespace = 'default';
    const key = objectKey(ref.kind, ref.namespace, ref.name);
    const item = { object: trimmed, ref, location: { file: location } };
    this.items.set(key, item);
    const bucket = bucketOf(ref.kind, ref.namespace);
    let inBucket = this.buckets.get(bucket);
    if (!inBucket) this.buckets.set(bucket, (inBucket = new Map()));
    inBucket.set(key, item);
  }

  private delete(key: string, item: Item): void {
    this.items.delete(key);
    this.buckets.get(bucketOf(item.ref.kind, item.ref.namespace))?.delete(key);
  }

  private changed(kind: string): void {
    if (!this.synced) return;
    this.confirm();
    if (RBAC_INPUT_KINDS.has(kind)) this.rbacDirtyAt ??= this.now();
    else if (kind === 'Pod') this.podsDirty = true;
    else return;
    // Debounced: a burst of events (a relist, a Helm install) costs one rebuild; an RBAC change
    // brings forward a rebuild scheduled for pod churn.
    const due = this.now() + (this.rbacDirtyAt !== undefined ? 500 : POD_REFRESH_MS);
    if (this.rebuildTimer && this.rebuildDue <= due) return;
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildDue = due;
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = undefined;
      if (this.rbacDirtyAt !== undefined || this.podsDirty) this.rebuildBaseline();
    }, due - this.now());
    this.rebuildTimer.unref();
  }
}
