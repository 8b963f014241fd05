// Flag parsing shared by the commands: node:util parseArgs with errors as UsageError.

import { writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputUnavailableError, UsageError } from '../errors.js';
import { describeFsError } from '../sources/files.js';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** Writes command output to --output FILE, or stdout. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (e) {
    throw new InputUnavailableError(`cannot write --output ${output}: ${describeFsError(e)}`);
  }
}
