import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { itWithCorpus } from '../../testing/corpus.js';
import { REPO_ROOT } from '../../testing/index.js';

const BIN = join(REPO_ROOT, 'bin/kubeward.js');

function kubeward(...args: string[]) {
  const out = spawnSync(process.execPath, [BIN, 'podsecurity', ...args], { encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const GOOD = `apiVersion: v1
kind: Pod
metadata: {name: good, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: registry.k8s.io/pause
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

const BAD = `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostPID: true
          containers: [{name: x, image: busybox}]
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'kubeward-podsecurity-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('kubeward podsecurity', () => {
  it('exits 0 when every pod is allowed, and prints the JSON the issue specifies', () => {
    const d = dir({ 'good.yaml': GOOD });
    const r = kubeward('--level', 'restricted', '--version', 'v1.30', '--format', 'json', d);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      results: [{
        resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'good' },
        location: { file: join(d, 'good.yaml'), line: 1 },
        level: 'restricted',
        version: 'v1.30',
        allowed: true,
        violations: [],
      }],
    });
  });

  it('exits 1 on a denied template, with the controller message', () => {
    const d = dir({ 'bad.yaml': BAD });
    const r = kubeward('--level', 'baseline', '--version', 'v1.99', '--format', 'json', d);
    assert.equal(r.code, 1);
    const [result] = JSON.parse(r.stdout).results;
    assert.equal(result.resource.kind, 'CronJob');
    assert.equal(result.message, 'violates PodSecurity "baseline:v1.99": host namespaces (hostPID=true)');
    assert.deepEqual(result.violations, [{ check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostPID=true' }]);
  });

  it('reports input errors with file:line, evaluates the rest and exits 2', () => {
    const d = dir({ 'a.yaml': `${BAD}---\nkind: [oops\n` });
    const r = kubeward('--format', 'json', d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${join(d, 'a.yaml')}:1[34]: invalid YAML`));
    assert.equal(JSON.parse(r.stdout).results.length, 1);
  });

  it('rejects a bad level or version as usage errors', () => {
    assert.equal(kubeward('--level', 'strict', 'x').code, 2);
    const r = kubeward('--version', '1.30', 'x');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--version must be "latest" or "v1.x"/);
  });

  itWithCorpus('real-world', '--namespace-dry-run lists what each namespace would refuse, with its current labels', (realWorld) => {
    const r = kubeward('--namespace-dry-run', 'baseline', join(realWorld, 'flannel'), join(realWorld, 'kube-state-metrics'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /namespace "kube-flannel" \(currently enforce=privileged:latest/);
    assert.match(r.stdout, /violate the new PodSecurity enforce level "baseline:latest" \(1 of 1 workloads\)\n  DaemonSet kube-flannel-ds \(.*kube-flannel.yml:\d+\): non-default capabilities, host namespaces, hostPath volumes/);
    assert.match(r.stdout, /namespace "kube-system" .*\n  all 1 workloads would be allowed at enforce=baseline:latest/);
  });

  it('--namespace-dry-run --format json gives results and, per namespace, its current policy and refusals', () => {
    const d = dir({
      'ns.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: bogus, pod-security.kubernetes.io/warn: baseline}
---
${BAD}`,
    });
    const r = kubeward('--namespace-dry-run', 'restricted', '--version', 'v1.29', '--format', 'json', d);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.results[0].level, 'restricted');
    assert.equal(out.results[0].version, 'v1.29');
    const [shop] = out.namespaces;
    assert.equal(shop.namespace, 'shop');
    assert.equal(shop.current, 'enforce=restricted:latest, audit=privileged:latest, warn=baseline:latest');
    assert.deepEqual(shop.labelErrors, [{ key: 'pod-security.kubernetes.io/enforce', value: 'bogus', error: 'must be one of privileged, baseline, restricted' }]);
    assert.equal(shop.workloads, 1);
    assert.equal(shop.refused[0].resource.name, 'backup');
    assert.equal(shop.refused[0].reasons, 'host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
  });
});
