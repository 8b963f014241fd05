// The admission webhook (issue 13). Targets: an in-process decision for a pod p99 < 2 ms; a
// RoleBinding decision on a state of 5,000 roles and 20,000 bindings p99 < 10 ms; over HTTPS on
// loopback at 500 requests/s for 20 s, p99 at most 1.5x a no-op Node HTTPS server answering the
// same AdmissionReviews with allowed: true, measured in the same run, with no error responses.
// Load from autocannon, loopback only, bounded in requests and time.

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { defaultConfig } from '../src/admission/config.js';
import { Decider } from '../src/admission/decisions.js';
import { ClusterState } from '../src/admission/state.js';
import { requestFor } from '../src/admission/testing.js';
import type { K8sObject } from '../src/inventory/types.js';
import { CertFactory } from '../src/testing/certs.js';
import { generateRbacCluster } from './rbac-cluster.js';

const BIN = fileURLToPath(new URL('../../bin/kubeward.js', import.meta.url));
const NOOP = fileURLToPath(new URL('./noop-webhook.js', import.meta.url));
const RATE = 500;
const SECONDS = 20;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (n: number) => `${n.toFixed(3)} ms`;

function pod(i: number, privileged: boolean): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'shop', labels: { app: 'web' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'shop/app:1.0', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '1', memory: '1Gi' } }, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...(privileged ? { privileged: true } : {}) } }],
    },
  };
}

interface Timing { p50: number; p99: number; max: number; cpuP50: number; cpuP99: number; denied: number }

/**
 * Wall time per decision, and this process's CPU time per decision: on a machine shared with
 * other work the wall-time tail also counts the time other processes held the CPU.
 */
function timeDecisions(decider: Decider, requests: ReturnType<typeof requestFor>[], rounds: number): Timing {
  for (const r of requests.slice(0, 50)) decider.decide(r); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  let denied = 0;
  for (let round = 0; round < rounds; round++) {
    for (const r of requests) {
      const c = process.cpuUsage();
      const t = performance.now();
      if (!decider.decide(r).allowed) denied++;
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1]!, cpuP50: percentile(cpu, 0.5), cpuP99: percentile(cpu, 0.99), denied };
}

const timing = (t: Timing) => `wall p50 ${ms(t.p50)}, p99 ${ms(t.p99)}, max ${ms(t.max)}; CPU p50 ${ms(t.cpuP50)}, p99 ${ms(t.cpuP99)}`;

function inProcess(): void {
  const state = new ClusterState();
  state.replaceKind('Namespace', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }], 'bench');
  state.markSynced();
  const decider = new Decider(defaultConfig(), state);
  const pods = Array.from({ length: 200 }, (_, i) => requestFor(pod(i, i % 4 === 0)));
  const r = timeDecisions(decider, pods, 25);
  process.stdout.write(`in-process pod decision (${pods.length * 25} decisions, ${r.denied} denied): ${timing(r)} (target p99 < 2 ms)\n`);

  const items = generateRbacCluster();
  const big = new ClusterState();
  big.replaceAll(items.map((i) => i.object), 'generated');
  const count = (kind: string) => items.filter((i) => i.ref.kind === kind).length;
  const t = performance.now();
  big.markSynced();
  const baseline = performance.now() - t;
  const rbacDecider = new Decider(defaultConfig(), big);
  const roles = ['view', 'edit', 'admin', 'clusterrole-3', 'clusterrole-28', 'clusterrole-101', 'clusterrole-253'];
  const bindings = Array.from({ length: 300 }, (_, i) => requestFor({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `bench-${i}`, namespace: `ns-${(i * 7) % 2000}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roles[i % roles.length]! },
    subjects: [i % 3 === 0 ? { kind: 'ServiceAccount', name: `sa-${i % 5}`, namespace: `ns-${(i * 7) % 2000}` } : { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `new-user-${i}` }],
  }));
  const rb = timeDecisions(rbacDecider, bindings, 5);
  process.stdout.write(`RoleBinding decision on ${count('Role') + count('ClusterRole')} roles, ${count('RoleBinding') + count('ClusterRoleBinding')} bindings, ${count('Namespace')} namespaces (${bindings.length * 5} decisions, ${rb.denied} denied): ${timing(rb)} (target p99 < 10 ms); RBAC baseline built in ${baseline.toFixed(0)} ms, off the request path\n`);
}

function startChild(command: string[], ready: RegExp, stream: 'stdout' | 'stderr'): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child[stream]!.on('data', (c: Buffer) => {
      text += c.toString();
      const port = ready.exec(text)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`${command.join(' ')} exited ${code}: ${text}`)));
  });
}

async function load(port: number, ca: string, bodies: string[]): Promise<Result> {
  // autocannon sends one body per connection setup; several connections carry the mix.
  const results = await Promise.all(bodies.map((body) => autocannon({
    url: `https://127.0.0.1:${port}/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body,
    connections: 2, overallRate: RATE / bodies.length, duration: SECONDS, tlsOptions: { ca, servername: 'localhost' },
  })));
  const merged = results[0]!;
  for (const r of results.slice(1)) {
    merged.errors += r.errors;
    merged.timeouts += r.timeouts;
    merged.non2xx += r.non2xx;
    merged['2xx'] += r['2xx'];
    merged.requests.total += r.requests.total;
    merged.latency.p99 = Math.max(merged.latency.p99, r.latency.p99);
    merged.latency.p50 = Math.max(merged.latency.p50, r.latency.p50);
  }
  return merged;
}

async function overHttps(): Promise<void> {
  const certs = await CertFactory.create();
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-bench-'));
  const children: ChildProcess[] = [];
  try {
    const ca = await certs.ca('bench-ca');
    const serving = await certs.leaf(ca, 'localhost', { usage: ['serverAuth'] });
    writeFileSync(join(dir, 'state.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {pod-security.kubernetes.io/enforce: restricted}}\n');
    const bodies = [pod(1, false), pod(2, true)].map((p) => JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: requestFor(p) }));
    const noop = await startChild([NOOP, serving.certPath, serving.keyPath], /^(\d+)\n/, 'stdout');
    children.push(noop.child);
    const webhook = await startChild([BIN, 'webhook', 'serve', '--cert', serving.certPath, '--key', serving.keyPath, '--port', '0', '--state', join(dir, 'state.yaml')], /serving https:\/\/0\.0\.0\.0:(\d+)/, 'stderr');
    children.push(webhook.child);
    // Warm both up (JIT, TLS session) before measuring.
    for (const port of [noop.port, webhook.port]) await autocannon({ url: `https://127.0.0.1:${port}/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[1]!, connections: 2, amount: 2000, tlsOptions: { ca: ca.pem, servername: 'localhost' } });
    // Both at once: whatever else runs on the machine slows both alike.
    const [base, ours] = await Promise.all([load(noop.port, ca.pem, bodies), load(webhook.port, ca.pem, bodies)]);
    const line = (name: string, r: Result) => `${name.padEnd(26)} ${String(r.requests.total).padStart(6)} requests, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}\n`;
    process.stdout.write(`HTTPS on loopback, ${RATE} requests/s to each server for ${SECONDS} s, both at once, 2 AdmissionReviews (one denied), 4 connections each:\n`);
    process.stdout.write(line('no-op Node HTTPS server', base));
    process.stdout.write(line('kubeward webhook serve', ours));
    process.stdout.write(`p99 ratio ${(ours.latency.p99 / Math.max(base.latency.p99, 0.001)).toFixed(2)}x (target <= 1.5x); load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs\n`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await certs.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  inProcess();
  // KUBEWARD_BENCH_QUICK=1: the in-process figures only (the HTTPS run takes a minute).
  if (!process.env.KUBEWARD_BENCH_QUICK) await overHttps();
}
