// Hostile-input harness: runs the real CLI (kubeward() in cli.ts) under a wall-time and a memory
// bound, and asserts that marker strings planted in the input (a token, a key) appear nowhere in
// stdout, stderr or any file the run wrote.
//
// Wall time is enforced: the CLI is killed (SIGKILL) at LIMITS.wallMs and the run fails.
// Memory is measured and bounded: a probe preloaded into the CLI's node process (NODE_OPTIONS
// --import of rss-probe.ts, which loads nothing else) writes the process's peak resident set size
// (getrusage ru_maxrss) to a file on exit, and the run fails when it is above
// LIMITS.rssBytes or missing (the process crashed or was killed). The V8 heap is also capped at the
// same size so a runaway allocation aborts quickly instead of swapping the shared machine. Child
// processes the CLI starts (openssl, etcd) are not counted.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kubeward as kubewardServed } from './apiserver/cli.js';
import { kubeward, type CliResult } from './cli.js';

export const LIMITS = { wallMs: 10_000, rssBytes: 500 * 1024 * 1024 };

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RSS_PROBE = new URL('./rss-probe.js', import.meta.url).href;

export interface BoundedRun extends CliResult {
  wallMs: number;
  peakRssBytes: number;
  /** Files the run wrote: every -o/--output FILE, and every file under `outputDir` (path -> text). */
  written: Record<string, string>;
}

export interface BoundedOptions {
  cwd?: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** A folder whose files after the run count as written by it (e.g. a snapshot's target). */
  outputDir?: string;
}

/** Runs kubeward (kubeward() of cli.ts) within LIMITS; fails the test when a bound is exceeded. */
export function runBounded(args: string[], options: BoundedOptions = {}): BoundedRun {
  const probe = rssProbe(options);
  try {
    const started = performance.now();
    const result = kubeward(args, { ...options, env: probe.env, timeoutMs: LIMITS.wallMs });
    return bounded(args, result, performance.now() - started, probe.file, options);
  } finally {
    probe.remove();
  }
}

/**
 * runBounded for a test that serves what the CLI talks to (the test API server) in its own
 * process: the CLI runs without blocking the event loop (apiserver/cli.ts).
 */
export async function runBoundedServed(args: string[], options: Pick<BoundedOptions, 'env' | 'outputDir'> = {}): Promise<BoundedRun> {
  const probe = rssProbe(options);
  try {
    const started = performance.now();
    const r = await kubewardServed(args, probe.env as Record<string, string>, { timeoutMs: LIMITS.wallMs });
    return bounded(args, { status: r.code, stdout: r.stdout, stderr: r.stderr }, performance.now() - started, probe.file, options);
  } finally {
    probe.remove();
  }
}

function rssProbe(options: BoundedOptions): { env: NodeJS.ProcessEnv; file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-rss-'));
  const file = join(dir, 'rss');
  const env = {
    ...options.env,
    KUBEWARD_RSS_FILE: file,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${RSS_PROBE} --max-old-space-size=${LIMITS.rssBytes / 1024 / 1024}`.trim(),
  };
  return { env, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function bounded(args: string[], result: CliResult, wallMs: number, rssFile: string, options: BoundedOptions): BoundedRun {
  const command = `kubeward ${args.join(' ')}`;
  assert.ok(wallMs < LIMITS.wallMs, `${command} took ${Math.round(wallMs)} ms (killed at ${LIMITS.wallMs})`);
  assert.ok(existsSync(rssFile), `${command} ended without its exit handler (exit ${result.status}, crashed or killed)\n${result.stderr.slice(0, 2000)}`);
  const peakRssBytes = Number(readFileSync(rssFile, 'utf8'));
  assert.ok(peakRssBytes <= LIMITS.rssBytes, `${command} peaked at ${Math.round(peakRssBytes / 1024 / 1024)} MB resident`);
  // Hostile input is an input error, never a crash (exit 2 alone cannot tell them apart).
  assert.doesNotMatch(result.stderr, /internal error/, `${command} crashed`);
  return { ...result, wallMs, peakRssBytes, written: writtenFiles(args, options) };
}

function writtenFiles(args: string[], options: BoundedOptions): Record<string, string> {
  const paths: string[] = [];
  args.forEach((arg, i) => {
    if ((arg === '-o' || arg === '--output') && args[i + 1]) paths.push(args[i + 1]!);
    else if (arg.startsWith('--output=')) paths.push(arg.slice('--output='.length));
  });
  const files = paths.map((p) => resolve(options.cwd ?? process.cwd(), p)).filter((p) => existsSync(p)).flatMap((p) => (statSync(p).isDirectory() ? walk(p) : [p]));
  if (options.outputDir) files.push(...walk(options.outputDir));
  return Object.fromEntries(files.map((f) => [f, readFileSync(f, 'utf8')]));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Fails when any marker appears in stdout, stderr or a written file, naming where. */
export function assertNoMarkers(run: BoundedRun, markers: readonly string[]): void {
  const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr, ...run.written };
  for (const [where, text] of Object.entries(outputs)) {
    for (const marker of markers) {
      const at = text.indexOf(marker);
      assert.ok(at < 0, `marker ${marker} leaked into ${where}: ...${text.slice(Math.max(0, at - 200), at + marker.length + 50)}`);
    }
  }
}

/** runBounded + assertNoMarkers. */
export function hostileRun(args: string[], markers: readonly string[], options: BoundedOptions = {}): BoundedRun {
  const run = runBounded(args, options);
  assertNoMarkers(run, markers);
  return run;
}

/** runBoundedServed + assertNoMarkers. */
export async function hostileRunServed(args: string[], markers: readonly string[], options: Pick<BoundedOptions, 'env' | 'outputDir'> = {}): Promise<BoundedRun> {
  const run = await runBoundedServed(args, options);
  assertNoMarkers(run, markers);
  return run;
}

/**
 * Runs one case in every report format (`--format F` appended to args), each bounded and checked
 * for markers; the report goes to stdout. Returns the runs by format (JSON-parse `json` to inspect).
 */
export function inEveryFormat(args: string[], markers: readonly string[], options: BoundedOptions = {}): Record<ReportFormat, BoundedRun> {
  return Object.fromEntries(REPORT_FORMATS.map((format) => [format, hostileRun([...args, '--format', format], markers, options)])) as Record<ReportFormat, BoundedRun>;
}

/** inEveryFormat with hostileRunServed, one format after the other. */
export async function inEveryFormatServed(args: string[], markers: readonly string[], options: Pick<BoundedOptions, 'env' | 'outputDir'> = {}): Promise<Record<ReportFormat, BoundedRun>> {
  const runs: Partial<Record<ReportFormat, BoundedRun>> = {};
  for (const format of REPORT_FORMATS) runs[format] = await hostileRunServed([...args, '--format', format], markers, options);
  return runs as Record<ReportFormat, BoundedRun>;
}
