// Start-up: `kubeward --version` and `kubeward explain ID` (one check, one section) against
// `node -e 0`, each a whole process, measured in interleaved rounds so that a noisy moment of the
// machine weighs on all of them alike. Target (issue 10): each at most 2x `node -e 0`.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from '../src/testing/index.js';

const ROUNDS = 30;
const BIN = join(REPO_ROOT, 'bin/kubeward.js');

const COMMANDS: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['kubeward --version', [BIN, '--version']],
  ['kubeward explain CHECK', [BIN, 'explain', 'pod-violates-baseline-pod-security']],
  ['kubeward explain SECTION', [BIN, 'explain', 'network-access']],
  ['kubeward --help', [BIN, '--help']],
];

function timeOnce(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(): Promise<void> {
  const samples = COMMANDS.map(() => [] as number[]);
  for (const [, args] of COMMANDS) timeOnce(args); // warm the file cache
  for (let round = 0; round < ROUNDS; round++) {
    COMMANDS.forEach(([, args], i) => samples[i]!.push(timeOnce(args)));
  }
  const base = median(samples[0]!);
  for (const [i, [name]] of COMMANDS.entries()) {
    const ms = median(samples[i]!);
    const ratio = i === 0 ? '' : `  ${(ms / base).toFixed(2)}x node -e 0${name.includes('help') ? '' : ' (target <= 2x)'}`;
    process.stdout.write(`startup: ${name.padEnd(26)} median ${ms.toFixed(1).padStart(6)} ms of ${ROUNDS}${ratio}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
