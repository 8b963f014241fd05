import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { e2eCluster } from '../../engines/netpol/testing.js';
import { REPO_ROOT } from '../../testing/index.js';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin/kubeward.js');

async function kubeward(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'netpol', ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function cluster(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-netpol-'));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, `${e2eCluster(['x/a', 'x/b', 'y/a'], [80, 81])}\n---\n${extra}`);
  return file;
}

const DENY_X = `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny-ingress, namespace: x}, spec: {podSelector: {}, policyTypes: [Ingress], ingress: [{from: [{podSelector: {}}], ports: [{port: serve-81-tcp}]}]}}`;

describe('kubeward netpol', () => {
  it('reach --format json has exactly the documented shape', async () => {
    const { code, stdout } = await kubeward('reach', '--from', 'y/a', '--to', 'x/a', '--port', '80', '--format', 'json', cluster(DENY_X));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      allowed: false,
      egress: { isolated: false, allowed: true, policies: [] },
      ingress: { isolated: true, allowed: false, policies: [] },
    });
  });

  it('reach resolves a named port on the destination and names the allowing policy', async () => {
    const { stdout } = await kubeward('reach', '--from', 'x/b', '--to', 'x/a', '--port', '81', cluster(DENY_X));
    assert.equal(stdout, 'x/b -> x/a on 81/TCP: ALLOWED\n  egress   x/b: not isolated: allowed\n  ingress  x/a: isolated, allowed by deny-ingress\n');
  });

  it('reach --from-ip uses only the destination ingress; pod IPs from status match ipBlocks', async () => {
    const file = cluster(`{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: from-y, namespace: x}, spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.2.0/24}}]}]}}`);
    const json = async (...a: string[]) => JSON.parse((await kubeward('reach', ...a, '--port', '80', '--format', 'json', file)).stdout);
    assert.equal((await json('--from-ip', '10.0.2.77', '--to', 'x/a')).allowed, true);
    assert.equal((await json('--from-ip', '10.0.3.1', '--to', 'x/a')).allowed, false);
    assert.equal((await json('--from', 'y/a', '--to', 'x/b')).allowed, true, 'y/a has IP 10.0.2.1');
    assert.equal((await json('--from', 'x/b', '--to', 'x/a')).allowed, false);
  });

  it('matrix JSON: namespaces, rows are sources and columns destinations', async () => {
    const { stdout } = await kubeward('matrix', '--port', '80', '--format', 'json', cluster(DENY_X));
    assert.deepEqual(JSON.parse(stdout), { port: 80, protocol: 'TCP', rows: ['x', 'y'], cols: ['x', 'y'], allowed: [[false, true], [false, true]] });
  });

  it('matrix --pods -n filters namespaces; without --port a cell means some port', async () => {
    const file = cluster(DENY_X);
    const somePort = JSON.parse((await kubeward('matrix', '--pods', '-n', 'x', '--format', 'json', file)).stdout);
    assert.deepEqual(somePort, { port: null, protocol: null, rows: ['x/a', 'x/b'], cols: ['x/a', 'x/b'], allowed: [[true, true], [true, true]] });
    const port80 = JSON.parse((await kubeward('matrix', '--pods', '-n', 'x', '-n', 'y', '--port', '80', '--format', 'json', file)).stdout);
    assert.deepEqual(port80.rows, ['x/a', 'x/b', 'y/a']);
    assert.deepEqual(port80.allowed, [[false, false, true], [false, false, true], [false, false, true]]);
  });

  it('matrix table marks allowed, denied and undecided cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeward-netpol-'));
    const file = join(dir, 'manifests.yaml');
    // No Namespace objects: a selector on the label team cannot be decided.
    writeFileSync(file, ['a', 'b'].map((ns) => `{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: ${ns}}, spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}}`).join('\n---\n') + `
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: deny, namespace: a}, spec: {podSelector: {}}}
---
{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: from-team-a, namespace: b}, spec: {podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]}}
`);
    const { stdout, stderr } = await kubeward('matrix', '--port', '80', file);
    assert.equal(stdout, 'NetworkPolicy reachability on 80/TCP (rows: from, columns: to; Y allowed, . denied, ? undecided)\n       1 2\n1 a    . ?\n2 b    . ?\n');
    assert.match(stderr, /some cells are undecided/);
    const reach = await kubeward('reach', '--from', 'a/deployment/web', '--to', 'b/deployment/web', '--port', '80', file);
    assert.match(reach.stdout, /UNDECIDED[\s\S]*note: namespace "a" has no Namespace object in the input/);
  });

  it('usage errors exit 2 with a message', async () => {
    const missing = await kubeward('reach', '--from', 'x/zz', '--to-ip', '1.1.1.1', '--port', '80', cluster(''));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no pod or workload "x\/zz" in the input \(namespace x has: x\/a, x\/b\)/);
    const both = await kubeward('reach', '--from', 'x/a', '--from-ip', '1.1.1.1', '--to', 'x/b', '--port', '80', cluster(''));
    assert.match(both.stderr, /give exactly one of --from/);
    const port = await kubeward('reach', '--from', 'x/a', '--to', 'x/b', '--port', '70000', cluster(''));
    assert.match(port.stderr, /--port must be a number from 1 to 65535/);
    assert.equal((await kubeward('matrix', '--protocol', 'ICMP', cluster(''))).code, 2);
  });

  it('an unreadable input is reported and exits 2 after the answer', async () => {
    const { code, stdout, stderr } = await kubeward('matrix', '--format', 'json', cluster(''), '/nonexistent/netpol.yaml');
    assert.equal(code, 2);
    assert.deepEqual(JSON.parse(stdout).rows, ['x', 'y']);
    assert.match(stderr, /\/nonexistent\/netpol.yaml/);
  });
});
