// RBAC engine at scale (issue 4): 5,000 Roles and ClusterRoles, 20,000 bindings, 2,000
// namespaces, 10,000 ServiceAccounts. Targets: index build < 1 s; one who-can query < 20 ms;
// the escalation graph with shortest paths to cluster-admin for every subject < 5 s; peak
// memory reported. The work runs in a child process so its peak RSS is its own.

import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { clusterFactsOf, EscalationGraph, nodeIdOf, TARGETS } from '../src/engines/rbac/escalation.js';
import { RbacIndex } from '../src/engines/rbac/index.js';
import type { RequestAttributes } from '../src/engines/rbac/types.js';
import { Inventory } from '../src/inventory/inventory.js';
import { generateRbacCluster } from './rbac-cluster.js';

const CHILD_FLAG = '--rbac-bench-child';

const QUERIES: RequestAttributes[] = [
  { verb: 'list', resource: 'secrets' },
  { verb: 'get', resource: 'secrets', namespace: 'ns-17', name: 'app-config' },
  { verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'ns-1234' },
  { verb: 'update', apiGroup: 'apps', resource: 'statefulsets', subresource: 'scale', namespace: 'ns-999' },
  { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'ns-5' },
  { verb: 'get', path: '/debug/pprof/heap' },
  { verb: 'impersonate', resource: 'users', name: 'auditor' },
];

/** CPU time of this process in ms: on a loaded machine, wall time also counts other processes. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function measure(): Record<string, number | string> {
  const items = generateRbacCluster();
  const count = (kind: string) => items.filter((i) => i.ref.kind === kind).length;
  let t = performance.now();
  let c = cpu();
  const index = new RbacIndex(items);
  const build = performance.now() - t;
  const buildCpu = cpu() - c;

  const queryTimes: number[] = [];
  const queryCpu: number[] = [];
  let subjectsFound = 0;
  // The very first query also pays for compiling the matcher; reported on its own.
  t = performance.now();
  index.whoCan({ verb: 'watch', resource: 'configmaps', namespace: 'ns-3' });
  const firstQuery = performance.now() - t;
  for (let round = 0; round < 3; round++) {
    for (const q of QUERIES) {
      t = performance.now();
      c = cpu();
      subjectsFound = index.whoCan(q).length;
      queryTimes.push(performance.now() - t);
      queryCpu.push(cpu() - c);
    }
  }
  queryTimes.sort((a, b) => a - b);
  queryCpu.sort((a, b) => a - b);

  t = performance.now();
  c = cpu();
  const inventory = new Inventory(items);
  const graph = new EscalationGraph(index, clusterFactsOf(items, inventory.podSpecs(), index));
  const graphBuilt = performance.now() - t;
  let withPath = 0;
  const subjects = index.subjects();
  for (const target of TARGETS) {
    const next = graph.shortestPaths(target);
    for (const s of subjects) if ((EscalationGraph.pathFrom(nodeIdOf(s), next)?.length ?? 0) > 0 && target === 'cluster-admin') withPath++;
  }
  const escalation = performance.now() - t;
  const escalationCpu = cpu() - c;
  return {
    roles: count('Role'), clusterRoles: count('ClusterRole'), bindings: count('RoleBinding') + count('ClusterRoleBinding'),
    namespaces: count('Namespace'), serviceAccounts: count('ServiceAccount'),
    buildMs: build, buildCpuMs: buildCpu, queryCpuMedianMs: queryCpu[Math.floor(queryCpu.length / 2)]!, queryCpuMaxMs: queryCpu[queryCpu.length - 1]!, escalationCpuMs: escalationCpu,
    loadAverage: loadavg()[0]!, cpus: cpus().length, firstQueryMs: firstQuery,
    queryMedianMs: queryTimes[Math.floor(queryTimes.length / 2)]!, queryMaxMs: queryTimes[queryTimes.length - 1]!, lastQuerySubjects: subjectsFound,
    graphBuildMs: graphBuilt, escalationMs: escalation, graphNodes: graph.nodes.size, graphEdges: graph.edges.length,
    subjects: subjects.length, subjectsWithPathToClusterAdmin: withPath,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

export async function run(): Promise<void> {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(out) as Record<string, number>;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  process.stdout.write(
    `synthetic cluster: ${r.roles} Roles + ${r.clusterRoles} ClusterRoles, ${r.bindings} bindings, ${r.namespaces} namespaces, ${r.serviceAccounts} ServiceAccounts\n` +
    `machine: ${r.cpus} CPUs, load average ${r.loadAverage!.toFixed(1)} (wall times include waiting for the CPU; CPU times are this process's own)\n` +
    `index build (aggregation, bootstrap roles, subject and resource indexes): ${ms(r.buildMs!)} wall, ${ms(r.buildCpuMs!)} CPU (target < 1000 ms)\n` +
    `who-can query: first (cold) ${ms(r.firstQueryMs!)} wall; then ${QUERIES.length} queries x 3: median ${ms(r.queryMedianMs!)} wall / ${ms(r.queryCpuMedianMs!)} CPU, max ${ms(r.queryMaxMs!)} wall / ${ms(r.queryCpuMaxMs!)} CPU (target < 20 ms)\n` +
    `escalation graph (${r.graphNodes} nodes, ${r.graphEdges} edges) built in ${ms(r.graphBuildMs!)} wall; with shortest paths to cluster-admin, secrets and nodes for all ${r.subjects} subjects: ${ms(r.escalationMs!)} wall, ${ms(r.escalationCpuMs!)} CPU (target < 5000 ms); ${r.subjectsWithPathToClusterAdmin} subjects reach cluster-admin\n` +
    `peak RSS of the benchmark process: ${r.peakRssMB!.toFixed(0)} MB\n`,
  );
}

if (process.argv.includes(CHILD_FLAG)) process.stdout.write(JSON.stringify(measure()));
