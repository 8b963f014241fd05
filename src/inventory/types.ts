// The shapes every part of kubeward shares: raw Kubernetes objects, where they came from,
// and how a finding names them.

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string | null;
  [key: string]: unknown;
}

/** A Kubernetes object (or a component config file with apiVersion/kind) as read. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** Where an object or a value was read: a file and line, or an API request. */
export interface Location {
  file: string;
  line?: number;
}

/** How a report names the thing a finding is about. */
export interface ResourceRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One object of the inventory with its identity and origin. */
export interface Item<T extends K8sObject = K8sObject> {
  object: T;
  ref: ResourceRef;
  location: Location;
}

/** An input that could not be read or parsed, or an API request that failed. */
export interface InputError {
  source: string;
  line?: number;
  message: string;
}

/**
 * Something the scan could not see (a resource type the API refused, a managed control plane's
 * flags). Checks that depend on it report not-evaluated with this reason.
 */
export interface VisibilityGap {
  /** What is missing, e.g. "secrets", "kube-apiserver", "nodes/proxy/configz". */
  scope: string;
  reason: string;
}

/**
 * How a report names an object. Component config files (KubeletConfiguration, kubeconfigs) have
 * no metadata.name: they are named after the file they were read from.
 */
export function refOf(object: K8sObject, file?: string): ResourceRef {
  const ref: ResourceRef = {
    kind: object.kind ?? 'Unknown',
    name: object.metadata?.name ?? object.metadata?.generateName ?? (file ? file.split('/').pop()! : '(unnamed)'),
  };
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

export function describeRef(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** "file:line", or the file alone when the line is unknown. */
export function fileLine(file: string, line?: number): string {
  return line ? `${file}:${line}` : file;
}

/** One key for an object's kind, namespace and name (maps of objects across kinds). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** The value at a path of keys and indexes into an object, or undefined where the path breaks off. */
export function valueAtPath(object: unknown, path: readonly (string | number)[]): unknown {
  let node = object;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
