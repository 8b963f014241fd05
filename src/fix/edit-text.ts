// Applies planned object edits to the text of the file that holds the objects, changing only what
// the edits touch: YAML through the `yaml` library's Document API (comments, key order and
// quoting kept; documents that no edit touches stay byte for byte), JSON by re-serialising only
// the edited items of a pretty-printed List with the file's own indentation (an item is found at
// the line it was read from, and must parse to the same object, else the file is written whole).

import type { Document, LineCounter } from 'yaml';
import type { Item, K8sObject } from '../inventory/types.js';
import { yamlLibrary } from '../yaml.js';
import type { FieldPath, ObjectOp } from './types.js';

export interface ObjectEdits {
  item: Item;
  ops: readonly ObjectOp[];
}

export interface EditedText {
  text: string;
  /** The edited objects as the new text holds them (parsed back), by item. */
  objects: Map<Item, K8sObject>;
}

export class EditError extends Error {}

export function applyObjectEdits(text: string, file: string, edits: readonly ObjectEdits[]): EditedText {
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') || trimmed.startsWith('[') ? editJson(text, file, edits) : editYaml(text, file, edits);
}

/** Applies ops to a plain object (the working copies, and JSON files). */
export function applyOps(object: unknown, ops: readonly ObjectOp[]): void {
  for (const op of ops) {
    const parent = walk(object, op.path.slice(0, -1), op.op === 'set');
    const key = op.path[op.path.length - 1]!;
    if (parent === undefined) continue;
    if (op.op === 'set') (parent as Record<string | number, unknown>)[key] = structuredClone(op.value);
    else if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete (parent as Record<string | number, unknown>)[key];
  }
}

function walk(object: unknown, path: FieldPath, create: boolean): object | undefined {
  let node = object as Record<string | number, unknown>;
  for (const key of path) {
    let next = node[key];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      next = node[key] = {};
    }
    if (typeof next !== 'object') throw new EditError(`cannot edit inside ${String(key)}: it is not a map or a list`);
    node = next as Record<string | number, unknown>;
  }
  return node;
}

// ---- YAML -------------------------------------------------------------------------------------

function editYaml(text: string, file: string, edits: readonly ObjectEdits[]): EditedText {
  const { parseAllDocuments, LineCounter: Lines } = yamlLibrary();
  const lineCounter = new Lines();
  const docs = parseAllDocuments(text, { lineCounter, keepSourceTokens: false });
  if (!Array.isArray(docs)) throw new EditError(`${file}: no YAML documents`);
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new EditError(`${file}: does not parse as YAML (${doc.errors[0]!.message.split('\n')[0]}); not changed`);
  }
  // Each document owns the text from the end of the one before to its own end.
  const bounds = docs.map((doc, i) => ({ start: i === 0 ? 0 : docs[i - 1]!.range[2], end: doc.range[2] }));
  const touched = new Map<number, Document.Parsed>();
  // Located once, before any edit: the parsed-back objects are read from the same places.
  const located = edits.map((edit) => locateYaml(docs, bounds, lineCounter, edit.item, file));
  for (const [n, edit] of edits.entries()) {
    const { index, prefix } = located[n]!;
    const doc = docs[index]!;
    touched.set(index, doc);
    for (const op of edit.ops) {
      const path = [...prefix, ...op.path];
      if (op.op === 'set') doc.setIn(path, doc.createNode(op.value));
      else if (doc.hasIn(path)) doc.deleteIn(path);
    }
  }
  let out = '';
  let last = 0;
  for (const index of [...touched.keys()].sort((a, b) => a - b)) {
    const { start, end } = bounds[index]!;
    const before = text.slice(start, end);
    let after = docs[index]!.toString({ indentSeq: indentsSequences(before), lineWidth: 0, flowCollectionPadding: false });
    // toString ends a document with one newline; keep the separator the file had.
    if (!before.endsWith('\n')) after = after.replace(/\n$/, '');
    if (index > 0 && !after.startsWith('---') && /^\s*---/.test(before)) after = `---\n${after}`;
    out += text.slice(last, start) + after;
    last = end;
  }
  out += text.slice(last);
  const objects = new Map<Item, K8sObject>();
  const reparsed = parseAllDocuments(out);
  const again = Array.isArray(reparsed) ? reparsed : [];
  if (again.length !== docs.length || again.some((d) => d.errors.length > 0)) throw new EditError(`${file}: the edited YAML does not parse back; not changed`);
  // Each touched document converted once, however many of its List's items were edited.
  const js = new Map<number, unknown>();
  for (const [n, edit] of edits.entries()) {
    const { index, prefix } = located[n]!;
    if (!js.has(index)) js.set(index, again[index]!.toJS({ maxAliasCount: 1000 }));
    objects.set(edit.item, prefix.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], js.get(index)) as K8sObject);
  }
  return { text: out, objects };
}

/** Sequences under a key indented ("  - a") or not ("- a", kubectl's style), as the document has them. */
function indentsSequences(text: string): boolean {
  const m = /^( *)[^\s#-][^\n]*:[ \t]*\r?\n( *)- /m.exec(text);
  return m ? m[2]!.length > m[1]!.length : true;
}

/** The document (and, in a List, the item) an inventory item was read from: by line, else by name. */
function locateYaml(docs: Document.Parsed[], bounds: { start: number; end: number }[], lines: LineCounter, item: Item, file: string): { index: number; prefix: (string | number)[] } {
  const line = item.location.line;
  const candidates = docs.map((_, i) => i).filter((i) => {
    if (line === undefined) return true;
    return lines.linePos(bounds[i]!.start).line <= line && line <= lines.linePos(Math.max(bounds[i]!.start, bounds[i]!.end - 1)).line;
  });
  const { isMap, isSeq } = yamlLibrary();
  for (const index of candidates) {
    const doc = docs[index]!;
    const contents = doc.contents;
    if (!isMap(contents)) continue;
    const items = contents.get('items');
    if (isSeq(items) && /List$/.test(String(contents.get('kind') ?? ''))) {
      const at = items.items.findIndex((node) => {
        const range = (node as { range?: [number, number, number] }).range;
        if (line !== undefined && range) return lines.linePos(range[0]).line <= line && line <= lines.linePos(Math.max(range[0], range[1] - 1)).line;
        return sameObject((node as { toJSON(): unknown }).toJSON() as K8sObject, item.object);
      });
      if (at >= 0) return { index, prefix: ['items', at] };
      continue;
    }
    if (line !== undefined || sameObject(doc.toJS() as K8sObject, item.object)) return { index, prefix: [] };
  }
  throw new EditError(`${file}: ${item.ref.kind} ${item.ref.name} was not found where it was read; not changed`);
}

function sameObject(a: K8sObject | undefined, b: K8sObject): boolean {
  return a?.kind === b.kind && a?.metadata?.name === b.metadata?.name && (a?.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

// ---- JSON -------------------------------------------------------------------------------------

function editJson(text: string, file: string, edits: readonly ObjectEdits[]): EditedText {
  const spliced = spliceJsonList(text, edits);
  if (spliced) return spliced;
  // Any other JSON: parsed and written whole, with the file's indentation.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new EditError(`${file}: does not parse as JSON (${(e as Error).message}); not changed`);
  }
  const objects = new Map<Item, K8sObject>();
  for (const edit of edits) {
    const list = (value as { items?: unknown[] }).items;
    const target = Array.isArray(list) ? list.find((o) => sameObject(o as K8sObject, edit.item.object)) : value;
    if (!target) throw new EditError(`${file}: ${edit.item.ref.kind} ${edit.item.ref.name} was not found; not changed`);
    applyOps(target, edit.ops);
    objects.set(edit.item, target as K8sObject);
  }
  const indent = /^[{[]\r?\n([ \t]+)/.exec(text.trimStart())?.[1] ?? '';
  const after = JSON.stringify(value, null, indent) + (text.endsWith('\n') ? '\n' : '');
  return { text: after, objects };
}

/** Pretty-printed Lists (kubectl get -o json): only the edited items' lines change. */
function spliceJsonList(text: string, edits: readonly ObjectEdits[]): EditedText | undefined {
  const head = /^\s*\{[\s\S]*?\n([ \t]*)"items"\s*:\s*\[[ \t]*\r?\n([ \t]*)\{/.exec(text);
  if (!head || edits.some((e) => e.item.location.line === undefined)) return undefined;
  const outer = head[1]!;
  const indent = head[2]!;
  const unit = indent.slice(outer.length);
  if (unit === '' || unit.replace(/ /g, '') !== '') return undefined;
  const starts = new Map<number, number>(); // line -> offset of the line
  const wanted = new Set(edits.map((e) => e.item.location.line!));
  let line = 1;
  for (let nl = -1; ; nl = text.indexOf('\n', nl + 1)) {
    if (wanted.has(line)) starts.set(line, nl + 1);
    if (starts.size === wanted.size) break;
    if (text.indexOf('\n', nl + 1) < 0) return undefined;
    line++;
  }
  const byOffset = [...edits].sort((a, b) => a.item.location.line! - b.item.location.line!);
  const objects = new Map<Item, K8sObject>();
  let out = '';
  let last = 0;
  for (const edit of byOffset) {
    const itemLine = edit.item.location.line!;
    const start = starts.get(itemLine)! + indent.length;
    if (text[start] !== '{') return undefined;
    const end = itemEnd(text, start);
    if (end < 0) return undefined;
    let object: K8sObject;
    try {
      object = JSON.parse(text.slice(start, end)) as K8sObject;
    } catch {
      return undefined;
    }
    if (!sameObject(object, edit.item.object)) return undefined;
    applyOps(object, edit.ops);
    const after = JSON.stringify(object, null, unit).replace(/\n/g, `\n${indent}`);
    objects.set(edit.item, JSON.parse(after) as K8sObject);
    out += text.slice(last, start) + after;
    last = end;
  }
  out += text.slice(last);
  return { text: out, objects };
}

/** Offset just past the object that starts at `start` (strings and escapes skipped). */
function itemEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
