// The fix framework's contract, for every failing example of every fixable check: the example is
// written to real files (a node root with its stat sidecar for examples about node files), `fix`
// plans and proves its changes by re-scanning with every check, the check then passes (or each
// failure left says why a person must decide), nothing new fails, the written files re-scan the
// same, and a second fix changes nothing. Certificates of a snapshot are written as PEM files,
// with the keys generated beside them.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ALL_CHECKS } from '../checks/registry.js';
import type { Check, CheckExample } from '../checks/types.js';
import type { Inventory } from '../inventory/inventory.js';
import { keysOf } from '../testing/certs.js';
import { FIXES_FILE, planFixes, writeFixes, type FixOptions } from './run.js';

interface Materialized {
  dir: string;
  options: Pick<FixOptions, 'paths' | 'nodeRoots' | 'k8sVersion' | 'fixesFile'> & { now: Date };
}

/** An example as files: inline YAML as a manifest; a built inventory's node root as a folder. */
async function materialize(example: CheckExample): Promise<Materialized> {
  const dir = await mkdtemp(join(tmpdir(), 'kubeward-fix-example-'));
  const spec = typeof example === 'string' ? { description: 'example', yaml: example } : example;
  const now = spec.now ? new Date(spec.now) : new Date('2026-06-01T00:00:00Z');
  const base = { now, ...(spec.k8sVersion ? { k8sVersion: spec.k8sVersion } : {}) };
  if (!spec.build) {
    await writeFile(join(dir, 'example.yaml'), spec.yaml ?? '');
    return { dir, options: { ...base, paths: [join(dir, 'example.yaml')], nodeRoots: [] } };
  }
  const inventory: Inventory = await spec.build();
  const nodeRoots: string[] = [];
  const manifests: string[] = [];
  for (const [n, host] of inventory.hosts.entries()) {
    const root = join(dir, `node-${n}`);
    nodeRoots.push(root);
    const local = (file: string) => join(root, file.startsWith(host.root) ? file.slice(host.root.replace(/\/+$/, '').length) : file);
    await mkdir(join(root, 'etc/kubernetes'), { recursive: true });
    const sidecar: string[] = [];
    const texts = new Map<string, string>();
    for (const item of inventory.items.filter((i) => i.location.file.startsWith(`${host.root}/`))) {
      texts.set(local(item.location.file), `${texts.has(local(item.location.file)) ? `${texts.get(local(item.location.file))}---\n` : ''}${stringify(item.object)}`);
    }
    for (const rule of host.modprobeRules) {
      const lines = (texts.get(local(rule.file)) ?? '').split('\n');
      while (lines.length < rule.line) lines.push('');
      lines[rule.line - 1] = rule.directive === 'install' ? `install ${rule.module} ${rule.command}` : `blacklist ${rule.module}`;
      texts.set(local(rule.file), lines.join('\n'));
    }
    if (host.kubeletCommandLine) {
      const unit = host.kubeletCommandLine.locations[0]?.file ?? '/etc/systemd/system/kubelet.service';
      texts.set(local(unit), `[Service]\nExecStart=${host.kubeletCommandLine.argv.join(' ')}\n`);
    }
    for (const file of host.files) {
      const path = join(root, file.path);
      if (file.type === 'directory') await mkdir(path, { recursive: true });
      else {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, texts.get(path) ?? '');
      }
      sidecar.push(`${file.path}\t${file.mode.toString(8)}\t${file.uid}\t${file.gid}`);
    }
    // Certificates (and, for snapshots built from generated ones, their keys) as PEM files.
    for (const [path, pem, mode] of [...host.certificates.map((c) => [c.path, c.pem, 0o644] as const), ...Object.entries(keysOf(host)).map(([p, k]) => [p, k, 0o600] as const)]) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), pem, { mode });
    }
    for (const [path, text] of texts) {
      if (host.files.some((f) => join(root, f.path) === path)) continue;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
    await writeFile(join(root, '.kubeward-stat.tsv'), `${sidecar.join('\n')}\n`);
  }
  for (const item of inventory.items.filter((i) => !inventory.hosts.some((h) => i.location.file.startsWith(`${h.root}/`)))) manifests.push(stringify(item.object));
  const paths: string[] = [];
  if (manifests.length > 0) {
    await writeFile(join(dir, 'example.yaml'), manifests.join('---\n'));
    paths.push(join(dir, 'example.yaml'));
  }
  // Without a manifest, new objects would go to the current directory: into the example's folder instead.
  return { dir, options: { ...base, paths, nodeRoots, fixesFile: join(dir, FIXES_FILE) } };
}

const MANUAL = /^(?!unsafe fix|no fix was planned|the fix could not remove it|not selected)/;

function title(example: CheckExample, n: number): string {
  return typeof example === 'string' ? `failing example ${n + 1}` : `failing example ${n + 1}: ${example.description}`;
}

describe('every fixable check: fix, re-scan, idempotent', () => {
  for (const check of ALL_CHECKS.filter((c): c is Check & { fix: NonNullable<Check['fix']> } => c.fix !== undefined)) {
    describe(`${check.id} (${check.fix.safety})`, () => {
      check.examples.fail.forEach((example, n) => {
        it(title(example, n), async () => {
          const { dir, options } = await materialize(example);
          try {
            const outcome = await planFixes({ ...options, unsafe: true });
            assert.ok(outcome.before.findings.some((f) => f.check === check.id && f.status === 'fail'), `the example, written to files, fails ${check.id}`);
            assert.deepEqual(outcome.errors, []);
            assert.deepEqual(outcome.refused, []);
            assert.deepEqual(outcome.introduced.map((f) => `${f.check}: ${f.message}`), [], 'nothing new fails');
            const left = outcome.remaining.filter((r) => r.finding.check === check.id);
            for (const r of left) assert.match(r.why, MANUAL, `${check.id} still fails without a reason a person must decide: ${r.finding.message}`);
            if (left.length === 0) assert.ok(outcome.changes.length > 0, 'the fix changed something');
            assert.deepEqual(await writeFixes(outcome.changes), []);
            // The files as written scan as the fix's own re-scan did, and a second fix has nothing to do.
            const again = await planFixes({ ...options, unsafe: true });
            assert.deepEqual(again.changes.map((c) => `${c.action} ${c.file}`), [], 'a second fix changes nothing');
            assert.equal(again.before.findings.filter((f) => f.status === 'fail').length, outcome.after.findings.filter((f) => f.status === 'fail').length);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        });
      });
    });
  }
});
