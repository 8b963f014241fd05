// Turns the text of one input (YAML or JSON, one or many documents, Lists) into inventory items.
// Used by every source that reads manifests: files, stdin, snapshots.

import { FAILSAFE_SCHEMA, Type, YAMLException, loadAll, type State as JsYamlState } from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { yamlLibrary } from '../yaml.js';
import { attachFieldLines } from '../inventory/field-lines.js';
import { CONFIG_KINDS, isKnownKind } from '../inventory/kinds.js';
import { refOf, type InputError, type Item, type K8sObject } from '../inventory/types.js';
import { isSnapshotDocument } from './snapshot.js';
import type { SkippedCounts } from './types.js';

/**
 * Limit of the full YAML reader (the `yaml` library: about 60 bytes of memory and 0.3 s per
 * input megabyte). Larger texts are read by the fast reader (js-yaml) only; those it declines
 * (anchors, unusual keys, errors) are refused unless they are kubectl List dumps, read item by
 * item. JSON (`-o json`) of any size goes through JSON.parse instead.
 */
export const MAX_YAML_CHARS = 16 * 1024 * 1024;

/** Aliases a document may expand before we call it an alias bomb ("billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

export interface ParsedDocuments {
  items: Item[];
  errors: InputError[];
  skipped: SkippedCounts;
  /** A kubeward Snapshot document, applied by the file loader once the snapshot's objects are read. */
  snapshot?: unknown;
}

const HELM_MARKER = /\{\{-?\s*[-.$a-zA-Z("]/;
const HELM_HINT = 'looks like an unrendered Helm template; render it first (helm template ...) and scan the output';

export interface ParseOptions {
  /** false: only the full YAML reader (the reference the fast reader is tested against). */
  fastReader?: boolean;
  /** Attach the line of every field (field-lines.ts) to each object that is a document of its own. */
  fieldLines?: boolean;
}

/** Parses one input's text. `source` names it in locations and errors (a path, "stdin", a URL). */
export function parseDocuments(text: string, source: string, options: ParseOptions = {}): ParsedDocuments {
  const fastReader = options.fastReader ?? true;
  const fieldLines = options.fieldLines ?? false;
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
      const items = isObject(json.value) && Array.isArray(json.value.items) ? json.value.items.length : 0;
      addValue(json.value, source, () => 1, out, items > 0 ? jsonListLines(text, items) : []);
      return out;
    }
    // Small inputs go on to the YAML parser (JSON is YAML), whose errors carry lines.
    if (text.length > MAX_YAML_CHARS) {
      out.errors.push({ source, ...json.error });
      return out;
    }
  }
  if (text.length > MAX_YAML_CHARS) {
    // Whole, the fast reader is quicker and smaller than item by item (150 MB: 6 s, 670 MB RSS).
    const fast: FastRead = fastReader && !HELM_MARKER.test(text) ? readFast(text, { fieldLines }) : { ok: false, reason: 'is not read by the fast reader' };
    if (fast.ok) {
      addFastDocuments(fast.documents, source, out);
      return out;
    }
    const list = splitYamlList(text);
    if (list) {
      // A `kubectl get -o yaml` dump: its items are parsed one at a time, in bounded memory.
      for (const item of list.items) parseYaml(item.text, source, out, fastReader, { baseLine: item.line - 1, ...list.defaults });
      return out;
    }
    const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
    out.errors.push({ source, ...(fast.line ? { line: fast.line } : {}), message: `YAML input of ${mb(text.length)} ${fast.reason}; only the full YAML reader takes that, and the input is over its ${mb(MAX_YAML_CHARS)} limit for YAML other than a kubectl List dump; export it as JSON instead (kubectl get ... -o json), which has no size limit` });
    return out;
  }
  parseYaml(text, source, out, fastReader, undefined, fieldLines);
  return out;
}

/**
 * js-yaml's core schema differs from the `yaml` library's (YAML 1.2 core, which we keep): it
 * reads `0b101` and `1_000` as numbers. These types are the `yaml` library's, so both readers
 * give the same values (`yes`, `on`, `017`, timestamps stay as they are now).
 */
const YAML_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s), construct: () => null }),
    new Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s), construct: (s: string) => s[0] === 't' || s[0] === 'T' }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/.test(s),
      construct: (s: string) => (/nan$/i.test(s) ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    }),
  ],
});

/**
 * Keys the two readers turn into different strings: a null key (`~:`) is "" for `yaml` and
 * "null" for js-yaml, and collections as keys (`? [a, b]`) become "a,b" or "[object Object]".
 * A mapping with such a key (or a real key of that spelling) sends the text to the full reader.
 */
function hasUnportableKey(mapping: Record<string, unknown>): boolean {
  for (const key in mapping) if (key === 'null' || key === '[object Object]' || key.includes(',')) return true;
  return false;
}

/** Thrown from the listener to hand a text to the full reader; `reason` completes "YAML input of N MB ...". */
class FastPathDeclined extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Put in place of js-yaml's anchor table: defining an anchor declines the text. js-yaml shares
 * aliased nodes by reference, so an alias bomb would parse cheaply and explode when traversed;
 * the full reader expands aliases under a limit instead.
 */
const NO_ANCHORS: Record<string, unknown> = new Proxy(Object.create(null) as Record<string, unknown>, {
  set: () => {
    throw new FastPathDeclined('uses anchors or aliases');
  },
});

interface FastDocument {
  value: unknown;
  line: number;
  /** Lines of the elements of a top-level `items` sequence. */
  itemLines: number[];
  /** With the fieldLines option: the line of every field, by path ("rules[3].verbs[0]"). */
  fields?: Map<string, number>;
}

type FastRead = { ok: true; documents: FastDocument[] } | { ok: false; reason: string; line?: number };

/** A node read by the fast reader: where it opens, its value, and the nodes opened inside it. */
interface NodeLines {
  line: number;
  kind: string | null;
  result: unknown;
  children: NodeLines[];
}

/**
 * Records the line of every key and list element under a node of the fast reader, by field
 * path, like collectFieldLines. A mapping's children are its keys, each followed by its value
 * unless empty (js-yaml also opens empty nodes while looking for keys); a sequence's are its
 * elements. False when the children do not match the value that way.
 */
function collectFastFieldLines(node: NodeLines, path: string, out: Map<string, number>): boolean {
  const { children, result } = node;
  // js-yaml reads a flow collection where a block mapping could start (`- {}`) one level down.
  if (children.length === 1 && typeof result === 'object' && result !== null && children[0]!.result === result) return collectFastFieldLines(children[0]!, path, out);
  if (node.kind === 'mapping' && isObject(result)) {
    for (let i = 0; i < children.length; i++) {
      const keyNode = children[i]!;
      if (keyNode.result === null) continue;
      const key = String(keyNode.result);
      if (!Object.hasOwn(result, key)) return false;
      const childPath = path ? `${path}.${key}` : key;
      out.set(childPath, keyNode.line);
      const valueNode = children[i + 1];
      if (valueNode !== undefined && Object.is(valueNode.result, result[key])) {
        i++;
        if (!collectFastFieldLines(valueNode, childPath, out)) return false;
      }
    }
  } else if (node.kind === 'sequence' && Array.isArray(result)) {
    // An empty element (a bare `-`) opens no node, so its line is unknown.
    if (children.length !== result.length) return false;
    for (let index = 0; index < result.length; index++) {
      const element = children[index]!;
      if (!Object.is(element.result, result[index])) return false;
      const childPath = `${path}[${index}]`;
      out.set(childPath, element.line);
      if (!collectFastFieldLines(element, childPath, out)) return false;
    }
  }
  return true;
}

/**
 * The fast reader: js-yaml, 6-8 times faster than the `yaml` library. Lines come from its
 * listener, called as each node opens (after leading space and comments) and closes: a
 * document's root opens at depth 1, its `items` value at depth 2 and their elements at depth 3
 * (one level deeper in a flow mapping).
 * It declines texts with anchors or unportable keys, and any text js-yaml rejects, so that the
 * full reader gives its exact errors, recovery per document and alias limit.
 */
export function readFast(text: string, options: { fieldLines?: boolean } = {}): FastRead {
  const rootLines: number[] = [];
  // Lines of the elements of the current document's sequences at depth 2 (`items:` of a block
  // mapping) and 3 (a flow mapping at the root sits one level down, like `- {}`).
  const sequenceLines = new Map<unknown, number[]>();
  const itemLines: (number[] | undefined)[] = [];
  const childLines: number[][] = [[], [], [], []]; // by the depth of their parent
  const documentFields: Map<string, number>[] = [];
  const open: NodeLines[] = [];
  const trackFields = (event: 'open' | 'close', state: JsYamlState) => {
    if (event === 'open') {
      open.push({ line: state.line + 1, kind: null, result: undefined, children: [] });
      return;
    }
    const node = open.pop()!;
    node.kind = (state as JsYamlState & { kind: string | null }).kind;
    node.result = state.result;
    if (open.length > 0) {
      open[open.length - 1]!.children.push(node);
      return;
    }
    const fields = new Map<string, number>();
    // Unmatched (duplicate keys, say): the full reader knows every field's line.
    if (!collectFastFieldLines(node, '', fields)) throw new FastPathDeclined('has fields whose lines the fast reader cannot tell');
    documentFields.push(fields);
  };
  const listener = (event: 'open' | 'close', state: JsYamlState) => {
    if (options.fieldLines) trackFields(event, state);
    const depth = (state as JsYamlState & { depth: number }).depth;
    if (event === 'open') {
      if (depth === 3 || depth === 4) childLines[depth - 1]!.push(state.line + 1);
      if (depth === 2 || depth === 3) childLines[depth] = [];
      else if (depth === 1) {
        // `%YAML 1.1` makes the full reader read `yes` as true; js-yaml would not.
        if ((state as JsYamlState & { version: string | null }).version !== null) throw new FastPathDeclined('has a %YAML directive');
        rootLines.push(state.line + 1);
        sequenceLines.clear();
        // js-yaml stores each document's anchors here (reset per document): refuse any.
        (state as JsYamlState & { anchorMap: unknown }).anchorMap = NO_ANCHORS;
      }
    } else if (state.kind === 'mapping' && hasUnportableKey(state.result as Record<string, unknown>)) {
      throw new FastPathDeclined('has null or collection keys');
    } else if ((depth === 2 || depth === 3) && Array.isArray(state.result)) {
      sequenceLines.set(state.result, childLines[depth]!);
    } else if (depth === 1) {
      const root = state.result as unknown;
      itemLines.push(isObject(root) && Array.isArray(root.items) ? sequenceLines.get(root.items) : undefined);
    }
  };
  let values: unknown[];
  try {
    // json: a duplicate key overrides (the full reader's uniqueKeys: false) rather than failing.
    values = loadAll(text, undefined, { schema: YAML_CORE_SCHEMA, json: true, listener });
  } catch (e) {
    if (e instanceof FastPathDeclined) return { ok: false, reason: e.reason };
    // An alias to an anchor never defined.
    if (e instanceof YAMLException && /alias/.test(e.reason)) return { ok: false, reason: 'uses anchors or aliases' };
    if (e instanceof YAMLException) return { ok: false, reason: `is invalid YAML (${e.reason.replace(/\s*["'<!].*$/s, '')})`, line: e.mark.line + 1 };
    if (e instanceof RangeError) return { ok: false, reason: 'is nested too deeply to read (thousands of levels)' };
    return { ok: false, reason: 'could not be read' };
  }
  if (values.length !== rootLines.length) return { ok: false, reason: 'could not be read (documents and lines disagree)' };
  return { ok: true, documents: values.map((value, i) => ({ value, line: rootLines[i]!, itemLines: itemLines[i] ?? [], ...(documentFields[i] ? { fields: documentFields[i] } : {}) })) };
}

function addFastDocuments(documents: FastDocument[], source: string, out: ParsedDocuments, item?: ListItemContext): void {
  const base = item?.baseLine ?? 0;
  for (const doc of documents) {
    if (item && isObject(doc.value)) {
      doc.value.kind ??= item.kind;
      doc.value.apiVersion ??= item.apiVersion;
    }
    const before = out.items.length;
    addValue(doc.value, source, () => doc.line + base, out, base === 0 ? doc.itemLines : doc.itemLines.map((l) => l + base));
    // Field lines are relative to the document: attached when it is one object (configs are).
    if (doc.fields && base === 0 && out.items.length === before + 1 && out.items[before]!.object === doc.value) attachFieldLines(doc.value as object, doc.fields);
  }
}

export function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: { line?: number; message: string } } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const { offset, reason } = jsonError(e instanceof Error ? e.message : String(e), text);
    const line = offset === undefined ? undefined : lineAt(text, offset);
    return { ok: false, error: { ...(line ? { line } : {}), message: `invalid JSON: ${reason}` } };
  }
}

/**
 * The offset and reason of a JSON.parse error, without V8's excerpt of the input (it may be a
 * secret): `Unexpected token 'M', "...en": MKBIG..." is not valid JSON` has no position, so the
 * excerpt is found in the text (V8 quotes 10 characters either side of the error).
 */
function jsonError(message: string, text: string): { offset?: number; reason: string } {
  const position = /at position (\d+)/.exec(message);
  if (position) return { offset: Number(position[1]), reason: message.replace(/ (in JSON )?at position \d+.*$/s, '').replace(/, ".*$/s, '') };
  const excerpt = /^Unexpected token .*?, (\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (excerpt) {
    const at = text.indexOf(excerpt[2]!);
    return { ...(at >= 0 ? { offset: at + (excerpt[1] ? 10 : 0) } : {}), reason: 'unexpected token' };
  }
  if (/^Unexpected end of JSON input/.test(message)) return { offset: text.length, reason: 'unexpected end of input' };
  return { reason: /^Unexpected token/.test(message) ? 'unexpected token' : message.replace(/, .*$/s, '') };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) line++;
  return line;
}

/** How to read one item cut out of a YAML List: where it starts, and the List's item defaults. */
interface ListItemContext {
  baseLine: number;
  kind?: string;
  apiVersion?: string;
}

function parseYaml(text: string, source: string, out: ParsedDocuments, fastReader: boolean, item?: ListItemContext, fieldLines = false): void {
  const helm = HELM_MARKER.test(text);
  // Templates take the full reader, whose nodes tell where each template expression sits.
  const fast = helm || !fastReader ? undefined : readFast(text, { fieldLines });
  if (fast?.ok) {
    addFastDocuments(fast.documents, source, out, item);
    return;
  }
  const lineCounter = new (yamlLibrary().LineCounter)();
  // logLevel "error": the library's warnings would go to stderr; what matters becomes an InputError.
  const docs = yamlLibrary().parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + (item?.baseLine ?? 0);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0]!;
      // In a template, the first template expression is the cause, wherever YAML stumbled.
      const template = helm ? text.slice(doc.range[0], doc.range[2]).search(HELM_MARKER) : -1;
      if (template >= 0) out.errors.push({ source, line: lineOf(doc.range[0] + template), message: HELM_HINT });
      else out.errors.push({ source, line: lineOf(err.pos[0]), message: `invalid YAML: ${yamlReason(err.code)} (column ${lineCounter.linePos(err.pos[0]).col})` });
      continue;
    }
    const templated = helm ? templateLine(doc, text) : undefined;
    if (templated !== undefined) {
      out.errors.push({ source, line: lineOf(templated), message: HELM_HINT });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // The library's message may quote the input (an alias name): only our own words are used.
      const message = e instanceof Error ? e.message : '';
      const unresolved = /^Unresolved alias/.test(message) ? unresolvedAlias(doc) : undefined;
      const offset = unresolved ?? doc.contents?.range?.[0];
      out.errors.push({
        source,
        line: offset === undefined ? 1 + (item?.baseLine ?? 0) : lineOf(offset),
        message: unresolved !== undefined ? 'invalid YAML: alias to an anchor not defined before it; document not read'
          : /alias count/.test(message) ? `YAML aliases expand beyond ${MAX_ALIAS_COUNT} nodes (alias bomb?); document not read`
          : e instanceof RangeError ? NESTED_TOO_DEEPLY
          : 'invalid YAML: document could not be read',
      });
      continue;
    }
    const contents = doc.contents as YamlNode | null;
    const docLine = contents?.range ? lineOf(contents.range[0]) : 1;
    if (helm && typeof value === 'string' && HELM_MARKER.test(value)) {
      out.errors.push({ source, line: docLine, message: HELM_HINT });
      continue;
    }
    const itemLines: number[] = [];
    if (yamlLibrary().isMap(contents)) {
      const items = contents.get('items', true);
      if (yamlLibrary().isSeq(items)) {
        for (const node of items.items) {
          const range = (node as { range?: [number, number, number] } | null)?.range;
          itemLines.push(range ? lineOf(range[0]) : docLine);
        }
      }
    }
    if (item && isObject(value)) {
      value.kind ??= item.kind;
      value.apiVersion ??= item.apiVersion;
    }
    const before = out.items.length;
    addValue(value, source, () => docLine, out, itemLines);
    if (fieldLines && !item && out.items.length === before + 1 && out.items[before]!.object === value) {
      const lines = new Map<string, number>();
      collectFieldLines(contents, '', lineCounter, lines);
      attachFieldLines(value as object, lines);
    }
  }
}

const NESTED_TOO_DEEPLY = 'invalid YAML: nested too deeply to read (thousands of levels); document not read';

/** Offset of the first alias whose anchor is not defined before it. */
function unresolvedAlias(doc: Document.Parsed): number | undefined {
  let offset: number | undefined;
  yamlLibrary().visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      offset = node.range?.[0];
      return yamlLibrary().visit.BREAK;
    },
  });
  return offset;
}

/** The `yaml` library's error codes in words: its messages may quote the input (a tag, an escape). */
const YAML_REASONS: Record<string, string> = {
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'a tab used as indentation',
  UNEXPECTED_TOKEN: 'unexpected token',
  MISSING_CHAR: 'missing character (a comma, colon, quote or closing bracket)',
  BAD_SCALAR_START: 'a plain value starts with a reserved character',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection used as a key',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
  KEY_OVER_1024_CHARS: 'a key over 1024 characters',
  DUPLICATE_KEY: 'duplicate key',
  TAG_RESOLVE_FAILED: 'unknown tag',
  BAD_ALIAS: 'bad alias',
  RESOURCE_EXHAUSTION: 'nested too deeply or too large to read',
};

function yamlReason(code: string): string {
  return YAML_REASONS[code] ?? code.toLowerCase().replaceAll('_', ' ');
}

/** Records the line of every key and list element under a node of the full reader, by field path. */
export function collectFieldLines(node: unknown, path: string, lineCounter: LineCounter, out: Map<string, number>): void {
  if (yamlLibrary().isMap(node)) {
    for (const pair of node.items) {
      if (!yamlLibrary().isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const childPath = path ? `${path}.${key}` : key;
      if (pair.key.range) out.set(childPath, lineCounter.linePos(pair.key.range[0]).line);
      collectFieldLines(pair.value, childPath, lineCounter, out);
    }
  } else if (yamlLibrary().isSeq(node)) {
    node.items.forEach((child, index) => {
      const childPath = `${path}[${index}]`;
      const range = (child as { range?: [number, number, number] } | null)?.range;
      if (range) out.set(childPath, lineCounter.linePos(range[0]).line);
      collectFieldLines(child, childPath, lineCounter, out);
    });
  }
}

/**
 * Cuts a YAML List as kubectl prints it (`items:` at column 0, each item a `- ` line followed by
 * lines indented two spaces more) into its items, each de-indented, with its first line.
 * Anything else (several documents, comments or flow style at the top level) gives undefined.
 */
export function splitYamlList(text: string): { items: { text: string; line: number }[]; defaults: { kind?: string; apiVersion?: string } } | undefined {
  const items: { text: string; line: number }[] = [];
  const header: string[] = [];
  let inItems = false;
  let itemsSeen = false;
  let pad = ''; // indentation of the items' "- " (kubectl: none)
  let start = -1; // offset of the current item's "- "
  let startLine = 0;
  let line = 0;
  const close = (end: number) => {
    if (start >= 0) items.push({ text: text.slice(start + pad.length + 2, end).split(`\n${pad}  `).join('\n'), line: startLine });
    start = -1;
  };
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    line++;
    const c = text.charCodeAt(at);
    const blank = end === at || (end === at + 1 && c === 13);
    if (inItems && start < 0 && !blank && items.length === 0) {
      pad = /^ */.exec(text.slice(at, Math.min(end, at + 32)))![0];
    }
    if (inItems && text.startsWith(`${pad}- `, at)) {
      close(at);
      start = at;
      startLine = line;
    } else if (inItems && (blank || text.startsWith(`${pad}  `, at))) {
      if (start < 0 && !blank) return undefined;
    } else if (blank) {
      // blank line outside the items
    } else if (!inItems && c === 32) {
      header.push(text.slice(at, end));
    } else if (/^[A-Za-z_][\w.-]*:/.test(text.slice(at, Math.min(end, at + 64)))) {
      close(at);
      inItems = /^items:\r?$/.test(text.slice(at, end));
      if (inItems && itemsSeen) return undefined;
      itemsSeen ||= inItems;
      if (!inItems) header.push(text.slice(at, end));
    } else {
      return undefined;
    }
    at = end + 1;
  }
  close(text.length);
  if (!itemsSeen) return undefined;
  let meta: unknown;
  try {
    meta = yamlLibrary().parse(header.join('\n'), { logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (!isObject(meta) || typeof meta.kind !== 'string' || !meta.kind.endsWith('List')) return undefined;
  const kind = meta.kind === 'List' ? undefined : meta.kind.slice(0, -'List'.length);
  return { items, defaults: { ...(kind ? { kind } : {}), ...(typeof meta.apiVersion === 'string' ? { apiVersion: meta.apiVersion } : {}) } };
}

/**
 * Offset of the first template expression that YAML read as structure or as a plain scalar
 * (`name: {{ .Values.name }}` parses as a flow mapping). Quoted and block scalars are data: a
 * ConfigMap may carry Go templates for the application it configures.
 */
function templateLine(doc: Document.Parsed, text: string): number | undefined {
  let offset: number | undefined;
  yamlLibrary().visit(doc, (_key, node) => {
    const range = (node as { range?: [number, number, number] }).range;
    if (!range) return undefined;
    const templated = yamlLibrary().isCollection(node)
      ? node.flow === true && text.startsWith('{{', range[0])
      : (node as { type?: string }).type === 'PLAIN' && HELM_MARKER.test(text.slice(range[0], range[1]));
    if (!templated) return undefined;
    offset = range[0];
    return yamlLibrary().visit.BREAK;
  });
  return offset;
}

/** Lists inside lists a document may nest (a List of Lists is read); deeper is refused, not recursed into. */
const MAX_LIST_NESTING = 8;

/** Adds one parsed document: an object, a List of objects, or something that is not Kubernetes. */
function addValue(value: unknown, source: string, lineOfDoc: () => number, out: ParsedDocuments, itemLines: number[], depth = 0): void {
  if (isSnapshotDocument(value)) {
    out.snapshot = value;
    return;
  }
  if (!isObject(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
    if (Array.isArray(value) || (isObject(value) && Array.isArray(value.items) && typeof value.kind !== 'string')) {
      // A bare JSON array or an untyped list: treat each element as a document.
      if (depth >= MAX_LIST_NESTING) {
        out.errors.push({ source, line: lineOfDoc(), message: `lists nested more than ${MAX_LIST_NESTING} deep; not read` });
        return;
      }
      const list = Array.isArray(value) ? value : (value.items as unknown[]);
      list.forEach((v, i) => addValue(v, source, () => itemLines[i] ?? lineOfDoc(), out, [], depth + 1));
      return;
    }
    if (value !== null && value !== undefined) out.skipped.notKubernetes++;
    return;
  }
  const kind = value.kind as string;
  if (kind.endsWith('List') && Array.isArray(value.items)) {
    // `kubectl get -o yaml` output (kind: List) and typed API lists (PodList), whose items may
    // omit apiVersion and kind.
    if (depth >= MAX_LIST_NESTING) {
      out.errors.push({ source, line: lineOfDoc(), message: `lists nested more than ${MAX_LIST_NESTING} deep; not read` });
      return;
    }
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    (value.items as unknown[]).forEach((raw, i) => {
      if (isObject(raw)) {
        raw.kind ??= itemKind;
        raw.apiVersion ??= value.apiVersion;
      }
      addValue(raw, source, () => itemLines[i] ?? lineOfDoc(), out, [], depth + 1);
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
  out.items.push({ object, ref: refOf(object, location.file), location });
}

/**
 * Line of each element of the top-level "items" array of a JSON text (JSON.parse keeps no
 * positions). Empty when there is no such array. `expected`, the number of items, enables the
 * fast path for pretty-printed JSON.
 */
export function jsonListLines(text: string, expected?: number): number[] {
  if (expected !== undefined) {
    const fast = prettyListLines(text, expected);
    if (fast) return fast;
  }
  return scanListLines(text);
}

/**
 * Pretty-printed JSON (kubectl, jq, JSON.stringify with an indent) puts every item of the list
 * on a line holding only its indentation and "{", and no deeper or shallower line holds exactly
 * that (JSON strings cannot contain raw newlines). Native indexOf finds those lines far faster
 * than a character loop; the count must match the parsed items, else undefined.
 */
function prettyListLines(text: string, expected: number): number[] | undefined {
  const first = /^\s*\{\s*(?:"[^"]*"\s*:\s*"[^"]*"\s*,\s*)*"items"\s*:\s*\[[ \t]*\r?\n([ \t]*)\{/.exec(text);
  if (!first) return undefined;
  const indent = first[1]!;
  const lines: number[] = [];
  let line = 1;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    line++;
    if (text.charCodeAt(nl + 1 + indent.length) === 123 /* { */ && text.startsWith(indent, nl + 1)) lines.push(line);
  }
  return lines.length === expected ? lines : undefined;
}

/** The general case: one pass over the characters, tracking strings and depth. */
function scanListLines(text: string): number[] {
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
