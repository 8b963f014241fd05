// Runs the kubeward CLI of this very build in a child process, as a user would (bin/kubeward.js
// calls the same main), for end-to-end tests against the test API server.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ENTRY = `const { main } = await import(${JSON.stringify(new URL('../../cli/main.js', import.meta.url).href)}); process.exitCode = await main(process.argv.slice(1));`;

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Resolves with stdout, stderr and the exit code, whatever the code; `timeoutMs`: killed (SIGKILL) after. */
export async function kubeward(args: string[], env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', ENTRY, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 256 * 1024 * 1024,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }),
    });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as CliResult;
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}
