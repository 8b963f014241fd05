// Typed errors. Only the CLI entry point turns them into messages and exit codes.

/** Wrong flags or arguments: exit code 2 with the message and a hint to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An input the command needs could not be read (a file, the cluster, an endpoint): exit code 2. */
export class InputUnavailableError extends Error {
  override name = 'InputUnavailableError';
}

export const EXIT = { ok: 0, findings: 1, incomplete: 2 } as const;

/**
 * An unexpected exception in words that cannot carry input data: its class and the first place
 * in kubeward's code it was thrown from. Its message may quote a value (a token), so it and the
 * stack trace are shown only with KUBEWARD_DEBUG set.
 */
export function describeInternalError(e: unknown): string {
  if (!(e instanceof Error)) return `a thrown ${typeof e}`;
  if (process.env.KUBEWARD_DEBUG) return `${e.name}: ${e.message}\n${e.stack ?? ''}`;
  const frame = /\((?:file:\/\/)?[^()]*?((?:dist\/)?(?:src|bin)\/[^():]+:\d+)(?::\d+)?\)/.exec(e.stack ?? '')?.[1];
  return `${e.constructor.name}${frame ? ` at ${frame}` : ''}`;
}
