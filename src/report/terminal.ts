// Text meant for a terminal or a CI log carries names, messages and paths from untrusted input.
// A control character in them would reach the terminal as a command (set the window title,
// clear the screen, move the cursor, forge a line), so every text printer escapes them here,
// as kubectl does (cli-runtime printers.EscapeTerminal: ESC as "^[", CR as "\r"), and further:
// every C0 and C1 control, DEL, and the bidirectional controls that reorder what is shown
// (CVE-2021-42574). Escapes are for people to read; they are not meant to be reversed.

// C0 (but not space), DEL, C1; ALM, LRM, RLM; bidi embeddings and overrides; bidi isolates;
// the Unicode line and paragraph separators, which some terminals and viewers break lines at.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '^[' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  // Caret notation for the rest of C0 and DEL (BEL is ^G), as terminals echo them.
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One value (a name, a message, a path) made safe to print: no character of it controls the terminal. */
export function escapeTerminal(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/** A text output from its lines: each line escaped whole, so a value cannot break or forge one. */
export function terminalLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.map(escapeTerminal).join('\n')}\n`;
}

/**
 * A copy of plain data (a report, a review) with every string escaped, for printers that add
 * their own colour codes and so cannot escape whole lines. Only for JSON-like values.
 */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeTerminal(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTerminal(k), escapeStrings(v)])) as T;
  }
  return value;
}
