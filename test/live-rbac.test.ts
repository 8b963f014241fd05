// deploy/scanner-rbac.yaml (with --no-secrets --no-kubelet-config) is enough for a complete scan
// and no more than the scan needs, and passes kubeward's own checks; deploy/scanner-rbac-extras.yaml
// adds the opt-in grants; with a narrower role the checks that depend on what was refused are not
// evaluated and the scan exits 2.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { K8sObject } from '../src/inventory/types.js';
import type { Report } from '../src/report/types.js';
import { RESOURCE_TYPES } from '../src/sources/cluster/resources.js';
import { kubeward } from '../src/testing/apiserver/cli.js';
import { kubeadmCluster, scannerRbac, scannerRbacExtras } from '../src/testing/apiserver/fixtures.js';
import { runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { startTestApiServer } from '../src/testing/apiserver/index.js';

const SCANNER = { name: 'system:serviceaccount:kubeward:kubeward-scanner', groups: [] };
const NOW = '2026-06-01T00:00:00Z';

interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] }

/** Scans, with the scanner's token, a cluster whose scanner RBAC is `rbac`. */
async function scanAsScanner(rbac: K8sObject[], extraArgs: string[] = []): Promise<{ code: number; report: Report; stderr: string; log: { path: string; status: number }[] }> {
  const fixture = kubeadmCluster();
  const server = await startTestApiServer({ ...fixture, objects: [...fixture.objects, ...rbac], tokens: { 'scanner-token': SCANNER } });
  const dir = await mkdtemp(join(tmpdir(), 'kubeward-rbac-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await server.writeKubeconfig(kubeconfig, { token: 'scanner-token' });
    const result = await kubeward(['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none', '--now', NOW, ...extraArgs]);
    return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr, log: server.requests.map((r) => ({ path: r.path, status: r.status })) };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const LEAST_PRIVILEGE_FLAGS = ['--no-secrets', '--no-kubelet-config'];
const withoutBinding = (objects: K8sObject[], name: string) => objects.filter((o) => !(o.kind === 'ClusterRoleBinding' && o.metadata?.name === name));

describe('deploy/scanner-rbac.yaml', () => {
  it('grants only list (and get on discovery, /version and, opt-in, nodes/proxy), only on what the scan reads', () => {
    const base = scannerRbac();
    const rbac = [...base, ...scannerRbacExtras()];
    const read = new Set(RESOURCE_TYPES.map((t) => `${t.group}/${t.resource}`));
    for (const role of rbac.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')) {
      for (const rule of (role.rules as Rule[])) {
        if (rule.nonResourceURLs) {
          assert.deepEqual(rule.verbs, ['get']);
          continue;
        }
        for (const group of rule.apiGroups ?? []) {
          for (const resource of rule.resources ?? []) {
            if (resource === 'nodes/proxy') {
              assert.deepEqual(rule.verbs, ['get']);
              continue;
            }
            assert.deepEqual(rule.verbs, ['list'], `${group}/${resource}`);
            assert.ok(read.has(`${group}/${resource}`), `${group}/${resource} is granted but never read`);
          }
        }
      }
    }
    const grants = (objects: K8sObject[]) => new Set(objects.flatMap((o) => ((o.rules as Rule[] | undefined) ?? []).flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}`)))));
    // ...everything the scan reads is granted with the extras, and the default leaves out the two
    // grants that are more than reading.
    const granted = grants(rbac);
    for (const type of RESOURCE_TYPES) assert.ok(granted.has(`${type.group}/${type.resource}`), `${type.resource} is read but not granted`);
    const baseGranted = grants(base);
    assert.ok(!baseGranted.has('/secrets') && !baseGranted.has('/nodes/proxy'), [...baseGranted].join(', '));
  });

  it('passes kubeward\'s own checks', async () => {
    const report = runScan(await loadPaths([join(REPO_ROOT, 'deploy', 'scanner-rbac.yaml')]), { now: new Date(NOW) });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.findings.filter((f) => f.status === 'fail').map((f) => `${f.check} ${f.resource.name}`), []);
  });

  it('with --no-secrets --no-kubelet-config is enough for a complete scan: no request refused, exit code not 2', async () => {
    const { code, report, log } = await scanAsScanner(scannerRbac(), LEAST_PRIVILEGE_FLAGS);
    assert.deepEqual(report.errors, []);
    assert.notEqual(code, 2);
    assert.deepEqual(log.filter((r) => r.status >= 400), []);
    assert.ok(!log.some((r) => r.path.includes('/proxy/') || r.path.startsWith('/api/v1/secrets')));
    assert.ok(log.some((r) => r.path === '/api/v1/namespaces/kube-system/configmaps'));
    const blocked = report.findings.filter((f) => f.status === 'not-evaluated' && /--no-secrets|--no-kubelet-config/.test(f.message));
    assert.ok(blocked.some((f) => f.check === 'bootstrap-token-secret-present'), 'Secret checks say why they were not evaluated');
    assert.ok(blocked.some((f) => f.check.startsWith('kubelet-')), 'kubelet checks say why they were not evaluated');
  });

  it('with the extras is enough for a complete scan without flags', async () => {
    const { code, report, log } = await scanAsScanner([...scannerRbac(), ...scannerRbacExtras()]);
    assert.deepEqual(report.errors, []);
    assert.notEqual(code, 2);
    assert.deepEqual(log.filter((r) => r.status >= 400), []);
    assert.ok(log.some((r) => r.path === '/api/v1/nodes/worker1/proxy/configz'));
  });

  it('with a narrower role: what was refused is named, dependent checks are not evaluated, exit code 2', async () => {
    const { code, report, log } = await scanAsScanner(scannerRbac());
    assert.equal(code, 2);
    assert.ok(log.some((r) => r.path === '/api/v1/secrets' && r.status === 403));
    const sources = report.errors.map((e) => e.source);
    assert.ok(sources.some((s) => /\/api\/v1\/secrets\?fieldSelector=type=/.test(s)), JSON.stringify(sources));
    // nodes/proxy refused for the first node: the others are not asked
    assert.deepEqual(sources.filter((s) => s.includes('/proxy/')).map((s) => new URL(s).pathname), ['/api/v1/nodes/cp1/proxy/configz']);
    assert.match(report.errors.find((e) => e.source.includes('/api/v1/secrets?'))!.message, /^403 Forbidden: secrets is forbidden: User "system:serviceaccount:kubeward:kubeward-scanner" cannot list resource "secrets"/);

    const blocked = report.findings.filter((f) => f.status === 'not-evaluated' && /secrets could not be read|nodes\/proxy configz/.test(f.message));
    const checks = new Set(blocked.map((f) => f.check));
    assert.ok(checks.has('bootstrap-token-secret-present'), [...checks].join(', '));
    assert.ok(blocked.some((f) => /nodes\/proxy configz/.test(f.message)), 'a kubelet check names the refused configz');
    // Checks about Secrets or kubelets alone have nothing left to pass on (multi-component checks
    // still judge the components they could see).
    const single = [...checks].filter((id) => id.startsWith('kubelet-') || id.includes('secret'));
    assert.ok(single.length >= 3, single.join(', '));
    for (const id of single) {
      const summary = report.checks.find((c) => c.id === id)!;
      assert.deepEqual([summary.pass, summary.fail], [0, 0], `${id} judged without its input`);
    }
  });

  it('without the nodes/proxy grant and with --no-kubelet-config: complete, kubelet checks not evaluated', async () => {
    const rbac = [...scannerRbac(), ...withoutBinding(scannerRbacExtras(), 'kubeward-scanner-kubelet-config')];
    const { code, report, log } = await scanAsScanner(rbac, ['--no-kubelet-config']);
    assert.deepEqual(report.errors, []);
    assert.equal(code, 0);
    assert.ok(!log.some((r) => r.path.includes('/proxy/')));
    assert.ok(report.findings.some((f) => f.status === 'not-evaluated' && f.message.includes('--no-kubelet-config')));
  });
});
