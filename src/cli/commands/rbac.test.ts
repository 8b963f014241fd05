// kubeward rbac and kubeward review end to end: the real binary on real files.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { itWithCorpus } from '../../testing/corpus.js';
import { REPO_ROOT } from '../../testing/index.js';

const exec = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin/kubeward.js');

async function kubeward(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kubeward-rbac-'));
const CLUSTER = join(dir, 'cluster.yaml');
writeFileSync(CLUSTER, `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: apps}
rules: [{apiGroups: [apps], resources: [deployments, deployments/scale], verbs: [create, get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-deploys, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects: [{kind: User, name: dev}, {kind: ServiceAccount, name: ci}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reporter, namespace: apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: reporter-reads-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: reporter, namespace: apps}]
`);

describe('kubeward rbac', () => {
  it('who-can --format json has the documented shape', async () => {
    const { code, stdout } = await kubeward('rbac', 'who-can', 'create', 'deployments', '--api-group', 'apps', '-n', 'apps', '--format', 'json', CLUSTER);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      subjects: [
        { kind: 'Group', name: 'system:masters', bypass: true, via: [] },
        { kind: 'User', name: 'dev', via: [{ binding: { kind: 'RoleBinding', name: 'dev-deploys', namespace: 'apps' }, role: { kind: 'Role', name: 'deployer' } }] },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'apps', via: [{ binding: { kind: 'RoleBinding', name: 'dev-deploys', namespace: 'apps' }, role: { kind: 'Role', name: 'deployer' } }] },
      ],
    });
  });
  it('who-can without -n: only ClusterRoleBindings apply; resource.group and subresources', async () => {
    const all = JSON.parse((await kubeward('rbac', 'who-can', 'list', 'secrets', '--format', 'json', CLUSTER)).stdout);
    assert.deepEqual(all.subjects.map((s: { name: string }) => s.name), ['system:masters', 'reporter']);
    const scale = JSON.parse((await kubeward('rbac', 'who-can', 'get', 'deployments.apps/scale', '-n', 'apps', '--format', 'json', CLUSTER)).stdout);
    assert.deepEqual(scale.subjects.map((s: { name: string }) => s.name), ['system:masters', 'dev', 'ci']);
    const status = JSON.parse((await kubeward('rbac', 'who-can', 'get', 'deployments.apps/status', '-n', 'apps', '--format', 'json', CLUSTER)).stdout);
    assert.deepEqual(status.subjects.map((s: { name: string }) => s.name), ['system:masters']);
  });
  it('who-can --non-resource-url takes no RESOURCE', async () => {
    const out = JSON.parse((await kubeward('rbac', 'who-can', 'get', '--non-resource-url', '/version', '--format', 'json', CLUSTER)).stdout);
    assert.ok(out.subjects.some((s: { name: string }) => s.name === 'system:unauthenticated'));
  });
  it('can: yes with the binding and rule, no with exit code 1', async () => {
    const yes = await kubeward('rbac', 'can', 'sa:apps/ci', 'create', 'deployments.apps', '-n', 'apps', CLUSTER);
    assert.equal(yes.code, 0);
    assert.match(yes.stdout, /^yes\n  RoleBinding apps\/dev-deploys -> Role deployer rule\[0\]/);
    const no = await kubeward('rbac', 'can', 'user:dev', 'create', 'pods', '-n', 'apps', CLUSTER);
    assert.equal(no.code, 1);
    assert.equal(no.stdout, 'no\n');
  });
  it('permissions: compacted, cluster-wide then per namespace', async () => {
    const { stdout } = await kubeward('rbac', 'permissions', 'user:dev', '--format', 'json', CLUSTER);
    const out = JSON.parse(stdout);
    assert.deepEqual(out.permissions.map((p: { namespace: string }) => p.namespace), ['', 'apps']);
    assert.deepEqual(out.permissions[1].rules, [{ verbs: ['create', 'get'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], resourceNames: [], nonResourceURLs: [] }]);
  });
  it('paths: the Deployment creator reaches cluster-admin through the reporter account', async () => {
    const text = await kubeward('rbac', 'paths', '--from', 'user:dev', CLUSTER);
    assert.match(text.stdout, /^User dev => cluster-admin \(4 steps\)/);
    assert.match(text.stdout, /because ClusterRoleBinding reporter-reads-secrets -> ClusterRole secret-reader rule\[0\]/);
    const json = JSON.parse((await kubeward('rbac', 'paths', '--to', 'secrets', '--format', 'json', CLUSTER)).stdout);
    assert.deepEqual(json.paths.map((p: { subject: { name: string } }) => p.subject.name), ['dev', 'ci', 'reporter']);
    assert.match((await kubeward('rbac', 'paths', '--format', 'mermaid', CLUSTER)).stdout, /^flowchart LR\n/);
    assert.match((await kubeward('rbac', 'paths', '--format', 'dot', CLUSTER)).stdout, /^digraph escalation \{/);
  });
  it('usage errors exit 2', async () => {
    assert.equal((await kubeward('rbac', 'can', 'alice', 'get', 'pods', CLUSTER)).code, 2);
    assert.equal((await kubeward('rbac', 'who-can', 'get', 'pods')).code, 2);
    assert.equal((await kubeward('rbac', 'paths', '--to', 'everything', CLUSTER)).code, 2);
  });
  it('an unreadable input is reported and exits 2, the rest is still answered', async () => {
    const r = await kubeward('rbac', 'who-can', 'list', 'secrets', CLUSTER, join(dir, 'missing.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.yaml: no such file or directory/);
    assert.match(r.stdout, /ServiceAccount apps\/reporter/);
  });
});

describe('kubeward review', () => {
  itWithCorpus('real-world', 'reviews argo-cd: critical, JSON', async (realWorld) => {
    const { code, stdout } = await kubeward('review', '-n', 'argocd', '--format', 'json', join(realWorld, 'argo-cd'));
    assert.equal(code, 0);
    const review = JSON.parse(stdout);
    assert.equal(review.risk, 'critical');
    assert.equal(review.serviceAccounts.length, 7);
  });
});
