// Whole-scan benchmark on synthetic `kubectl get -A -o json` dumps of 50,000 and 100,000 objects,
// from two generators: ~3 KB objects (pods with status, ReplicaSets, ConfigMaps...) and lean
// ~550-byte objects. Both sides are measured as processes, as a user runs them:
// `kubeward scan FILE --format json -o /dev/null` against a node process that JSON.parses the same
// file, so start-up, module loading, reading and writing the report all count. Also: the time
// ratio between the two sizes, peak RSS against input bytes, where the time goes (in-process
// breakdown), the same input through @monokle/validation, and a scale run (500,000 ConfigMaps in
// one List, and 500,000 lean objects) that must finish with every object read.
//
// Targets (issue 10 §5): scan <= 3x JSON.parse at 50k for both generators; doubling <= 2.2x;
// peak RSS <= 4x input + 150 MB.

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { K8sObject } from '../src/inventory/types.js';
import { formatReport } from '../src/report/index.js';
import type { Report } from '../src/report/types.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { buildInventory, createContext, evaluateCheck, resolveVersion, runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { generateCluster, generateLeanCluster, toJsonList } from './generate.js';

const SIZES = [50_000, 100_000];
const SCALE_OBJECTS = 500_000;
const REPEATS = 3;
const MB = 1024 * 1024;
const GENERATORS: Record<string, (options: { objects: number; seed?: number }) => K8sObject[]> = {
  fat: generateCluster,
  lean: generateLeanCluster,
};
const KUBEWARD = fileURLToPath(new URL('../../bin/kubeward.js', import.meta.url));
const PROBE = new URL('../src/testing/rss-probe.js', import.meta.url).href;

interface Measurement {
  ms: number;
  maxRssBytes: number;
  detail?: string;
}

/** A whole process, with its CPU time (user + system, every thread). */
interface ProcessMeasurement extends Measurement {
  cpuMs: number;
}

/** Runs a node process to its end: wall time as the parent sees it, peak RSS and CPU time as the child reports them. */
function timeProcess(what: string, args: string[], dir: string): ProcessMeasurement {
  const rssFile = join(dir, 'rss');
  const cpuFile = join(dir, 'cpu');
  rmSync(rssFile, { force: true });
  rmSync(cpuFile, { force: true });
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', PROBE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KUBEWARD_RSS_FILE: rssFile, KUBEWARD_CPU_FILE: cpuFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 16 * MB,
  });
  const ms = performance.now() - start;
  // The scan exits 1 when findings reach --fail-on, which it does not here (none); 2 is an incomplete scan.
  if (child.status !== 0) throw new Error(`${what} exited ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { ms, maxRssBytes: Number(readFileSync(rssFile, 'utf8')), cpuMs: Number(readFileSync(cpuFile, 'utf8')) };
}

const parseProcess = (file: string, dir: string) =>
  timeProcess('JSON.parse', ['-e', "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))", file], dir);

const scanProcess = (file: string, dir: string, output = '/dev/null') =>
  timeProcess('kubeward scan', [KUBEWARD, 'scan', file, '--format', 'json', '-o', output, '--fail-on', 'none'], dir);

function best(measure: () => ProcessMeasurement): ProcessMeasurement {
  const runs = Array.from({ length: REPEATS }, measure);
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

type Mode = 'framework' | 'checks' | 'monokle' | 'write';

/** Runs one in-process measurement in a fresh process, so its peak RSS is its own. */
function child(mode: Mode, file: string): Measurement {
  let out: string;
  try {
    out = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', mode, file], {
      encoding: 'utf8',
      maxBuffer: 16 * MB,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    throw new Error(`the ${mode} measurement failed: ${stderr.split('\n').find((l) => /Error/.test(l)) ?? (e as Error).message}`);
  }
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

async function measureInChild(mode: Mode, file: string): Promise<Measurement> {
  switch (mode) {
    case 'framework': {
      // The scan without checks: reading, parsing, indexing and the JSON report alone.
      const start = performance.now();
      const report = runScan(await loadPaths([file]), { checks: [] });
      formatReport(report, 'json', { color: false });
      return { ms: performance.now() - start, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    }
    case 'checks': {
      // Where the check time goes: each check timed on its own over one shared context.
      const load = await loadPaths([file]);
      const inventory = buildInventory(load);
      const ctx = createContext(inventory, resolveVersion(inventory, load, undefined).version, new Date('2026-06-01T00:00:00Z'));
      let start = performance.now();
      inventory.podSpecs();
      const times: [string, number][] = [['(inventory pod specs)', performance.now() - start]];
      for (const check of ALL_CHECKS) {
        start = performance.now();
        evaluateCheck(check, ctx);
        times.push([check.id, performance.now() - start]);
      }
      times.sort((a, b) => b[1] - a[1]);
      const total = times.reduce((n, [, ms]) => n + ms, 0);
      return { ms: total, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail: times.slice(0, 6).map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`).join(', ') };
    }
    case 'write': {
      // The report alone: serialising it as --format json does (2-space indentation) and writing
      // it to /dev/null, timed; reading it back first is not.
      const report = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const start = performance.now();
      writeFileSync('/dev/null', JSON.stringify(report, null, 2));
      return { ms: performance.now() - start, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    }
    case 'monokle': {
      // Only local plugins: kubernetes-schema, open-policy-agent and custom plugins download
      // schemas or WASM at run time. Resources are handed over already split and parsed, with
      // their JSON text, and only validate() is timed: monokle's own file splitting is not.
      const { createDefaultMonokleValidator } = await import('@monokle/validation');
      const validator = createDefaultMonokleValidator();
      await validator.preload({
        plugins: { 'pod-security-standards': true, 'resource-links': true, practices: true, 'kubernetes-schema': false, 'yaml-syntax': false, 'open-policy-agent': false, metadata: false },
      });
      const { items } = JSON.parse(readFileSync(file, 'utf8')) as { items: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }[] };
      const resources = items.map((content, i) => ({
        id: `r${i}`,
        fileId: 'dump',
        filePath: file,
        fileOffset: 0,
        name: content.metadata.name,
        apiVersion: content.apiVersion,
        kind: content.kind,
        ...(content.metadata.namespace ? { namespace: content.metadata.namespace } : {}),
        content,
        text: JSON.stringify(content, null, 2),
      }));
      const start = performance.now();
      const response = await validator.validate({ resources });
      const ms = performance.now() - start;
      const results = response.runs.reduce((n, r) => n + r.results.length, 0);
      return { ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail: `${results} results` };
    }
  }
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const rssLine = (m: Measurement, bytes: number) => {
  const target = 4 * bytes + 150 * MB;
  return `peak RSS ${f1(m.maxRssBytes / MB)} MB = ${f2(m.maxRssBytes / bytes)} x input (target <= 4x input + 150 MB = ${f1(target / MB)} MB: ${m.maxRssBytes <= target ? 'met' : 'MISSED'})`;
};

/**
 * A scan as a process that must read every object: it exits 0 only without input errors (2 says
 * the scan was incomplete), and its report's sources, near the top, count the objects read. The
 * report of 500,000 objects can outgrow a string, so only its head is read back.
 */
function scanAndCount(file: string, dir: string): ProcessMeasurement & { objects: number } {
  const output = join(dir, 'report.json');
  const m = scanProcess(file, dir, output);
  const fd = openSync(output, 'r');
  const head = Buffer.alloc(MB);
  const text = head.toString('utf8', 0, readSync(fd, head, 0, MB, 0));
  closeSync(fd);
  rmSync(output);
  const sources = /"sources": (\[[^\]]*\])/.exec(text)?.[1];
  const objects = sources ? (JSON.parse(sources) as Report['sources']).reduce((n, s) => n + (s.objects ?? 0), 0) : 0;
  return { ...m, objects };
}

function configMaps(count: number): K8sObject[] {
  return Array.from({ length: count }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}`, namespace: `team-${i % 500}` }, data: { 'app.properties': `id=${i}` } }));
}

export async function run(): Promise<void> {
  // Wall times on a shared machine wait for other processes: the load says how far to trust them.
  console.log(`load average ${loadavg().map(f2).join(' ')} on ${availableParallelism()} CPUs`);
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-bench-'));
  try {
    const ratios: Record<string, { ratio: number; cpuRatio: number; doubling?: number }> = {};
    for (const [name, generate] of Object.entries(GENERATORS)) {
      let first: ProcessMeasurement | undefined;
      for (const objects of SIZES) {
        const file = join(dir, `${name}-${objects}.json`);
        writeFileSync(file, toJsonList(generate({ objects, seed: 1 })));
        const bytes = statSync(file).size;
        const parse = best(() => parseProcess(file, dir));
        const scan = best(() => scanProcess(file, dir));
        const framework = child('framework', file);
        const checks = child('checks', file);
        const ratio = scan.ms / parse.ms;
        console.log(`${name} ${objects} objects, ${f1(bytes / MB)} MB of JSON (${f1(bytes / objects / 1024)} KB an object)`);
        console.log(`  processes, best of ${REPEATS}: JSON.parse ${f1(parse.ms)} ms; kubeward scan ${f1(scan.ms)} ms; scan / JSON.parse = ${f2(ratio)} (target <= 3 at ${SIZES[0]}); CPU time ${f1(parse.cpuMs)} vs ${f1(scan.cpuMs)} ms = ${f2(scan.cpuMs / parse.cpuMs)}`);
        console.log(`  in process, once: without checks (read, parse, index, report) ${f1(framework.ms)} ms; checks ${f1(checks.ms)} ms, slowest: ${checks.detail}`);
        console.log(`  ${rssLine(scan, bytes)}`);
        // What the output format alone costs: the scan must at least parse its input and write its report.
        const report = join(dir, 'report.json');
        scanProcess(file, dir, report);
        const reportBytes = statSync(report).size;
        const write = child('write', report);
        rmSync(report);
        console.log(`  the report: ${f1(reportBytes / MB)} MB of JSON (${f2(reportBytes / bytes)} x the input); writing it alone ${f1(write.ms)} ms, so JSON.parse of the input plus writing the report is ${f2((parse.ms + write.ms) / parse.ms)} x JSON.parse: the floor of this ratio for this output`);
        if (objects === SIZES[0]) {
          ratios[name] = { ratio, cpuRatio: scan.cpuMs / parse.cpuMs };
          first = scan;
          // Monokle takes minutes at 50,000 objects already: it runs once, on the ~3 KB objects.
          if (name === 'fat') {
            try {
              const monokle = child('monokle', file);
              console.log(`  @monokle/validation (pod-security-standards, resource-links, practices) validate() ${f1(monokle.ms)} ms, peak RSS ${f1(monokle.maxRssBytes / MB)} MB (${monokle.detail}); kubeward whole scan / monokle validate() = ${f2(scan.ms / monokle.ms)}`);
            } catch (e) {
              console.log(`  @monokle/validation could not run: ${(e as Error).message}`);
            }
          }
        } else if (first) {
          ratios[name]!.doubling = scan.ms / first.ms;
          console.log(`  doubling ${SIZES[0]} -> ${objects}: scan time x${f2(scan.ms / first.ms)} (target <= 2.2), CPU time x${f2(scan.cpuMs / first.cpuMs)}`);
        }
        rmSync(file);
      }
    }
    console.log(`summary: scan / JSON.parse at ${SIZES[0]}: ${Object.entries(ratios).map(([n, r]) => `${n} ${f2(r.ratio)} (CPU time ${f2(r.cpuRatio)})`).join(', ')} (target <= 3); doubling: ${Object.entries(ratios).map(([n, r]) => `${n} x${f2(r.doubling ?? NaN)}`).join(', ')} (target <= 2.2)`);

    // Scale: one List of 500,000 small objects once overflowed the stack (a spread into a call).
    const scale: [string, () => K8sObject[]][] = [
      ['ConfigMaps in one List', () => configMaps(SCALE_OBJECTS)],
      ['lean objects', () => generateLeanCluster({ objects: SCALE_OBJECTS, seed: 1 })],
    ];
    for (const [what, generate] of scale) {
      const file = join(dir, 'scale.json');
      writeFileSync(file, toJsonList(generate()));
      const bytes = statSync(file).size;
      try {
        const parse = parseProcess(file, dir);
        const scan = scanAndCount(file, dir);
        const complete = scan.objects === SCALE_OBJECTS;
        console.log(`scale: ${SCALE_OBJECTS} ${what}, ${f1(bytes / MB)} MB: scan ${f1(scan.ms)} ms (${f2(scan.ms / parse.ms)} x JSON.parse ${f1(parse.ms)} ms), ${scan.objects} objects read, no errors: ${complete ? 'complete' : 'INCOMPLETE'}; ${rssLine(scan, bytes)}`);
        if (!complete) process.exitCode = 1;
      } catch (e) {
        console.log(`scale: ${SCALE_OBJECTS} ${what}, ${f1(bytes / MB)} MB: FAILED: ${(e as Error).message}`);
        process.exitCode = 1;
      } finally {
        rmSync(file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const measurement = await measureInChild(process.argv[3] as Mode, process.argv[4]!);
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}
