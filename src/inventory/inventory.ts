// The inventory: every object read from every source, indexed for the checks and engines.

import { CLUSTER_SCOPED_KINDS, POD_TEMPLATE_PATHS, SYSTEM_NAMESPACES, isNamespacedKind } from './kinds.js';
import { selectorMatches, type LabelSelector } from './labels.js';
import type { Container, PodSpec, Volume } from './pod.js';
import type { HostSnapshot } from './host.js';
import type { StoredValueClassification } from '../sources/types.js';
import type { Item, K8sObject, ObjectMeta, VisibilityGap } from './types.js';

/** A pod spec found in an object: a Pod's own spec or a workload's pod template. */
export interface PodSpecRef {
  item: Item;
  spec: PodSpec;
  /** The pod's metadata: the Pod's own, or the template's (labels, annotations). */
  podMetadata: ObjectMeta;
  /** The namespace the pods run in. */
  namespace: string;
  /** Field path of the pod spec inside the object, e.g. "spec.template.spec". */
  path: string;
}

export interface InventoryOptions {
  /** Namespace assumed for namespaced objects that name none (as `kubectl apply -n`). */
  defaultNamespace?: string;
  /** Things the sources could not see; checks depending on them report not-evaluated. */
  gaps?: VisibilityGap[];
  /** Node filesystems read with --node-root. */
  hosts?: HostSnapshot[];
  /** How values are stored in etcd (--etcd-endpoints); absent when no etcd was read. */
  storedValues?: readonly StoredValueClassification[];
  /** Objects of kinds kubeward does not read (custom resources), counted by kind. */
  skippedKinds?: Readonly<Record<string, number>>;
  /** Resource types (plural names) an API server listed in full; see LoadResult.listed. */
  listed?: readonly string[];
}

export class Inventory {
  readonly items: readonly Item[];
  readonly gaps: readonly VisibilityGap[];
  readonly hosts: readonly HostSnapshot[];
  readonly storedValues: readonly StoredValueClassification[] | undefined;
  readonly skippedKinds: Readonly<Record<string, number>>;
  readonly defaultNamespace: string;
  private readonly listed: ReadonlySet<string>;
  private readonly byKind = new Map<string, Item[]>();
  /** kind -> namespace ('' when cluster-scoped) -> name -> object. */
  private readonly byKey = new Map<string, Map<string, Map<string, Item>>>();
  private readonly byNamespace = new Map<string, Item[]>();
  private readonly byNamespaceKind = new Map<string, Item[]>();
  private podSpecCache: PodSpecRef[] | undefined;

  constructor(items: Item[], options: InventoryOptions = {}) {
    this.defaultNamespace = options.defaultNamespace ?? 'default';
    this.gaps = options.gaps ?? [];
    this.hosts = options.hosts ?? [];
    this.storedValues = options.storedValues;
    this.skippedKinds = options.skippedKinds ?? {};
    this.listed = new Set(options.listed);
    for (const item of items) {
      if (!item.ref.namespace && isNamespacedKind(item.ref.kind)) item.ref.namespace = this.defaultNamespace;
    }
    this.items = items;
    for (const item of items) {
      push(this.byKind, item.ref.kind, item);
      if (item.ref.namespace) {
        push(this.byNamespace, item.ref.namespace, item);
        push(this.byNamespaceKind, `${item.ref.namespace}\u0000${item.ref.kind}`, item);
      }
      let byNamespace = this.byKey.get(item.ref.kind);
      if (!byNamespace) this.byKey.set(item.ref.kind, (byNamespace = new Map()));
      let byName = byNamespace.get(item.ref.namespace ?? '');
      if (!byName) byNamespace.set(item.ref.namespace ?? '', (byName = new Map()));
      byName.set(item.ref.name, item);
    }
  }

  /** All objects of a kind, in input order. */
  ofKind<T extends K8sObject = K8sObject>(kind: string): Item<T>[] {
    return (this.byKind.get(kind) ?? []) as Item<T>[];
  }

  get<T extends K8sObject = K8sObject>(kind: string, namespace: string | undefined, name: string): Item<T> | undefined {
    const ns = CLUSTER_SCOPED_KINDS.has(kind) ? undefined : namespace;
    return this.byKey.get(kind)?.get(ns ?? '')?.get(name) as Item<T> | undefined;
  }

  inNamespace(namespace: string, kind?: string): Item[] {
    return (kind ? this.byNamespaceKind.get(`${namespace}\u0000${kind}`) : this.byNamespace.get(namespace)) ?? [];
  }

  /** Objects of a kind in a namespace whose labels a selector selects. */
  select(kind: string, namespace: string | undefined, selector: LabelSelector | undefined): Item[] {
    const pool = namespace === undefined ? this.ofKind(kind) : this.inNamespace(namespace, kind);
    return pool.filter((i) => selectorMatches(selector, i.object.metadata?.labels));
  }

  /**
   * Every namespace the input names: Namespace objects and the namespaces of objects in it,
   * sorted.
   */
  namespaces(): string[] {
    const names = new Set<string>(this.byNamespace.keys());
    for (const ns of this.ofKind('Namespace')) names.add(ns.ref.name);
    return [...names].sort();
  }

  isSystemNamespace(namespace: string | undefined): boolean {
    return namespace !== undefined && SYSTEM_NAMESPACES.has(namespace);
  }

  /**
   * Whether an API server listed every object of a resource type (plural name): then the input
   * holds the cluster's whole set of them, even when that set is empty.
   */
  wasListed(resource: string): boolean {
    return this.listed.has(resource);
  }

  /** The reason a scope could not be seen, when a source said so. */
  gap(scope: string): string | undefined {
    return this.gaps.find((g) => g.scope === scope)?.reason;
  }

  /**
   * The pod spec of every Pod and workload, so checks treat all workload kinds alike. A Pod (or
   * ReplicaSet, or Job) whose controlling owner is also in the input, and whose security-relevant
   * spec agrees with the owner's template, is left out: it is reported once, on the owner.
   */
  podSpecs(): PodSpecRef[] {
    if (this.podSpecCache) return this.podSpecCache;
    const refs: PodSpecRef[] = [];
    for (const [kind, path] of Object.entries(POD_TEMPLATE_PATHS)) {
      for (const item of this.ofKind(kind)) {
        const ref = podSpecOf(item, path);
        if (ref && !this.isCoveredByOwner(ref)) refs.push(ref);
      }
    }
    this.podSpecCache = refs;
    return refs;
  }

  /** The pod spec of one object, if its kind has one. */
  podSpecOf(item: Item): PodSpecRef | undefined {
    const path = POD_TEMPLATE_PATHS[item.ref.kind];
    return path ? podSpecOf(item, path) : undefined;
  }

  private isCoveredByOwner(ref: PodSpecRef): boolean {
    const owners = ref.item.object.metadata?.ownerReferences;
    if (!owners) return false;
    const owner = owners.find((o) => o.controller);
    if (!owner?.kind || !owner.name) return false;
    const ownerItem = this.get(owner.kind, ref.namespace, owner.name);
    const path = ownerItem && POD_TEMPLATE_PATHS[ownerItem.ref.kind];
    const ownerSpec = path ? specHolderAt(ownerItem, path)?.spec : undefined;
    return ownerSpec !== undefined && sameSecurityFields(ref.spec, ownerSpec);
  }
}

/** "spec.template.spec" for each template path, joined once. */
const PATH_TEXTS = new Map(Object.values(POD_TEMPLATE_PATHS).map((path) => [path, path.join('.')]));

/** The pod spec at a path and the object holding it (which also holds the pod's metadata). */
function specHolderAt(item: Item, path: string[]): { spec: PodSpec; holder: { metadata?: ObjectMeta } } | undefined {
  let node: unknown = item.object;
  let holder: unknown = item.object;
  for (let index = 0; index < path.length; index++) {
    if (typeof node !== 'object' || node === null) return undefined;
    if (index === path.length - 1) holder = node;
    node = (node as Record<string, unknown>)[path[index]!];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  return { spec: node as PodSpec, holder: holder as { metadata?: ObjectMeta } };
}

function podSpecOf(item: Item, path: string[]): PodSpecRef | undefined {
  const found = specHolderAt(item, path);
  if (!found) return undefined;
  return {
    item,
    spec: found.spec,
    podMetadata: (found.holder.metadata ?? {}) as ObjectMeta,
    namespace: item.ref.namespace ?? 'default',
    path: PATH_TEXTS.get(path) ?? path.join('.'),
  };
}

/**
 * The fields a pod's controller copies from its template and the checks judge. Fields that
 * admission or the scheduler add to running pods (nodeName, token volumes, default
 * tolerations) are left out, so a live pod agrees with its template.
 */
function sameSecurityFields(a: PodSpec, b: PodSpec): boolean {
  // Compared field by field, without building copies: this runs for every pod of a cluster dump.
  return (a.hostNetwork ?? false) === (b.hostNetwork ?? false) &&
    (a.hostPID ?? false) === (b.hostPID ?? false) &&
    (a.hostIPC ?? false) === (b.hostIPC ?? false) &&
    (a.hostUsers ?? true) === (b.hostUsers ?? true) &&
    jsonEqual(a.securityContext ?? null, b.securityContext ?? null) &&
    sameContainers(a.initContainers ?? [], b.initContainers ?? []) &&
    sameContainers(a.containers ?? [], b.containers ?? []) &&
    sameHostPaths(a.volumes ?? [], b.volumes ?? []);
}

function sameContainers(a: Container[], b: Container[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.image !== y.image || !jsonEqual(x.securityContext ?? null, y.securityContext ?? null)) return false;
    const xp = x.ports ?? [];
    const yp = y.ports ?? [];
    if (xp.length !== yp.length) return false;
    for (let j = 0; j < xp.length; j++) if ((xp[j]!.hostPort ?? 0) !== (yp[j]!.hostPort ?? 0)) return false;
  }
  return true;
}

function sameHostPaths(a: Volume[], b: Volume[]): boolean {
  const x = a.filter((v) => v.hostPath);
  const y = b.filter((v) => v.hostPath);
  return x.length === y.length && x.every((v, i) => v.name === y[i]!.name && v.hostPath?.path === y[i]!.hostPath?.path);
}

/** Deep equality of parsed JSON/YAML values; node:util's isDeepStrictEqual is many times slower. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => Object.hasOwn(y, k) && jsonEqual(x[k], y[k]));
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
