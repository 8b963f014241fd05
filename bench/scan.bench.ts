// Whole-scan benchmark on synthetic `kubectl get -A -o json` dumps of 50,000 and 100,000 objects:
// scan time against JSON.parse of the same input, the time ratio between the two sizes, peak RSS
// against input bytes, and the same input through @monokle/validation. Each measurement runs in
// its own child process, so its peak RSS (process.resourceUsage().maxRSS) is its own.
//
// Targets (issue 2): scan <= 3x JSON.parse at 50k; doubling <= 2.2x; peak RSS <= 4x input + 150 MB.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatReport } from '../src/report/index.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { buildInventory, createContext, evaluateCheck, resolveVersion, runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { generateCluster, toJsonList } from './generate.js';

const SIZES = [50_000, 100_000];
const REPEATS = 3;
const MB = 1024 * 1024;

interface Measurement {
  ms: number;
  maxRssBytes: number;
  detail?: string;
}

type Mode = 'parse' | 'scan' | 'framework' | 'checks' | 'monokle';

/** Runs one measurement in a fresh process. */
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

function best(mode: Mode, file: string, repeats: number): Measurement {
  const runs = Array.from({ length: repeats }, () => child(mode, file));
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

async function measureInChild(mode: Mode, file: string): Promise<Measurement> {
  switch (mode) {
    case 'parse': {
      const text = readFileSync(file, 'utf8');
      const start = performance.now();
      const value = JSON.parse(text) as { items: unknown[] };
      return { ms: performance.now() - start, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail: `${value.items.length} items` };
    }
    case 'scan': {
      // The whole scan as the CLI does it: read the file, parse, index, run every check, report.
      const start = performance.now();
      const report = runScan(await loadPaths([file]), { now: new Date('2026-06-01T00:00:00Z') });
      const json = formatReport(report, 'json', { color: false });
      const ms = performance.now() - start;
      const objects = report.sources.reduce((n, s) => n + (s.objects ?? 0), 0);
      return { ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail: `${objects} objects, ${report.checks.length} checks, ${report.findings.length} findings, ${report.errors.length} errors, report ${(json.length / MB).toFixed(1)} MB` };
    }
    case 'framework': {
      // The same without checks: reading, parsing, indexing and reporting alone.
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

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-bench-'));
  try {
    const rows: { objects: number; bytes: number; parse: Measurement; scan: Measurement; framework: Measurement; monokle: Measurement | string }[] = [];
    for (const objects of SIZES) {
      const file = join(dir, `cluster-${objects}.json`);
      writeFileSync(file, toJsonList(generateCluster({ objects, seed: 1 })));
      const bytes = statSync(file).size;
      const parse = best('parse', file, REPEATS);
      const scan = best('scan', file, REPEATS);
      const framework = best('framework', file, REPEATS);
      const checks = child('checks', file);
      // Monokle takes minutes at 50,000 objects already: it runs at the first size only.
      let monokle: Measurement | string = 'not run at this size';
      if (objects === SIZES[0]) {
        try {
          monokle = child('monokle', file);
        } catch (e) {
          monokle = `could not run: ${(e as Error).message}`;
        }
      }
      rows.push({ objects, bytes, parse, scan, framework, monokle });
      const rssTarget = 4 * bytes + 150 * MB;
      console.log(`${objects} objects, ${f1(bytes / MB)} MB of JSON (${scan.detail})`);
      console.log(`  JSON.parse ${f1(parse.ms)} ms; whole scan ${f1(scan.ms)} ms; scan / JSON.parse = ${f2(scan.ms / parse.ms)} (target <= 3 at 50k)`);
      console.log(`  without checks (read, parse, index, report) ${f1(framework.ms)} ms = ${f2(framework.ms / parse.ms)} x JSON.parse; checks ${f1(checks.ms)} ms, slowest: ${checks.detail}`);
      console.log(`  peak RSS ${f1(scan.maxRssBytes / MB)} MB = ${f2(scan.maxRssBytes / bytes)} x input (target <= 4x input + 150 MB = ${f1(rssTarget / MB)} MB: ${scan.maxRssBytes <= rssTarget ? 'met' : 'MISSED'})`);
      if (typeof monokle === 'string') console.log(`  @monokle/validation ${monokle}`);
      else console.log(`  @monokle/validation (pod-security-standards, resource-links, practices) validate() ${f1(monokle.ms)} ms, peak RSS ${f1(monokle.maxRssBytes / MB)} MB (${monokle.detail}); kubeward / monokle time = ${f2(scan.ms / monokle.ms)}`);
    }
    const [small, large] = rows;
    if (small && large) {
      console.log(`doubling ${small.objects} -> ${large.objects} objects: scan time x${f2(large.scan.ms / small.scan.ms)} (target <= 2.2), without checks x${f2(large.framework.ms / small.framework.ms)}, JSON.parse x${f2(large.parse.ms / small.parse.ms)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const measurement = await measureInChild(process.argv[3] as Mode, process.argv[4]!);
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}
