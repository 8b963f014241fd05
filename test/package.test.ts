// The npm package on its own: `npm pack`, then `npm install --omit=dev` of the tarball in an
// empty folder, and the installed commands work with nothing of the repository beside them:
// no TypeScript sources, no tests, no dev dependencies. The tarball holds no tests, benchmarks
// or fixtures.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../src/testing/index.js';
import { schemaValidator } from '../src/testing/report-schema.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: default}
spec:
  containers:
  - name: shell
    image: busybox:1.36
    securityContext: {privileged: true}
`;

describe('the npm package, installed from its tarball without dev dependencies', () => {
  let work: string;
  let tarball: string;
  let files: string[];
  // The installed package's own bin, as `npx kubeward` would run it.
  const kubeward = (...args: string[]) => run(process.execPath, [join(work, 'node_modules/kubeward/bin/kubeward.js'), ...args], work);

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kubeward-package-'));
    // --ignore-scripts: `npm test` has just compiled dist/; `prepare` would compile it again
    // under the feet of the tests running beside this one.
    const pack = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT);
    assert.equal(pack.status, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed!.filename);
    files = packed!.files.map((f) => f.path);
    writeFileSync(join(work, 'package.json'), '{"name": "consumer", "version": "1.0.0", "private": true}\n');
    const install = run(NPM, ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], work);
    assert.equal(install.status, 0, install.stderr);
    writeFileSync(join(work, 'pod.yaml'), PRIVILEGED_POD);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the compiled CLI, its data and its schema, and no tests, benchmarks, fixtures or sources', () => {
    console.log(`tarball ${tarball.split('/').pop()}: ${statSync(tarball).size} bytes, ${files.length} files`);
    for (const needed of ['bin/kubeward.js', 'dist/src/cli/main.js', 'schema/report.schema.json', 'data/kubernetes-releases.json', 'deploy/scanner-rbac.yaml']) {
      assert.ok(files.includes(needed), needed);
    }
    const unwanted = files.filter((f) => /\.test\.js$|\.ts$|\.map$|^dist\/(test|bench)\/|^(test|bench|examples|src)\/|\/testing(\/|\.js$)/.test(f));
    assert.deepEqual(unwanted, []);
  });

  it('installs without dev dependencies: no TypeScript, no test libraries', () => {
    for (const dev of ['typescript', 'ajv', '@monokle/validation']) {
      assert.equal(run(process.execPath, ['-e', `require.resolve(${JSON.stringify(dev)})`], work).status, 1, `${dev} is installed`);
    }
  });

  it('npx kubeward scan: the table and exit code 1 for a high failure', () => {
    const r = run('npx', ['--no-install', 'kubeward', 'scan', 'pod.yaml'], work);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /pod-violates-baseline-pod-security/);
  });

  it('--format json validates against the schema shipped in the package', () => {
    const r = kubeward('scan', 'pod.yaml', '--format', 'json', '--fail-on', 'none');
    assert.equal(r.status, 0, r.stderr);
    const validate = schemaValidator(join(work, 'node_modules/kubeward/schema/report.schema.json'));
    const report = JSON.parse(r.stdout) as { findings: { check: string; status: string }[] };
    assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.ok(report.findings.some((f) => f.check === 'pod-violates-baseline-pod-security' && f.status === 'fail'));
  });

  it('npx kubeward explain and npx kubectl-ward (the kubectl plugin name)', () => {
    const explain = run('npx', ['--no-install', 'kubeward', 'explain', 'pod-violates-baseline-pod-security'], work);
    assert.equal(explain.status, 0, explain.stderr);
    assert.match(explain.stdout, /^### `pod-violates-baseline-pod-security`/);
    const section = run('npx', ['--no-install', 'kubeward', 'explain', 'network-access'], work);
    assert.match(section.stdout, /^# Restricting network access \(network-access\)/);
    const plugin = run('npx', ['--no-install', 'kubectl-ward', '--version'], work);
    assert.equal(plugin.status, 0, plugin.stderr);
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(plugin.stdout, `kubeward ${version}\n`);
  });
});
