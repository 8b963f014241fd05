// What a check's fix is given and what it produces: edits to objects in the input, new objects,
// objects of the input removed, and node files (mode changes, new or rewritten files). The
// framework (plan.ts) records each change with the check it fixes and its safety; nothing
// touches the disk while planning.

import type { CheckContext, FailResult, FixSafety } from '../checks/types.js';
import type { HostSnapshot } from '../inventory/host.js';
import type { Item, K8sObject } from '../inventory/types.js';

/** A path into an object, e.g. ['spec', 'template', 'spec', 'containers', 0, 'securityContext']. */
export type FieldPath = readonly (string | number)[];

/** One edit of an object: set a field (creating the maps on the way) or remove it. */
export type ObjectOp = { op: 'set'; path: FieldPath; value: unknown } | { op: 'remove'; path: FieldPath };

/** The working copy of an object that fixes edit; later fixes see earlier fixes' edits. */
export interface ObjectEdit {
  readonly item: Item;
  /** The object with every edit planned so far applied (do not mutate it directly). */
  readonly object: K8sObject;
  set(path: FieldPath, value: unknown): void;
  remove(path: FieldPath): void;
}

export interface NodeFileWrite {
  /** The file's whole new text. */
  content: string;
  /** What the diff shows instead of the content (a generated key is never shown). */
  display?: string;
  /** Mode of a new file (existing files keep theirs). */
  mode?: number;
}

export interface FixContext {
  check: CheckContext;
  /** --unsafe-fixes was given: fixes may plan changes that can change what a workload does. */
  unsafe: boolean;
  /** The working copy of an object of the input; its edits go to the object's file. */
  edit(item: Item): ObjectEdit;
  /** The object with the edits planned so far, without starting an edit (read only). */
  planned(item: Item): K8sObject;
  /** A new object for kubeward-fixes.yaml; an object with the same kind, namespace and name replaces it. */
  add(object: K8sObject): void;
  /**
   * Removes an object of the input: its YAML document, or its entry of a List's items, leaving the
   * rest of its file as it is (a live cluster's bundle says `kubectl delete` instead).
   */
  remove(item: Item): void;
  /** A new object planned in this run (by add), to extend instead of adding a second one. */
  added(kind: string, namespace: string | undefined, name: string): K8sObject | undefined;
  /** Sets the permission bits of a node file (and its owner to root when `owner` is given). */
  chmod(host: HostSnapshot, path: string, mode: number, owner?: { uid: number; gid: number }): void;
  /** Writes a node file, new or whole; `current` is its text as planned so far (undefined when absent). */
  writeNodeFile(host: HostSnapshot, path: string, write: (current: string | undefined) => NodeFileWrite | undefined): void;
  /** This failure stays: a person has to decide (reported in `remaining` with the reason). */
  manual(failure: FailResult, why: string): void;
  /** A value this run generated (an encryption key): output shows `<generated 32-byte key>` instead. */
  generated(secret: string): void;
  /**
   * Changes planned from here on, until the callback returns, have this safety. An unsafe change
   * skipped for want of --unsafe-fixes leaves `failure` (when given) to a person, with the risk.
   */
  withSafety(safety: FixSafety, risk: string, plan: () => void, failure?: FailResult): void;
}
