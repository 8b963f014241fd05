// kubeward fix end to end, through the real CLI on real files: the example cluster (what safe and
// unsafe fixes remove, nothing introduced, the written files scan as the fix said, a second fix
// changes nothing), YAML and JSON edits that keep the untouched bytes, the files fix must never
// touch, files changed since they were read, and keys that never reach the output.

import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubeward, SHOP_DEPLOYMENT, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { planFixes, writeFixes } from '../src/fix/run.js';

const NOW = '2026-12-01T00:00:00Z';

interface FixJson {
  changes: { file: string; action: string; checks: string[]; safety: string; removed?: { kind: string; namespace?: string; name: string }[] }[];
  fixed: { check: string; section: string }[];
  remaining: { finding: { check: string }; why: string }[];
  introduced: unknown[];
}

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-fix-'));
  cpSync(join(REPO_ROOT, 'examples/insecure-cluster'), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

function failures(dir: string): number {
  const scan = kubeward(['scan', dir, '--format', 'json', '--now', NOW]);
  const report = JSON.parse(scan.stdout) as { findings: { status: string }[]; errors: unknown[] };
  assert.deepEqual(report.errors, []);
  return report.findings.filter((f) => f.status === 'fail').length;
}

describe('kubeward fix on examples/insecure-cluster (a copy)', () => {
  for (const [mode, flags, floor] of [['safe fixes', [], 80], ['with --unsafe-fixes', ['--unsafe-fixes'], 151]] as const) {
    it(`${mode}: removes at least ${floor} of the failing findings, introduces none, and a second fix changes nothing`, () => {
      const dir = copyExample();
      try {
        const before = failures(dir);
        const run = kubeward(['fix', dir, '--write', '--format', 'json', '--now', NOW, '--fail-on', 'none', ...flags]);
        assert.equal(run.status, 0, run.stderr);
        const outcome = JSON.parse(run.stdout) as FixJson;
        assert.deepEqual(outcome.introduced, []);
        assert.ok(outcome.fixed.length >= floor, `fixed ${outcome.fixed.length} of ${before}`);
        assert.equal(outcome.fixed.length + outcome.remaining.length, before);
        if (flags.length === 0) assert.ok(outcome.changes.every((c) => c.safety === 'safe'));
        // The written files scan exactly as the fix's re-scan said.
        assert.equal(failures(dir), outcome.remaining.length);
        const again = JSON.parse(kubeward(['fix', dir, '--format', 'json', '--now', NOW, '--fail-on', 'none', ...flags]).stdout) as FixJson;
        assert.deepEqual(again.changes, []);
        assert.deepEqual(again.fixed, []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('dry run: prints a diff, changes no file, and exits 1 while high findings remain', () => {
    const dir = copyExample();
    try {
      const before = readFileSync(join(dir, 'node-root/var/lib/kubelet/config.yaml'), 'utf8');
      const run = kubeward(['fix', dir, '--now', NOW]);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /^--- a\/.*var\/lib\/kubelet\/config\.yaml$/m);
      assert.match(run.stdout, /^-readOnlyPort: 10255$/m);
      assert.match(run.stdout, /^\+readOnlyPort: 0$/m);
      assert.match(run.stdout, /^old mode 100644\nnew mode 100600$/m);
      assert.match(run.stdout, /^Would change \d+ files/m);
      assert.equal(readFileSync(join(dir, 'node-root/var/lib/kubelet/config.yaml'), 'utf8'), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the generated encryption key and the existing ones never reach the output', () => {
    const dir = copyExample();
    try {
      const file = join(dir, 'node-root/etc/kubernetes/encryption-config.yaml');
      const oldKey = /secret: (\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
      const run = kubeward(['fix', dir, '--write', '--only', 'secrets-encryption', '--now', NOW, '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      const written = readFileSync(file, 'utf8');
      const newKey = /name: kubeward-\d+\n\s+secret: (\S+)/.exec(written)![1]!;
      assert.equal(Buffer.from(newKey, 'base64').length, 32);
      assert.ok(written.includes(oldKey), 'the old key stays, so what it encrypted stays readable');
      assert.ok(!run.stdout.includes(newKey) && !run.stdout.includes(oldKey));
      assert.match(run.stdout, /secret: <generated 32-byte key>/);
      assert.match(run.stdout, /kubectl get secrets,configmaps -A -o json \| kubectl replace -f -/);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubeward fix: what it edits and what it leaves', () => {
  it('YAML: comments, quoting, key order and the other documents stay byte for byte', () => {
    const other = `# the team's config\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata:\n  greeting: 'hello'   # single-quoted on purpose\n`;
    const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop   # the shop team\n  labels:\n    team: "shop"\n`;
    const { dir, cleanup } = tempTree({ 'all.yaml': `${other}---\n${namespace}` });
    try {
      const run = kubeward(['fix', dir, '--write', '--only', 'namespace-without-pod-security-enforcement', '--now', NOW, '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      const text = readFileSync(join(dir, 'all.yaml'), 'utf8');
      assert.ok(text.startsWith(`${other}---\n`), text);
      assert.match(text, /name: shop # the shop team/);
      assert.match(text, /team: "shop"\n    pod-security\.kubernetes\.io\/enforce: restricted\n/);
    } finally {
      cleanup();
    }
  });

  it('JSON Lists stay JSON: only the edited item changes, with the file\'s indentation', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' }, data: { k: '<&>' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      ],
    };
    const text = `${JSON.stringify(list, null, 4)}\n`;
    const { dir, cleanup } = tempTree({ 'dump.json': text });
    try {
      assert.equal(kubeward(['fix', dir, '--write', '--only', 'pod-privileges', '--now', NOW, '--fail-on', 'none']).status, 0);
      const after = readFileSync(join(dir, 'dump.json'), 'utf8');
      const parsed = JSON.parse(after) as typeof list & { items: { metadata: { labels?: Record<string, string> } }[] };
      assert.equal(parsed.items[1]!.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
      const firstItem = text.slice(0, text.indexOf('        {\n            "apiVersion": "v1",\n            "kind": "Namespace"'));
      assert.ok(after.startsWith(firstItem), 'everything before the edited item is unchanged');
      assert.ok(after.endsWith('\n    ]\n}\n'));
    } finally {
      cleanup();
    }
  });

  it('CRLF line ends and a byte-order mark stay: untouched lines keep their bytes, in YAML and JSON', () => {
    const pod = (name: string) => `apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: ${name}\r\n  namespace: shop\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n    securityContext: {privileged: true}\r\n`;
    const untouched = '---\r\n# kept as it is\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: settings, namespace: shop}\r\n';
    const json = `\uFEFF${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }] } }] }, null, 4).replace(/\n/g, '\r\n')}\r\n`;
    const { dir, cleanup } = tempTree({ 'crlf.yaml': `${pod('a')}${untouched}`, 'bom.yaml': `\uFEFF${pod('b')}`, 'bom.json': json });
    try {
      const run = kubeward(['fix', dir, '--write', '--unsafe-fixes', '--only', 'pod-violates-baseline-pod-security', '--now', NOW, '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      for (const file of ['crlf.yaml', 'bom.yaml', 'bom.json']) {
        const after = readFileSync(join(dir, file), 'utf8');
        assert.doesNotMatch(after, /privileged/, `${file} is fixed`);
        assert.doesNotMatch(after, /(?:^|[^\r])\n/, `${file} keeps CRLF on every line`);
        assert.equal(after.startsWith('\uFEFF'), file !== 'crlf.yaml', `${file}'s byte-order mark`);
      }
      assert.ok(readFileSync(join(dir, 'crlf.yaml'), 'utf8').endsWith(untouched), 'the untouched document keeps its bytes');
      const again = kubeward(['fix', dir, '--unsafe-fixes', '--only', 'pod-violates-baseline-pod-security', '--now', NOW, '--fail-on', 'none']);
      assert.match(again.stdout, /^Would change 0 files/m);
    } finally {
      cleanup();
    }
  });

  it('a cluster dump whose diff runs to hundreds of thousands of lines prints it whole', () => {
    // Each pod's token mount is turned off: one hunk of the diff for each of 20,000 pods.
    const pods = Array.from({ length: 20_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }));
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } };
    const { dir, cleanup } = tempTree({ 'dump.json': `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [account, ...pods] }, null, 4)}\n` });
    try {
      const run = kubeward(['fix', dir, '--only', 'service-account-token-automounted', '--now', NOW, '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.stdout.split('\n').length > 150_000, `${run.stdout.split('\n').length} lines`);
      assert.equal((run.stdout.match(/^\+ +"automountServiceAccountToken": false,?$/gm) ?? []).length, 20_000);
      assert.match(run.stdout, /^Would change 1 file \(1 safe, 0 unsafe\)\.$/m);
    } finally {
      cleanup();
    }
  });

  it('never touches Helm templates or files that do not parse, and exits 2', () => {
    const helm = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .Release.Namespace }}\n`;
    const broken = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: [unclosed\n`;
    const { dir, cleanup } = tempTree({ 'chart.yaml': helm, 'broken.yaml': broken, 'shop.yaml': SHOP_DEPLOYMENT });
    try {
      const run = kubeward(['fix', dir, '--write', '--unsafe-fixes', '--now', NOW]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /chart\.yaml/);
      assert.match(run.stderr, /broken\.yaml:\d+/);
      assert.equal(readFileSync(join(dir, 'chart.yaml'), 'utf8'), helm);
      assert.equal(readFileSync(join(dir, 'broken.yaml'), 'utf8'), broken);
      // The rest of the input is still fixed.
      assert.match(readFileSync(join(dir, 'shop.yaml'), 'utf8'), /runAsNonRoot: true/);
    } finally {
      cleanup();
    }
  });

  it('a file changed since it was read is not written; writes keep the file mode', async () => {
    const { dir, cleanup } = tempTree({ 'shop.yaml': SHOP_DEPLOYMENT });
    try {
      const file = join(dir, 'shop.yaml');
      const { chmodSync } = await import('node:fs');
      chmodSync(file, 0o640);
      const outcome = await planFixes({ paths: [dir], unsafe: true, now: new Date(NOW) });
      assert.ok(outcome.changes.some((c) => c.file === file));
      writeFileSync(file, `${SHOP_DEPLOYMENT}# edited by someone else\n`);
      const refused = await writeFixes(outcome.changes);
      assert.deepEqual(refused.map((r) => r.source), [file]);
      assert.match(refused[0]!.message, /changed since it was read/);
      assert.match(readFileSync(file, 'utf8'), /# edited by someone else\n$/);
      const fresh = await planFixes({ paths: [dir], unsafe: true, now: new Date(NOW) });
      assert.deepEqual(await writeFixes(fresh.changes), []);
      assert.equal(statSync(file).mode & 0o777, 0o640);
      assert.match(readFileSync(file, 'utf8'), /allowPrivilegeEscalation: false/);
    } finally {
      cleanup();
    }
  });

  it('symbolic links: a manifest is written through its link; a node file only inside its node root', () => {
    const kubelet = (port: number) => `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: ${port}\nauthentication:\n  anonymous: {enabled: false}\n  webhook: {enabled: true}\nauthorization: {mode: Webhook}\n`;
    const { dir, cleanup } = tempTree({
      'real/shop.yaml': SHOP_DEPLOYMENT,
      'inside/etc/kubernetes/kubelet.yaml': kubelet(10255),
      'outside/etc/kubernetes/kubelet.yaml': kubelet(10255),
      // A file of this machine, which a copied node's absolute link could name.
      'machine/kubelet.yaml': kubelet(10255),
    });
    try {
      mkdirSync(join(dir, 'manifests'));
      symlinkSync('../real/shop.yaml', join(dir, 'manifests/shop.yaml'));
      mkdirSync(join(dir, 'inside/var/lib/kubelet'), { recursive: true });
      symlinkSync('../../../etc/kubernetes/kubelet.yaml', join(dir, 'inside/var/lib/kubelet/config.yaml'));
      // An absolute link: the node's own path, which the scan reads under the root, and which on
      // this machine names machine/kubelet.yaml.
      mkdirSync(join(dir, 'outside/var/lib/kubelet'), { recursive: true });
      symlinkSync(join(dir, 'machine/kubelet.yaml'), join(dir, 'outside/var/lib/kubelet/config.yaml'));
      mkdirSync(join(dir, 'outside', dir, 'machine'), { recursive: true });
      writeFileSync(join(dir, 'outside', dir, 'machine/kubelet.yaml'), kubelet(10255));
      const run = kubeward(['fix', join(dir, 'manifests'), '--node-root', join(dir, 'inside'), '--node-root', join(dir, 'outside'), '--write', '--only', 'pod-violates-restricted-pod-security', '--only', 'kubelet-read-only-port-open', '--unsafe-fixes', '--now', NOW, '--fail-on', 'none']);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /outside\/var\/lib\/kubelet\/config\.yaml: could not be read inside its node root; not changed/);
      assert.ok(lstatSync(join(dir, 'manifests/shop.yaml')).isSymbolicLink(), 'the manifest link stays a link');
      assert.match(readFileSync(join(dir, 'real/shop.yaml'), 'utf8'), /allowPrivilegeEscalation: false/);
      assert.ok(lstatSync(join(dir, 'inside/var/lib/kubelet/config.yaml')).isSymbolicLink(), 'the node link stays a link');
      assert.match(readFileSync(join(dir, 'inside/etc/kubernetes/kubelet.yaml'), 'utf8'), /^readOnlyPort: 0$/m);
      assert.equal(readFileSync(join(dir, 'machine/kubelet.yaml'), 'utf8'), kubelet(10255), 'a file out of the node root is never written');
      assert.equal(readFileSync(join(dir, 'outside', dir, 'machine/kubelet.yaml'), 'utf8'), kubelet(10255));
      assert.ok(lstatSync(join(dir, 'outside/var/lib/kubelet/config.yaml')).isSymbolicLink());
    } finally {
      cleanup();
    }
  });

  it('bad usage is exit 2 with a message, never a stack trace', () => {
    assert.equal(kubeward(['fix']).status, 2);
    const only = kubeward(['fix', '.', '--only', 'no-such-check']);
    assert.equal(only.status, 2);
    assert.match(only.stderr, /no such check or section/);
    assert.equal(kubeward(['fix', '-']).status, 2);
  });
});

describe('kubeward fix --cluster -o DIR', () => {
  it('writes a bundle (objects to apply and a README of the order) and sends the cluster nothing but reads', async () => {
    const { startTestApiServer } = await import('../src/testing/apiserver/index.js');
    const { kubeward: kubewardAsync } = await import('../src/testing/apiserver/cli.js');
    const { kubeadmCluster } = await import('../src/testing/apiserver/fixtures.js');
    const server = await startTestApiServer(kubeadmCluster());
    const dir = mkdtempSync(join(tmpdir(), 'kubeward-fix-cluster-'));
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await server.writeKubeconfig(kubeconfig, { cert: await server.clientCert('kubernetes-admin', 'system:masters') }, 'kind-test');
      const bundle = join(dir, 'bundle');
      const run = await kubewardAsync(['fix', '--cluster', '--kubeconfig', kubeconfig, '-o', bundle, '--unsafe-fixes', '--format', 'json', '--now', NOW, '--fail-on', 'none', '--no-progress']);
      assert.equal(run.code, 0, run.stderr);
      const outcome = JSON.parse(run.stdout) as FixJson;
      assert.deepEqual(outcome.introduced, []);
      assert.ok(outcome.fixed.length > 0);
      const readme = readFileSync(join(bundle, 'README.md'), 'utf8');
      assert.match(readme, /Nothing was changed in the cluster/);
      for (const change of outcome.changes) {
        // Objects to delete (legacy token Secrets) are kubectl delete commands of the README, not files.
        if (change.action === 'delete') {
          for (const ref of change.removed!) assert.match(readme, new RegExp(`kubectl delete ${ref.kind.toLowerCase()} ${ref.name}`));
          continue;
        }
        assert.ok(change.file.startsWith(bundle), change.file);
        assert.match(readme, new RegExp(`kubectl apply -f ${change.file.slice(bundle.length + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        readFileSync(change.file, 'utf8');
      }
      assert.deepEqual(server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), []);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
