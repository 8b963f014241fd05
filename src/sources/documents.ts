// Turns the text of one input (YAML or JSON, one or many documents, Lists) into inventory items.
// Used by every source that reads manifests: files, stdin, snapshots.

import { LineCounter, isMap, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { CONFIG_KINDS, isKnownKind } from '../inventory/kinds.js';
import { refOf, type InputError, type Item, type K8sObject } from '../inventory/types.js';
import type { SkippedCounts } from './types.js';

/** Aliases a document may expand before we call it an alias bomb ("billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

export interface ParsedDocuments {
  items: Item[];
  errors: InputError[];
  skipped: SkippedCounts;
}

const HELM_MARKER = /\{\{-?\s*[-.$a-zA-Z("]/;
const HELM_HINT = 'looks like an unrendered Helm template; render it first (helm template ...) and scan the output';

/** Parses one input's text. `source` names it in locations and errors (a path, "stdin", a URL). */
export function parseDocuments(text: string, source: string): ParsedDocuments {
  const out: ParsedDocuments = { items: [], errors: [], skipped: { notKubernetes: 0, byKind: {} } };
  if (text.includes('\u0000')) {
    out.errors.push({ source, message: 'binary file (contains NUL bytes); not YAML or JSON' });
    return out;
  }
  const trimmed = text.trimStart();
  if (trimmed === '') return out;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = tryJson(text);
    if (json.ok) {
      addValue(json.value, source, () => 1, out, jsonListLines(text));
      return out;
    }
  }
  parseYaml(text, source, out);
  return out;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function parseYaml(text: string, source: string, out: ParsedDocuments): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const helm = HELM_MARKER.test(text);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      const line = lineOf(err.pos[0]);
      const reason = helm ? HELM_HINT : `invalid YAML: ${firstLine(err.message)}`;
      out.errors.push({ source, line, message: reason });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const line = doc.contents?.range ? lineOf(doc.contents.range[0]) : 1;
      const message = e instanceof Error && /alias/i.test(e.message)
        ? `YAML aliases expand beyond ${MAX_ALIAS_COUNT} nodes (alias bomb?); document not read`
        : `invalid YAML: ${e instanceof Error ? firstLine(e.message) : String(e)}`;
      out.errors.push({ source, line, message });
      continue;
    }
    const contents = doc.contents as YamlNode | null;
    const docLine = contents?.range ? lineOf(contents.range[0]) : 1;
    if (helm && typeof value === 'string' && HELM_MARKER.test(value)) {
      out.errors.push({ source, line: docLine, message: HELM_HINT });
      continue;
    }
    const itemLines: number[] = [];
    if (isMap(contents)) {
      const items = contents.get('items', true);
      if (isSeq(items)) {
        for (const node of items.items) {
          const range = (node as { range?: [number, number, number] } | null)?.range;
          itemLines.push(range ? lineOf(range[0]) : docLine);
        }
      }
    }
    addValue(value, source, () => docLine, out, itemLines);
  }
}

/** Adds one parsed document: an object, a List of objects, or something that is not Kubernetes. */
function addValue(value: unknown, source: string, lineOfDoc: () => number, out: ParsedDocuments, itemLines: number[]): void {
  if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
    if (Array.isArray(value) || (isObject(value) && Array.isArray(value.items) && typeof value.kind !== 'string')) {
      // A bare JSON array or an untyped list: treat each element as a document.
      const list = Array.isArray(value) ? value : (value.items as unknown[]);
      list.forEach((v, i) => addValue(v, source, () => itemLines[i] ?? lineOfDoc(), out, []));
      return;
    }
    if (value !== null && value !== undefined) out.skipped.notKubernetes++;
    return;
  }
  const kind = value.kind as string;
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    // `kubectl get -o yaml` output (kind: List) and typed API lists (PodList), whose items may
    // omit apiVersion and kind.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    (value.items as unknown[]).forEach((raw, i) => {
      if (isObject(raw)) {
        raw.kind ??= itemKind;
        raw.apiVersion ??= value.apiVersion;
      }
      addValue(raw, source, () => itemLines[i] ?? lineOfDoc(), out, []);
    });
    return;
  }
  addObject(value as K8sObject, { file: source, line: lineOfDoc() }, out);
}

function addObject(object: K8sObject, location: { file: string; line: number }, out: ParsedDocuments): void {
  const kind = object.kind!;
  if (!isKnownKind(kind)) {
    out.skipped.byKind[kind] = (out.skipped.byKind[kind] ?? 0) + 1;
    return;
  }
  const meta = object.metadata;
  if (HELM_MARKER.test(`${kind} ${object.apiVersion} ${meta?.name ?? ''} ${meta?.namespace ?? ''}`)) {
    out.errors.push({ source: location.file, line: location.line, message: HELM_HINT });
    return;
  }
  if (!CONFIG_KINDS.has(kind) && !meta?.name && !meta?.generateName) {
    out.errors.push({ source: location.file, line: location.line, message: `${kind} has no metadata.name; object not scanned` });
    return;
  }
  out.items.push({ object, ref: refOf(object), location });
}

/**
 * Line of each element of the top-level "items" array of a JSON text, found by one pass over the
 * characters (JSON.parse keeps no positions). Empty when there is no such array.
 */
export function jsonListLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let itemsDepth = -1; // depth of the items array once found
  let lastKey = '';
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        inString = false;
        if (depth === 1 && keyStart >= 0) lastKey = text.slice(keyStart, i);
      } else if (c === 10) line++;
      continue;
    }
    switch (c) {
      case 10: line++; break;
      case 34: inString = true; keyStart = i + 1; break;
      case 123: // {
        if (itemsDepth >= 0 && depth === itemsDepth) lines.push(line);
        depth++;
        break;
      case 91: // [
        depth++;
        if (depth === 2 && lastKey === 'items' && itemsDepth < 0) itemsDepth = 2;
        break;
      case 125: case 93: // } ]
        depth--;
        if (itemsDepth >= 0 && depth < itemsDepth) return lines;
        break;
    }
  }
  return lines;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
