// The cloud-metadata fix is safe because only metadata reach is lost: the reachability engine
// judges every pod of a fixed namespace before and after, towards the metadata addresses, an
// address on the internet, a pod of another namespace and one of its own.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { NetpolGraph, parseIp, type Party } from '../engines/netpol/index.js';
import { tempTree } from '../testing/cli.js';
import { inventoryFromYaml } from '../testing/index.js';
import { planFixes, writeFixes } from './run.js';

const namespaceYaml = (name: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {kubernetes.io/metadata.name: ${name}}}
`;
const podYaml = (namespace: string, name: string, image: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: {app: ${name}}}
spec: {containers: [{name: ${name}, image: ${image}}]}
status: {podIP: ${ip}}
`;

const CLUSTER = [
  namespaceYaml('shop'),
  namespaceYaml('db'),
  podYaml('shop', 'web', 'nginx:1.27', '10.0.0.5'),
  podYaml('shop', 'worker', 'busybox:1.36', '10.0.0.6'),
  podYaml('db', 'postgres', 'postgres:16', '10.0.1.7'),
].join('---\n');

const ip = (text: string): Party => ({ ip: parseIp(text)!, text });

function reachability(yaml: string): Record<string, boolean | null> {
  const graph = new NetpolGraph(inventoryFromYaml(yaml));
  const pod = (id: string): Party => ({ endpoint: graph.findEndpoint(id)! });
  const out: Record<string, boolean | null> = {};
  for (const from of ['shop/web', 'shop/worker']) {
    out[`${from} -> 169.254.169.254:80`] = graph.reach(pod(from), ip('169.254.169.254'), 80, 'TCP').allowed;
    out[`${from} -> fd00:ec2::254:80`] = graph.reach(pod(from), ip('fd00:ec2::254'), 80, 'TCP').allowed;
    out[`${from} -> 8.8.8.8:443`] = graph.reach(pod(from), ip('8.8.8.8'), 443, 'TCP').allowed;
    out[`${from} -> db/postgres:5432`] = graph.reach(pod(from), pod('db/postgres'), 5432, 'TCP').allowed;
    out[`${from} -> shop/web:80`] = graph.reach(pod(from), pod('shop/web'), 80, 'TCP').allowed;
  }
  return out;
}

it('the metadata egress policy takes away metadata reach and nothing else (reachability engine)', async () => {
  const { dir, cleanup } = tempTree({ 'cluster.yaml': CLUSTER });
  try {
    const outcome = await planFixes({ paths: [dir], unsafe: false, only: ['pod-can-reach-cloud-metadata'], now: new Date('2026-12-01T00:00:00Z') });
    assert.deepEqual(outcome.introduced, []);
    assert.ok(outcome.fixed.some((f) => f.check === 'pod-can-reach-cloud-metadata'));
    assert.deepEqual(await writeFixes(outcome.changes), []);
    const before = reachability(CLUSTER);
    const after = reachability(`${CLUSTER}---\n${await readFile(join(dir, 'kubeward-fixes.yaml'), 'utf8')}`);
    for (const [path, verdict] of Object.entries(before)) {
      assert.equal(verdict, true, `before: ${path}`);
      assert.equal(after[path], /169\.254|fd00:ec2/.test(path) ? false : true, `after: ${path}`);
    }
  } finally {
    cleanup();
  }
});
