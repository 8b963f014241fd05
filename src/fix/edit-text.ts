// Applies planned object edits and removals to the text of the file that holds the objects,
// changing only what they touch: YAML through the `yaml` library's Document API (comments, key
// order and quoting kept; documents that no edit touches stay byte for byte; the lines of a removed
// document or List item are cut out), JSON by re-serialising only the edited items of a pretty-printed List with the
// file's own indentation and cutting removed ones out (an item is found at the line it was read
// from, and must parse to the same object, else the file is written whole).

import type { Document, LineCounter, Node, YAMLMap, YAMLSeq } from 'yaml';
import type { Item, K8sObject } from '../inventory/types.js';
import { appendAll } from '../sources/types.js';
import { yamlLibrary } from '../yaml.js';
import type { FieldPath, ObjectOp } from './types.js';

export interface ObjectEdits {
  item: Item;
  ops: readonly ObjectOp[];
  /** The object is removed (its ops are then ignored). */
  remove?: boolean;
}

export interface EditedText {
  text: string;
  /** The edited objects as the new text holds them (parsed back), by item; removed ones are absent. */
  objects: Map<Item, K8sObject>;
}

export class EditError extends Error {}

/** `parseBack: false`: only the text is wanted, so a JSON List's edited items are not parsed back into `objects`. */
export function applyObjectEdits(text: string, file: string, edits: readonly ObjectEdits[], { parseBack = true } = {}): EditedText {
  // A byte-order mark and CRLF line ends are the file's own: the text is edited without them (the
  // serialisers write LF), and they are put back, so untouched lines keep their bytes.
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const crlf = body.includes('\r\n') && !/(?:^|[^\r])\n/.test(body);
  const plain = crlf ? body.replace(/\r\n/g, '\n') : body;
  const trimmed = plain.trimStart();
  const edited = trimmed.startsWith('{') || trimmed.startsWith('[') ? editJson(plain, file, edits, parseBack) : editYaml(plain, file, edits);
  return { ...edited, text: bom + (crlf ? edited.text.replace(/\n/g, '\r\n') : edited.text) };
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
  const removedDocs = new Set<number>();
  const removedItems = new Map<number, number[]>();
  for (const [n, edit] of edits.entries()) {
    const { index, prefix } = located[n]!;
    if (edit.remove) {
      if (prefix.length === 0) removedDocs.add(index);
      else removedItems.set(index, [...(removedItems.get(index) ?? []), prefix[1] as number]);
      continue;
    }
    const doc = docs[index]!;
    touched.set(index, doc);
    for (const op of edit.ops) {
      const path = [...prefix, ...op.path];
      if (op.op === 'set') doc.setIn(path, doc.createNode(op.value));
      else if (doc.hasIn(path)) doc.deleteIn(path);
    }
  }
  // A removed document goes from its `---` (or its first node) to its end; comments before it stay.
  const cuts: { start: number; end: number }[] = [...removedDocs].map((index) => ({ start: docs[index]!.range[0], end: docs[index]!.range[2] }));
  for (const [index, ats] of removedItems) {
    // locateYaml found these items in this List's `items` sequence.
    const items = ((docs[index]!.contents as YAMLMap).get('items') as YAMLSeq<Node>).items;
    const lines = ats.map((at) => itemLines(text, items[at]!.range ?? undefined));
    // Items of a document no edit rewrites are cut from the text, unless none would be left (`items: []`).
    if (!touched.has(index) && ats.length < items.length && lines.every((l) => l !== undefined)) {
      appendAll(cuts, lines as { start: number; end: number }[]);
      continue;
    }
    // Otherwise through the document, last to first, so that each index still names its item.
    touched.set(index, docs[index]!);
    for (const at of [...ats].sort((a, b) => b - a)) docs[index]!.deleteIn(['items', at]);
  }
  const spans = [
    ...[...touched.keys()].filter((i) => !removedDocs.has(i)).map((index) => ({ index, ...bounds[index]! })),
    ...cuts.map((cut) => ({ index: -1, ...cut })),
  ].sort((a, b) => a.start - b.start);
  let out = '';
  let last = 0;
  for (const { index, start, end } of spans) {
    let after = '';
    if (index >= 0) {
      const before = text.slice(start, end);
      after = docs[index]!.toString({ indentSeq: indentsSequences(before), lineWidth: 0, flowCollectionPadding: false });
      // toString ends a document with one newline; keep the separator the file had.
      if (!before.endsWith('\n')) after = after.replace(/\n$/, '');
      if (index > 0 && !after.startsWith('---') && /^\s*---/.test(before)) after = `---\n${after}`;
    }
    out += text.slice(last, start) + after;
    last = end;
  }
  out += text.slice(last);
  const objects = new Map<Item, K8sObject>();
  const reparsed = parseAllDocuments(out);
  const again = Array.isArray(reparsed) ? reparsed : [];
  // Only comments may be left where every document was removed: the parser then sees one empty document.
  const expected = docs.length - removedDocs.size;
  if ((again.length !== expected && !(expected === 0 && again.every((d) => d.contents === null))) || again.some((d) => d.errors.length > 0)) {
    throw new EditError(`${file}: the edited YAML does not parse back; not changed`);
  }
  // Each touched document converted once, however many of its List's items were edited.
  const js = new Map<number, unknown>();
  for (const [n, edit] of edits.entries()) {
    if (edit.remove) continue;
    const { index, prefix } = located[n]!;
    const newIndex = index - [...removedDocs].filter((i) => i < index).length;
    // Items removed before this one in its List moved it up.
    const path = prefix.length === 0 ? prefix : ['items', (prefix[1] as number) - (removedItems.get(index) ?? []).filter((at) => at < (prefix[1] as number)).length];
    if (!js.has(newIndex)) js.set(newIndex, again[newIndex]!.toJS({ maxAliasCount: 1000 }));
    objects.set(edit.item, path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], js.get(newIndex)) as K8sObject);
  }
  return { text: out, objects };
}

/** The whole lines of a block sequence's item (`- ` through the line its node ends on); undefined for a flow or inline item. */
function itemLines(text: string, range: [number, number, number] | undefined): { start: number; end: number } | undefined {
  if (!range) return undefined;
  const start = text.lastIndexOf('\n', range[0] - 1) + 1;
  if (!/^[ \t]*-[ \t]+$/.test(text.slice(start, range[0]))) return undefined;
  let end = range[2];
  if (text[end - 1] !== '\n') {
    // Only a comment may follow the node on its last line.
    const newline = text.indexOf('\n', end);
    if (!/^[ \t]*(?:#.*)?$/.test(text.slice(end, newline < 0 ? text.length : newline))) return undefined;
    end = newline < 0 ? text.length : newline + 1;
  }
  return { start, end };
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

/** What sameObject compares, as one key. */
function identityOf(o: K8sObject | undefined): string {
  return `${o?.kind}\u0000${o?.metadata?.namespace ?? ''}\u0000${o?.metadata?.name}`;
}

// ---- JSON -------------------------------------------------------------------------------------

function editJson(text: string, file: string, edits: readonly ObjectEdits[], parseBack: boolean): EditedText {
  const spliced = spliceJsonList(text, edits, parseBack);
  if (spliced) return spliced;
  // Any other JSON: parsed and written whole, with the file's indentation.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new EditError(`${file}: does not parse as JSON (${(e as Error).message}); not changed`);
  }
  const objects = new Map<Item, K8sObject>();
  const list = (value as { items?: unknown[] }).items;
  // The List's items by identity, found once: a dump has tens of thousands.
  let byIdentity: Map<string, unknown> | undefined;
  if (Array.isArray(list)) {
    byIdentity = new Map();
    for (const o of list) if (!byIdentity.has(identityOf(o as K8sObject))) byIdentity.set(identityOf(o as K8sObject), o);
  }
  const removed = new Set<unknown>();
  for (const edit of edits) {
    const target = byIdentity ? byIdentity.get(identityOf(edit.item.object)) : value;
    if (!target || (edit.remove && !sameObject(target as K8sObject, edit.item.object))) throw new EditError(`${file}: ${edit.item.ref.kind} ${edit.item.ref.name} was not found; not changed`);
    if (edit.remove) {
      removed.add(target);
      continue;
    }
    applyOps(target, edit.ops);
    objects.set(edit.item, target as K8sObject);
  }
  if (removed.size > 0) {
    // A file whose only object goes stays a manifest (an empty List), so JSON stays JSON.
    if (Array.isArray(list)) (value as { items: unknown[] }).items = list.filter((o) => !removed.has(o));
    else value = { apiVersion: 'v1', kind: 'List', items: [] };
  }
  const indent = /^[{[]\r?\n([ \t]+)/.exec(text.trimStart())?.[1] ?? '';
  const after = JSON.stringify(value, null, indent) + (text.endsWith('\n') ? '\n' : '');
  return { text: after, objects };
}

/** Pretty-printed Lists (kubectl get -o json): only the edited items' lines change. */
function spliceJsonList(text: string, edits: readonly ObjectEdits[], parseBack: boolean): EditedText | undefined {
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
  // Parts joined once at the end: `+=` over thousands of items builds a rope that costs a second to flatten.
  const parts: string[] = [];
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
    if (edit.remove) {
      const lineStart = starts.get(itemLine)!;
      const comma = /^,[ \t]*\r?\n/.exec(text.slice(end, end + 8));
      parts.push(text.slice(last, lineStart));
      if (comma) {
        last = end + comma[0].length;
        continue;
      }
      last = end + (/^\r?\n/.exec(text.slice(end, end + 2))?.[0].length ?? 0);
      // The last item of the List: the comma of the item before it goes, or, none being left, the List is `[]`.
      // Once per List, so the parts so far are joined to look back across them.
      let out = parts.join('');
      const kept = out.length - trailingSpace(out, out.length);
      if (out[kept - 1] === ',') out = out.slice(0, kept - 1) + out.slice(kept);
      else if (out[kept - 1] === '[') {
        out = out.slice(0, kept);
        while (/\s/.test(text[last] ?? '')) last++;
      }
      parts.length = 0;
      parts.push(out);
      continue;
    }
    applyOps(object, edit.ops);
    const after = JSON.stringify(object, null, unit).replace(/\n/g, `\n${indent}`);
    if (parseBack) objects.set(edit.item, JSON.parse(after) as K8sObject);
    parts.push(text.slice(last, start), after);
    last = end;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), objects };
}

/** How many whitespace characters end `text` before `at`. */
function trailingSpace(text: string, at: number): number {
  let n = 0;
  while (at - n > 0 && /\s/.test(text[at - n - 1]!)) n++;
  return n;
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
