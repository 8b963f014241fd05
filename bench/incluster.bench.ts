// The in-cluster scanner as its CronJob runs it: the in-repo API server holds a synthetic cluster
// of 50,000 objects (bench/generate.ts), the install's RBAC and the PolicyReport CRDs (spec
// corpus); `kubeward scan` runs in a child with the CronJob's own arguments and NODE_OPTIONS
// (heap cap), reads the cluster and writes its PolicyReports by server-side apply. Reports its
// peak RSS (what the CronJob's memory request and limit are sized from), the time, and the
// number and sizes of the reports the server received.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { installManifests, SCANNER_RESOURCES } from '../src/incluster/manifests.js';
import { crdsOfFile } from '../src/testing/apiserver/custom-resources.js';
import { startTestApiServer } from '../src/testing/apiserver/index.js';
import { corpus } from '../src/testing/corpus.js';
import { generateCluster } from './generate.js';

const OBJECTS = 50_000;
const MB = 1024 * 1024;
const KUBEWARD = fileURLToPath(new URL('../../bin/kubeward.js', import.meta.url));
const PROBE = new URL('../src/testing/rss-probe.js', import.meta.url).href;

interface Container { args: string[]; env: { name: string; value?: string }[] }

export async function run(): Promise<void> {
  const spec = corpus('spec');
  if (spec.skip) {
    console.log(`skipped: ${spec.skip}`);
    return;
  }
  const manifests = installManifests().map((m) => m.object);
  const cron = manifests.find((o) => o.kind === 'CronJob') as { spec: { jobTemplate: { spec: { template: { spec: { containers: Container[] } } } } } };
  const container = cron.spec.jobTemplate.spec.template.spec.containers[0]!;
  const exceptions = (manifests.find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>)['exceptions.yaml']!;
  const crds = ['wgpolicyk8s.io_v1alpha2_policyreports.yaml', 'wgpolicyk8s.io_v1alpha2_clusterpolicyreports.yaml'].flatMap((f) => crdsOfFile(join(spec.path, 'policy-reports', f)));
  const server = await startTestApiServer({
    objects: [...generateCluster({ objects: OBJECTS, seed: 1 }), ...manifests.filter((o) => /Role|Namespace/.test(o.kind ?? '')), ...crds],
    tokens: { scanner: { name: 'system:serviceaccount:kubeward:kubeward-scanner', groups: [] } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-incluster-bench-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig, { token: 'scanner' });
    writeFileSync(join(dir, 'exceptions.yaml'), exceptions);
    const args = container.args.map((a) => (a === '/etc/kubeward/exceptions.yaml' ? join(dir, 'exceptions.yaml') : a));
    const nodeOptions = container.env.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '';
    const rssFile = join(dir, 'rss');
    const start = performance.now();
    // Asynchronous: the API server answers from this very process.
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', PROBE, KUBEWARD, ...args, '--kubeconfig', kubeconfig], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions, KUBEWARD_RSS_FILE: rssFile },
      maxBuffer: 64 * MB,
    });
    const ms = performance.now() - start;
    const rss = Number(readFileSync(rssFile, 'utf8'));
    const reports = [...server.objectsOf('policyreports'), ...server.objectsOf('clusterpolicyreports')];
    const sizes = reports.map((r) => Buffer.byteLength(JSON.stringify(r))).sort((a, b) => a - b);
    const results = reports.reduce((n, r) => n + (r.results as unknown[]).length, 0);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`${OBJECTS} objects; the CronJob's scan (${args.join(' ')}; NODE_OPTIONS=${nodeOptions})`);
    console.log(`  ${stderr.trim().split('\n').pop()}`);
    console.log(`  peak RSS ${(rss / MB).toFixed(0)} MiB (CronJob: requests ${SCANNER_RESOURCES.requests.memory}, limit ${SCANNER_RESOURCES.limits.memory}); ${(ms / 1000).toFixed(1)} s read, check and write`);
    console.log(`  ${reports.length} reports, ${results} results, ${(total / MB).toFixed(1)} MiB in all; median ${(sizes[sizes.length >> 1]! / 1024).toFixed(0)} KiB, largest ${(sizes.at(-1)! / 1024).toFixed(0)} KiB (etcd's limit: 1536 KiB)`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
