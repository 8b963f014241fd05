// Unified diffs of planned changes, as `git diff` prints them. Lines are matched greedily with a
// bounded look-ahead that re-synchronises on runs of equal lines: fixes change a few short
// stretches of a file, and this stays linear on a 150 MB cluster dump where a full LCS could not.

import { kubectlDelete } from './bundle.js';
import type { FileChange } from './run.js';

const GENERATED_KEY = '<generated 32-byte key>';

const CONTEXT = 3;
const LOOK_AHEAD = 400;
const SYNC_RUN = 3;

type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

export function unifiedDiff(change: FileChange): string {
  const name = change.file.replace(/^\/+/, '');
  if (change.action === 'chmod') {
    return `diff --git a/${name} b/${name}\nold mode 100${octal(change.mode!.from)}\nnew mode 100${octal(change.mode!.to)}\n`;
  }
  // An object of a live cluster: the command the bundle runs, not a text.
  if (change.action === 'delete') return change.removed!.map((ref) => `# ${kubectlDelete(ref)}\n`).join('');
  // A file whose new text holds a generated secret shows `display` (the key replaced) instead;
  // private keys, as PEM or base64 of PEM, and the values of Secrets never reach a diff.
  const after = redactSecretData(redactPrivateKeys(change.display ?? change.after ?? ''));
  const before = redactSecretData(redactPrivateKeys(change.before ?? ''));
  const header = change.action === 'add'
    ? `diff --git a/${name} b/${name}\nnew file mode 100644\n--- /dev/null\n+++ b/${name}\n`
    : `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n`;
  return header + hunks(lines(before), lines(after));
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function align(a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const equalRun = (x: number, y: number) => {
    for (let k = 0; k < SYNC_RUN; k++) {
      if (x + k >= a.length || y + k >= b.length) return x + k >= a.length && y + k >= b.length;
      if (a[x + k] !== b[y + k]) return false;
    }
    return true;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
      continue;
    }
    // The nearest point (fewest lines skipped on both sides) where both texts agree again.
    let found: [number, number] | undefined;
    for (let d = 1; d <= LOOK_AHEAD * 2 && !found; d++) {
      for (let da = 0; da <= d; da++) {
        const db = d - da;
        if (i + da > a.length || j + db > b.length) continue;
        if (equalRun(i + da, j + db)) {
          found = [i + da, j + db];
          break;
        }
      }
    }
    const [ni, nj] = found ?? [a.length, b.length];
    // Between the two points, the shortest edit (an LCS of a region the look-ahead bounds).
    for (const op of region(a, b, i, ni, j, nj)) ops.push(op);
    i = ni;
    j = nj;
  }
  return ops;
}

function region(a: string[], b: string[], i0: number, i1: number, j0: number, j1: number): Op[] {
  const n = i1 - i0;
  const m = j1 - j0;
  if (n * m > 4_000_000) {
    // Too large to align (a file rewritten whole): all out, then all in.
    return [...a.slice(i0, i1).map((text, k) => ({ kind: '-' as const, text, oldLine: i0 + k + 1, newLine: j0 + 1 })), ...b.slice(j0, j1).map((text, k) => ({ kind: '+' as const, text, oldLine: i1 + 1, newLine: j0 + k + 1 }))];
  }
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let x = n - 1; x >= 0; x--) for (let y = m - 1; y >= 0; y--) lcs[x]![y] = a[i0 + x] === b[j0 + y] ? lcs[x + 1]![y + 1]! + 1 : Math.max(lcs[x + 1]![y]!, lcs[x]![y + 1]!);
  const out: Op[] = [];
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && a[i0 + x] === b[j0 + y]) {
      out.push({ kind: ' ', text: a[i0 + x]!, oldLine: i0 + x + 1, newLine: j0 + y + 1 });
      x++;
      y++;
    } else if (x < n && (y === m || lcs[x + 1]![y]! >= lcs[x]![y + 1]!)) {
      out.push({ kind: '-', text: a[i0 + x]!, oldLine: i0 + x + 1, newLine: j0 + y + 1 });
      x++;
    } else {
      out.push({ kind: '+', text: b[j0 + y]!, oldLine: i0 + x + 1, newLine: j0 + y + 1 });
      y++;
    }
  }
  return out;
}

function hunks(a: string[], b: string[]): string {
  const ops = align(a, b);
  const changed = ops.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  let out = '';
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    let end = changed[k]!;
    while (k + 1 < changed.length && changed[k + 1]! - end <= CONTEXT * 2 + 1) end = changed[++k]!;
    end = Math.min(ops.length - 1, end + CONTEXT);
    k++;
    const slice = ops.slice(start, end + 1);
    const oldCount = slice.filter((o) => o.kind !== '+').length;
    const newCount = slice.filter((o) => o.kind !== '-').length;
    const oldStart = oldCount === 0 ? slice[0]!.oldLine - 1 : slice.find((o) => o.kind !== '+')!.oldLine;
    const newStart = newCount === 0 ? slice[0]!.newLine - 1 : slice.find((o) => o.kind !== '-')!.newLine;
    out += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`;
    for (const o of slice) out += `${o.kind}${o.text}\n`;
  }
  return out;
}

const PEM_PRIVATE_KEY = /(-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----)\r?\n[\s\S]*?(-----END \2-----)/g;
/** Base64 of a PEM block ("-----BEGIN"), as kubeconfigs embed keys. */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;

/** Private keys of a text shown as `<redacted>`: PEM blocks (their armour kept), and base64 of PEM private keys. */
export function redactPrivateKeys(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, (block, begin: string, _label: string, end: string) => (/^<generated [^>\n]*>$/m.test(block) ? block : `${begin}\n<redacted>\n${end}`))
    .replace(BASE64_PEM, (b64) => (/PRIVATE KEY-----/.test(Buffer.from(b64, 'base64').toString('latin1')) ? '<redacted>' : b64));
}

/** Values of secret-bearing keys (encryption keys, kubeconfig keys and tokens) never reach output. */
const SECRET_LINE = /^([-+ ]\s*(?:-\s+)?"?(?:secret|client-key-data|token|password)"?\s*:\s*)(?!<generated [^>]*>)\S.*$/gm;

/** The diff with generated keys shown as `<generated 32-byte key>` and every other secret value as `<redacted>`. */
export function redactSecrets(diff: string, generated: readonly string[] = []): string {
  let out = diff;
  for (const secret of generated) out = out.split(secret).join(GENERATED_KEY);
  return out.replace(SECRET_LINE, '$1<redacted>');
}

const DATA_KEY = /^([ \t]*(?:- +)*)("?)(?:data|stringData)\2[ \t]*:[ \t]*(.*)$/;
const SECRET_KIND = /^[ \t]*(?:- +)*"?kind"?[ \t]*:[ \t]*"?Secret"?[ \t]*,?[ \t]*(?:#.*)?$/;

/**
 * The values of every Secret's `data` and `stringData` shown as `<redacted>` (their keys kept), in
 * YAML (documents and List items) and pretty-printed JSON: a line's key column says which object
 * it belongs to, so a `data` key is a Secret's when a `kind: Secret` sits at the same column in the
 * same object (before or after it, as kubectl orders keys).
 */
export function redactSecretData(text: string): string {
  if (!/Secret/.test(text)) return text;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = DATA_KEY.exec(lines[i]!);
    if (!m) continue;
    const column = m[1]!.length;
    if (!isSecretAt(lines, i, column)) continue;
    const value = m[3]!.replace(/[ \t]*#.*$/, '');
    const block = value === '' || value === '{' || /^[|>]/.test(value);
    if (!block || value.endsWith('}')) {
      // A flow map or a scalar on the key's own line.
      if (value !== '' && value !== '{}' && value !== 'null') lines[i] = `${lines[i]!.slice(0, lines[i]!.length - m[3]!.length)}<redacted>`;
      continue;
    }
    // The block: every line deeper than the key (JSON: up to the brace at the key's column).
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (line.trim() === '') continue;
      if (indent <= column) break;
      const pair = /^([ \t]*"?[^":#]+"?[ \t]*:)[ \t]*\S/.exec(line);
      lines[j] = pair ? `${pair[1]} <redacted>` : `${' '.repeat(indent)}<redacted>`;
    }
    i = j - 1;
  }
  return lines.map(redactFlowSecretData).join('\n');
}

const FLOW_SECRET = /"?kind"?[ \t]*:[ \t]*"?Secret\b/;
const FLOW_DATA = /((?:^|[{,\s])"?(?:data|stringData)"?[ \t]*:[ \t]*)\{([^{}]*)\}/g;

/**
 * A line that holds a whole Secret (compact JSON, a YAML flow map): the values of every data map
 * on it as `<redacted>`. The line may hold other objects too (a one-line List); their data maps are
 * redacted as well, since the line cannot tell whose they are.
 */
function redactFlowSecretData(line: string): string {
  if (!FLOW_SECRET.test(line)) return line;
  return line.replace(FLOW_DATA, (_all, key: string, body: string) =>
    `${key}{${body.replace(/("[^"]*"|[^,:\s][^,:]*?)([ \t]*:[ \t]*)("(?:[^"\\]|\\.)*"|[^,}]*)/g, (_p, k: string, colon: string) => `${k}${colon}"<redacted>"`)}}`);
}

/** Whether the object whose key at `column` is on line `at` has `kind: Secret` at that column. */
function isSecretAt(lines: readonly string[], at: number, column: number): boolean {
  const keyColumn = (line: string) => /^[ \t]*(?:- +)*/.exec(line)![0].length;
  const indent = (line: string) => /^[ \t]*/.exec(line)![0].length;
  const sibling = (line: string) => keyColumn(line) === column && SECRET_KIND.test(line);
  for (let j = at - 1; j >= 0; j--) {
    const line = lines[j]!;
    if (line.trim() === '' || /^[ \t]*#/.test(line)) continue;
    if (/^(---|\.\.\.)/.test(line)) break;
    if (indent(line) < column) {
      // The first line of a List item (`- kind: ...`) is in the object; the line before it is not.
      if (sibling(line)) return true;
      break;
    }
    if (sibling(line)) return true;
  }
  for (let j = at + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() === '' || /^[ \t]*#/.test(line)) continue;
    if (indent(line) < column) break;
    if (sibling(line)) return true;
  }
  return false;
}
