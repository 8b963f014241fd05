// Message formatting exactly as the upstream controller writes it (policy/helpers.go,
// policy/checks.go, admission/admission.go).

import type { CheckViolation, Level, PolicyVersion } from './types.js';

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `"a", "b"`: upstream's joinQuote (no escaping inside the quotes). */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/** Sorted unique strings, as sets.String.List() returns them (byte order for ASCII). */
export function sortedUnique(items: readonly string[]): string[] {
  if (items.length < 2) return items.slice();
  return [...new Set(items)].sort(compareStrings);
}

/**
 * Go's string order: UTF-8 bytes, which is code point order. UTF-16 code units differ from it only
 * where a surrogate meets U+E000..U+FFFF, so those two ranges swap places before comparing.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const GO_ESCAPES: Record<string, string> = {
  '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u000b': '\\v', '"': '\\"', '\\': '\\\\',
};

/** Printable as Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's %q (strconv.Quote) for the strings a pod carries. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const escaped = GO_ESCAPES[ch];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code < 0x80 ? code >= 0x20 && code !== 0x7f : PRINTABLE.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

export function formatVersion(version: PolicyVersion): string {
  return version.latest ? 'latest' : `v1.${version.minor}`;
}

/** "restricted:v1.30", as api.LevelVersion.String() prints it. */
export function formatLevelVersion(level: Level, version: PolicyVersion): string {
  return `${level}:${formatVersion(version)}`;
}

/** `reason (detail), reason, ...`: AggregateCheckResult.ForbiddenDetail(). */
export function forbiddenDetail(violations: readonly CheckViolation[]): string {
  let out = '';
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i]!;
    out += v.reason || 'unknown forbidden reason';
    if (v.detail !== '') out += ` (${v.detail})`;
    if (i !== violations.length - 1) out += ', ';
  }
  return out;
}

/** `reason, reason`: AggregateCheckResult.ForbiddenReason(), used for namespace-wide warnings. */
export function forbiddenReason(violations: readonly CheckViolation[]): string {
  return violations.map((v) => v.reason || 'unknown forbidden reason').join(', ');
}

/** The denial kube-apiserver returns: `violates PodSecurity "restricted:v1.30": ...`. */
export function denialMessage(level: Level, version: PolicyVersion, violations: readonly CheckViolation[]): string {
  return `violates PodSecurity ${goQuote(formatLevelVersion(level, version))}: ${forbiddenDetail(violations)}`;
}
