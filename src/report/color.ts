// Terminal colours, off when the output is not a terminal or NO_COLOR is set (no-color.org).
import type { Severity } from '../checks/sections.js';

export interface Palette {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
}

const CODES: Record<Severity, string> = { critical: '1;35', high: '31', medium: '33', low: '36', info: '37' };

export function palette(enabled: boolean): Palette {
  const wrap = (code: string, text: string) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    severity: (s, t) => wrap(CODES[s], t),
    bold: (t) => wrap('1', t),
    dim: (t) => wrap('2', t),
    green: (t) => wrap('32', t),
  };
}

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined;
}
