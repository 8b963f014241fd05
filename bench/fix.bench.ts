// `kubeward fix` on the 50,000-object dump (bench/generate.ts), side by side with `kubeward scan`
// on the same file, both as processes as a user runs them. fix reads and scans the input, plans
// every fix, applies them in memory and re-scans the result with every check, so it is at least
// a scan and a half; the target (issue 12) is at most 2x the scan. Also measured: --unsafe-fixes
// (more rounds: a namespace is labelled only once its pods are hardened) and --write.
//
//   npm run bench -- fix

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCluster, toJsonList } from './generate.js';

const OBJECTS = 50_000;
const REPEATS = 3;
const KUBEWARD = fileURLToPath(new URL('../../bin/kubeward.js', import.meta.url));

function timed(args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const child = spawnSync(process.execPath, [KUBEWARD, ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`kubeward ${args.join(' ')} exited ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { ms, stdout: child.stdout };
}

/** Best of REPEATS: the machine is shared, the fastest run is the least disturbed. */
function best(run: () => { ms: number; stdout: string }): { ms: number; stdout: string } {
  let result = run();
  for (let i = 1; i < REPEATS; i++) {
    const next = run();
    if (next.ms < result.ms) result = next;
  }
  return result;
}

export async function run(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs`);
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-bench-fix-'));
  try {
    const file = join(dir, 'cluster.json');
    writeFileSync(file, toJsonList(generateCluster({ objects: OBJECTS, seed: 1 })));
    const common = ['--format', 'json', '--fail-on', 'none', '--now', '2026-12-01T00:00:00Z'];
    const scan = best(() => timed(['scan', file, ...common, '-o', '/dev/null']));
    const fix = best(() => timed(['fix', file, ...common]));
    const outcome = JSON.parse(fix.stdout) as { changes: unknown[]; fixed: unknown[]; remaining: unknown[]; introduced: unknown[] };
    const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`${OBJECTS} objects: kubeward scan ${f(scan.ms)}; kubeward fix (dry run, safe) ${f(fix.ms)}; fix / scan = ${(fix.ms / scan.ms).toFixed(2)} (target <= 2)`);
    console.log(`  safe fixes: ${outcome.fixed.length} of ${outcome.fixed.length + outcome.remaining.length} failing findings fixed, ${outcome.introduced.length} introduced, ${outcome.changes.length} files`);
    const unsafe = timed(['fix', file, ...common, '--unsafe-fixes']);
    const u = JSON.parse(unsafe.stdout) as typeof outcome;
    console.log(`  --unsafe-fixes (once): ${f(unsafe.ms)} = ${(unsafe.ms / scan.ms).toFixed(2)} x scan; ${u.fixed.length} fixed, ${u.introduced.length} introduced`);
    const copy = join(dir, 'write', 'cluster.json');
    mkdirSync(join(dir, 'write'));
    copyFileSync(file, copy);
    const write = timed(['fix', copy, ...common, '--write']);
    console.log(`  --write (once): ${f(write.ms)} = ${(write.ms / scan.ms).toFixed(2)} x scan`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
