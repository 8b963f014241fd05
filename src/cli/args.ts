// Flag parsing shared by the commands: node:util parseArgs with errors as UsageError.

import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputUnavailableError, UsageError } from '../errors.js';

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

/** --k8s-version: v1.30, 1.30.2, v1.30.2+k3s1 or -rc.1; anything else is a usage error. */
export function kubeVersionFlag(value: string | undefined): string | undefined {
  if (value !== undefined && !/^v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?$/.test(value)) {
    throw new UsageError(`--k8s-version must be a Kubernetes version such as v1.31 or 1.31.2 (got "${value}")`);
  }
  return value;
}

/** --now: the time dates are judged at (certificate and exception expiry, end of life); default now. */
export function nowFlag(value: string | undefined): Date {
  const now = value ? new Date(value) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now is not a date: ${value}`);
  return now;
}

/** Writes command output to FILE (given by --output, or by the flag named), or stdout. */
export async function emit(text: string | Iterable<string>, output: string | undefined, flag = 'output'): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : batched(text);
  if (!output) {
    for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    return;
  }
  try {
    const file = await open(output, 'w');
    try {
      for (const piece of pieces) await file.write(piece);
    } finally {
      await file.close();
    }
  } catch (e) {
    // Imported here, not above: the file sources are more than a command without inputs loads.
    const { describeFsError } = await import('../sources/files.js');
    throw new InputUnavailableError(`cannot write --${flag} ${output}: ${describeFsError(e)}`);
  }
}

/** Joins small pieces into writes of about a megabyte. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}
