// Runs the real CLI (node bin/kubeward.js) in a child process, for end-to-end tests.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './index.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs kubeward with args; never a stack trace on stderr, whatever the outcome. */
export function kubeward(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: undefined, KUBEWARD_DEBUG: undefined, ...options.env },
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const }),
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    assert.fail(`kubeward ${args.join(' ')} did not finish within ${options.timeoutMs} ms (killed)`);
  }
  if (result.error) throw result.error;
  assert.doesNotMatch(result.stderr, /^\s{4}at /m, `stack trace on stderr:\n${result.stderr}`);
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Writes files (path -> content) under a folder, creating folders; `mode` sets each file's permission bits. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>, mode?: number): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (mode !== undefined) chmodSync(file, mode);
  }
}

/** A temporary directory with the given files (path -> content); removed by the returned cleanup. */
export function tempTree(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-test-'));
  writeFiles(dir, files);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `body` on a temporary directory holding the files; removed afterwards. */
export async function withTempTree<T>(files: Record<string, string | Buffer>, body: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = tempTree(files);
  try {
    return await body(dir);
  } finally {
    cleanup();
  }
}

/** Runs `body` on input.yaml, holding `yaml`, in a temporary directory; removed afterwards. */
export function withInputFile<T>(yaml: string, body: (file: string, dir: string) => Promise<T>): Promise<T> {
  return withTempTree({ 'input.yaml': yaml }, (dir) => body(join(dir, 'input.yaml'), dir));
}

/** A namespace with a workload and no ResourceQuota: a medium failure of a known check. */
export const SHOP_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27.1
`;
