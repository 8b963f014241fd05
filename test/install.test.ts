// kubeward install: its output passes kubeward's own scan with the exceptions it ships, grants no
// path to cluster-admin, deploy/kustomize is its current output, and the Dockerfile has the
// shape the manifests rely on (numeric non-root user, kubeward as entrypoint).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { K8sObject } from '../src/inventory/types.js';
import { IMAGE_UID } from '../src/incluster/manifests.js';
import type { Report } from '../src/report/types.js';
import { kubeward, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { yamlLibrary } from '../src/yaml.js';

const NOW = '2026-06-01T00:00:00Z';
const objectsOf = (yaml: string) => yamlLibrary().parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject).filter(Boolean);

function install(args: string[]): { yaml: string; objects: K8sObject[]; exceptions: string } {
  const result = kubeward(['install', ...args]);
  assert.equal(result.status, 0, result.stderr);
  const objects = objectsOf(result.stdout);
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'kubeward-exceptions');
  return { yaml: result.stdout, objects, exceptions: (configMap?.data as Record<string, string>)['exceptions.yaml']! };
}

describe('kubeward install', () => {
  for (const args of [['--nodes'], ['--nodes', '--webhook', '--namespace', 'security', '--report-api', 'openreports']]) {
    it(`${args.join(' ')}: its own scan, with the exceptions it ships, has no failure at medium or above`, () => {
      const { yaml, exceptions } = install(args);
      const { dir, cleanup } = tempTree({ 'install.yaml': yaml, 'exceptions.yaml': exceptions });
      try {
        const result = kubeward(['scan', join(dir, 'install.yaml'), '--exceptions', join(dir, 'exceptions.yaml'), '--format', 'json', '--fail-on', 'medium', '--now', NOW]);
        const report = JSON.parse(result.stdout) as Report;
        assert.deepEqual(report.errors, []);
        assert.deepEqual(report.findings.filter((f) => f.status === 'fail').map((f) => `${f.severity} ${f.check} ${f.resource.kind}/${f.resource.name}`).filter((f) => !/^(low|info) /.test(f)), []);
        assert.equal(result.status, 0);
        // The exceptions are for the node agent's namespace and the tool's own tokens, nothing else.
        const excepted = report.findings.filter((f) => f.status === 'excepted');
        assert.ok(excepted.length > 0 && excepted.every((f) => /^kubeward-(node|scan)$|-node$/.test(f.resource.name)), excepted.map((f) => f.resource.name).join(' '));
      } finally {
        cleanup();
      }
    });
  }

  it('review shows no path to cluster-admin for any of its ServiceAccounts', () => {
    const { yaml } = install(['--nodes', '--webhook']);
    const result = kubeward(['review', '--format', 'json', '-'], { input: yaml });
    assert.equal(result.status, 0, result.stderr);
    const review = JSON.parse(result.stdout) as { serviceAccounts: { serviceAccount: unknown; escalation: unknown[] }[] };
    assert.ok(review.serviceAccounts.length >= 3);
    assert.deepEqual(review.serviceAccounts.filter((s) => s.escalation.length > 0), []);
  });

  it('the scanner CronJob: Forbid, a deadline, history limits, resources, restricted security context', () => {
    const { objects } = install([]);
    const cron = objects.find((o) => o.kind === 'CronJob') as { spec: Record<string, any> };
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.ok(cron.spec.jobTemplate.spec.activeDeadlineSeconds > 0);
    assert.equal(cron.spec.successfulJobsHistoryLimit, 1);
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];
    assert.deepEqual(container.args.slice(0, 2), ['scan', '--cluster']);
    assert.ok(container.args.includes('--report-to-cluster'));
    assert.match(container.resources.limits.memory, /^\d+(Mi|Gi)$/);
    assert.equal(pod.securityContext.runAsUser, IMAGE_UID);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    // Without --nodes there is no node agent and no privileged namespace.
    assert.ok(!objects.some((o) => o.kind === 'DaemonSet' || o.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged'));
    const namespace = objects.find((o) => o.kind === 'Namespace')!;
    assert.equal(namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  it('the node agent: every node, read-only host mounts, no host namespaces', () => {
    const { objects } = install(['--nodes']);
    const ds = objects.find((o) => o.kind === 'DaemonSet') as { spec: { template: { spec: Record<string, any> } } };
    const pod = ds.spec.template.spec;
    assert.ok(pod.tolerations.some((t: { key: string }) => t.key === 'node-role.kubernetes.io/control-plane'));
    assert.ok(!pod.hostPID && !pod.hostNetwork && !pod.hostIPC);
    const container = pod.containers[0];
    assert.ok(container.volumeMounts.every((m: { readOnly: boolean }) => m.readOnly === true));
    assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'], add: ['DAC_READ_SEARCH'] });
    assert.equal(container.securityContext.privileged, undefined);
    assert.deepEqual(container.args.slice(0, 3), ['node', '--root', '/host']);
  });

  it('the node agent\'s loop: kubeward node --interval scans again until stopped; an interval under a minute is refused', async () => {
    assert.match(kubeward(['node', '--interval', '10s']).stderr, /--interval must be a duration of at least a minute/);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), 'node', '--root', join(REPO_ROOT, 'examples/insecure-cluster/node-root'), '--interval', '1m', '--format', 'json', '--fail-on', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const stderr = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (c: Buffer) => {
          text += c.toString();
          if (/round done/.test(text)) resolve(text);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code} before the first round was done: ${text}`)));
      });
      assert.match(stderr, /kubeward node: round done \(exit code 0\); next in 1m/);
      assert.equal((JSON.parse(stdout) as Report).kind, 'ScanReport');
      assert.equal(child.exitCode, null, 'still running, waiting for the next round');
    } finally {
      child.kill();
    }
  });

  it('refuses a namespace that is not a DNS label', () => {
    const result = kubeward(['install', '--namespace', 'Not_Valid']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--namespace must be a DNS label/);
  });

  it('deploy/kustomize is the current output of npm run deploy', () => {
    const { dir, cleanup } = tempTree({});
    try {
      const result = kubeward(['install', '--nodes', '--write', dir]);
      assert.equal(result.status, 0, result.stderr);
      const deployed = join(REPO_ROOT, 'deploy/kustomize');
      assert.deepEqual(readdirSync(deployed).sort(), readdirSync(dir).sort());
      for (const file of readdirSync(dir)) {
        assert.equal(readFileSync(join(deployed, file), 'utf8'), readFileSync(join(dir, file), 'utf8'), `deploy/kustomize/${file} is stale: run npm run deploy`);
      }
    } finally {
      cleanup();
    }
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('is multi-stage, on a pinned Node 20 base', () => {
    const bases = lines.filter((l) => /^FROM /i.test(l)).map((l) => l.split(/\s+/)[1]!);
    assert.ok(bases.length >= 2, 'a build stage and a runtime stage');
    for (const base of bases) {
      assert.match(base, /@sha256:[0-9a-f]{64}$|:[0-9][\w.-]*$/, `${base} is pinned by digest or version tag`);
      assert.doesNotMatch(base, /:latest\b/);
    }
    assert.ok(bases.every((b) => /node.*20|nodejs20/.test(b)), bases.join(' '));
  });

  it('runs as the numeric non-root user the manifests name, with kubeward as entrypoint', () => {
    const users = lines.filter((l) => /^USER /i.test(l));
    assert.equal(users.at(-1), `USER ${IMAGE_UID}:${IMAGE_UID}`);
    assert.match(lines.filter((l) => /^ENTRYPOINT /i.test(l)).at(-1)!, /kubeward/);
  });

  it('carries no secrets', () => {
    assert.doesNotMatch(text, /^\s*(ENV|ARG)\s+\S*(TOKEN|SECRET|PASSWORD|KEY)\S*/im);
    assert.doesNotMatch(text, /\.npmrc|id_rsa|\.kube\/config/);
  });
});
