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
