// Hostile node roots (issue 16): copies of a compromised node, built with real symlinks, FIFOs,
// sparse giant files and wrong-typed kubeconfigs, scanned by the real CLI in every format. Files
// outside the root hold marker strings and settings (readOnlyPort: 10255) that would show if they
// were read. Every case must end within the harness' time and memory bounds, leak no marker, exit
// 2 with an error naming the path at fault, judge nothing outside the root, and still report the
// good parts of the root.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../src/report/types.js';
import { CertFactory } from '../src/testing/certs.js';
import { hostileRun, inEveryFormat, REPORT_FORMATS } from '../src/testing/hostile.js';
import { writeFiles } from '../src/testing/cli.js';

const MARKER = 'KW-OUTSIDE-MARKER';
const TOKEN_MARKER = 'KW-TOKEN-MARKER-7f3a';
const MARKERS = [MARKER, MARKER.toLowerCase(), TOKEN_MARKER];
const NOW = '2026-06-01T00:00:00Z';

const API_SERVER = (extraFlags: string[] = []) => `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command:
    - kube-apiserver
    - --authorization-mode=AlwaysAllow
${extraFlags.map((f) => `    - ${f}\n`).join('')}`;

const KUBELET_CONFIG = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n';


function link(target: string, dir: string, path: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
}

function fifo(dir: string, path: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  execFileSync('mkfifo', [join(dir, path)]);
}

/** A sparse file of `bytes` NUL bytes: no disk used, but its size is what a reader meets. */
function sparse(dir: string, path: string, bytes: number): void {
  writeFiles(dir, { [path]: '' });
  truncateSync(join(dir, path), bytes);
}

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

/** What a good part of the root must still produce: a failure of `check` located at `file`. */
interface Expected {
  errors: { path: string; message: RegExp }[];
  findings: { check: string; file: string }[];
}

/**
 * Scans the root in every format and checks the case: bounded, no marker, exit 2, the errors
 * named in every format (by their path under the root), every location inside the root, and
 * the good parts judged.
 */
function scanHostileRoot(root: string, expected: Expected, extraArgs: string[] = []): Report {
  const runs = inEveryFormat(['scan', '--node-root', root, '--fail-on', 'none', '--now', NOW, ...extraArgs], MARKERS);
  for (const format of REPORT_FORMATS) {
    assert.equal(runs[format].status, 2, `${format}: exit code\n${runs[format].stderr}`);
    for (const e of expected.errors) assert.ok(runs[format].stdout.includes(e.path), `${format} names ${e.path}`);
  }
  const report = JSON.parse(runs.json.stdout) as Report;
  for (const e of expected.errors) {
    const named = report.errors.filter((r) => r.source === join(root, e.path));
    assert.equal(named.length, 1, `one error for ${e.path}: ${JSON.stringify(report.errors)}`);
    assert.match(named[0]!.message, e.message);
  }
  for (const f of report.findings) {
    if (f.location) assert.ok(f.location.file.startsWith(`${root}/`), `finding located outside the root: ${JSON.stringify(f)}`);
    assert.notEqual(f.resource.kind, 'Process', `a process of the scanning machine was judged: ${f.message}`);
  }
  for (const e of report.errors) assert.ok(e.source.startsWith(`${root}/`) || e.source === root, `error outside the root: ${e.source}`);
  for (const f of expected.findings) {
    assert.ok(report.findings.some((r) => r.check === f.check && r.status === 'fail' && r.location?.file === join(root, f.file)), `${f.check} still fails at ${f.file}`);
  }
  return report;
}

const APISERVER_FINDING = { check: 'apiserver-authorization-mode-insecure', file: 'etc/kubernetes/manifests/kube-apiserver.yaml' };
const KUBELET_FINDING = { check: 'kubelet-read-only-port-open', file: 'var/lib/kubelet/config.yaml' };

describe('hostile node roots', () => {
  let outside: string;
  let hostProcess: ChildProcess;

  before(async () => {
    outside = tempDir('kubeward-outside-');
    // An expired certificate, whose subject certificate-expired would print.
    const certs = await CertFactory.create();
    const cert = (await certs.ca(`${MARKER}-CERT`, { notBefore: new Date('2024-01-01T00:00:00Z'), days: 1 })).pem;
    await certs.remove();
    writeFiles(outside, {
      'etc/hostname': `${MARKER}-HOSTNAME\n`,
      'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER().replace('name: kube-apiserver,', `name: ${MARKER.toLowerCase()}-apiserver,`),
      'etc/kubernetes/admin.conf': `apiVersion: v1\nkind: Config\nclusters:\n- name: ${MARKER}-KUBECONFIG\n  cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}\n`,
      'kubelet/config.yaml': KUBELET_CONFIG,
      'kubelet/pki/kubelet.crt': cert,
      'pki/ca.crt': cert,
      'kubelet.env': `KUBELET_EXTRA_ARGS=--hostname-override=${MARKER}-ENV\n`,
    });
    // A kube-apiserver "process" of the scanning machine, for a copy whose /proc links to /proc.
    hostProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)', `--authorization-mode=AlwaysAllow,${MARKER}-PROC`], { argv0: 'kube-apiserver', stdio: 'ignore' });
  });

  after(() => {
    hostProcess.kill('SIGKILL');
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('reads paths with .. from flags and unit files inside the root (--config, --tls-cert-file, --kubeconfig, EnvironmentFile=)', () => {
    const root = tempDir('kubeward-hostile-');
    const up = '/..'.repeat(12);
    writeFiles(root, {
      'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER([`--tls-cert-file=${up}${outside}/pki/ca.crt`, `--encryption-provider-config=${up}${outside}/etc/kubernetes/admin.conf`]),
      'var/lib/kubelet/config.yaml': KUBELET_CONFIG,
      'etc/systemd/system/kubelet.service': `[Service]\nEnvironmentFile=${up}${outside}/kubelet.env\nExecStart=/usr/bin/kubelet --config=${up}${outside}/kubelet/config.yaml --kubeconfig=${up}${outside}/etc/kubernetes/admin.conf --tls-cert-file=${up}${outside}/kubelet/pki/kubelet.crt $KUBELET_EXTRA_ARGS\n`,
    });
    // The one read that is not optional: systemd refuses to start a unit whose EnvironmentFile= is missing.
    const report = scanHostileRoot(root, { errors: [{ path: `${outside.slice(1)}/kubelet.env`, message: /no such file/ }], findings: [APISERVER_FINDING] });
    assert.equal(report.findings.filter((f) => f.check === 'kubelet-read-only-port-open' && f.status === 'fail').length, 0, 'the outside kubelet config was not judged');
  });

  it('does not follow directory and file symlinks out of the root, absolute or relative', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER() });
    link(`${outside}/pki`, root, 'etc/kubernetes/pki');
    link(`${'../'.repeat(12)}${outside.slice(1)}/kubelet`, root, 'var/lib/kubelet');
    link(`${outside}/etc/kubernetes/admin.conf`, root, 'etc/kubernetes/admin.conf');
    scanHostileRoot(root, {
      errors: [
        { path: 'etc/kubernetes/pki', message: /symlink to .* not in the node root/ },
        { path: 'var/lib/kubelet', message: /symlink to .* not in the node root/ },
        { path: 'etc/kubernetes/admin.conf', message: /symlink to .* not in the node root/ },
      ],
      findings: [APISERVER_FINDING],
    });
  });

  it('does not read the machine\'s own /etc through etc -> /elsewhere', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'var/lib/kubelet/config.yaml': KUBELET_CONFIG });
    link(`${outside}/etc`, root, 'etc');
    scanHostileRoot(root, { errors: [{ path: 'etc', message: /symlink to .* not in the node root/ }], findings: [KUBELET_FINDING] });
  });

  it('never judges a process of the scanning machine through proc -> /proc', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'var/lib/kubelet/config.yaml': KUBELET_CONFIG });
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    link('/proc', root, 'proc');
    const report = scanHostileRoot(root, { errors: [{ path: 'proc', message: /symlink loop/ }], findings: [KUBELET_FINDING] });
    assert.ok(!report.findings.some((f) => f.check.startsWith('apiserver-') && f.status === 'fail'));
  });

  it('refuses FIFOs at every path it reads, without blocking', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, {
      'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER(['--encryption-provider-config=/etc/kubernetes/enc.yaml']),
      'etc/systemd/system/kubelet.service': '[Service]\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml $KUBELET_EXTRA_ARGS\n',
    });
    const fifos = ['etc/hostname', '.kubeward-stat.tsv', 'etc/passwd', 'etc/kubernetes/enc.yaml', 'etc/kubernetes/admin.conf', 'etc/kubernetes/pki/ca.crt',
      'etc/default/kubelet', 'var/lib/kubelet/config.yaml', 'etc/modprobe.d/blacklist.conf', 'proc/modules', 'proc/4242/cmdline'];
    for (const path of fifos) fifo(root, path);
    scanHostileRoot(root, { errors: fifos.map((path) => ({ path, message: /a FIFO, not a regular file/ })), findings: [APISERVER_FINDING] });
  });

  it('refuses a FIFO given as PATH (the other paths are scanned) or as --exceptions', () => {
    const dir = tempDir('kubeward-hostile-');
    fifo(dir, 'pipe.yaml');
    fifo(dir, 'folder/also-a-pipe.yaml');
    writeFiles(dir, { 'folder/pod.yaml': API_SERVER() });
    for (const format of REPORT_FORMATS) {
      const run = hostileRun(['scan', join(dir, 'pipe.yaml'), join(dir, 'folder'), '--format', format, '--fail-on', 'none'], MARKERS);
      assert.equal(run.status, 2);
      assert.ok(run.stdout.includes('pipe.yaml') && run.stdout.includes('also-a-pipe.yaml'));
      if (format === 'json') {
        const report = JSON.parse(run.stdout) as Report;
        assert.deepEqual(report.errors.map((e) => [e.source, e.message]), [
          [join(dir, 'pipe.yaml'), 'a FIFO, not a regular file; not read'],
          [join(dir, 'folder/also-a-pipe.yaml'), 'a FIFO, not a regular file; not read'],
        ]);
        assert.ok(report.findings.some((f) => f.check === 'apiserver-authorization-mode-insecure' && f.location?.file === join(dir, 'folder/pod.yaml')));
      }
    }
    const exceptions = hostileRun(['scan', join(dir, 'folder'), '--exceptions', join(dir, 'pipe.yaml')], MARKERS);
    assert.equal(exceptions.status, 2);
    assert.match(exceptions.stderr, /--exceptions .*pipe\.yaml: a FIFO, not a regular file/);
    // Every other file a flag names: a baseline report, etcd's CA, a kubeconfig.
    for (const [args, flag] of [
      [['scan', join(dir, 'folder'), '--baseline', join(dir, 'pipe.yaml')], 'baseline'],
      [['etcd', 'verify-encryption', '--endpoints', 'https://127.0.0.1:9', '--cacert', join(dir, 'pipe.yaml')], '--cacert'],
      [['scan', '--cluster', '--kubeconfig', join(dir, 'pipe.yaml')], ''],
    ] as const) {
      const run = hostileRun([...args], MARKERS);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, new RegExp(`${flag}.*pipe\\.yaml.*(FIFO|not a regular file)`), args.join(' '));
    }
  });

  it('bounds every read: giant files, through a symlink or not, are refused by size', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER() });
    sparse(root, 'big/kubelet.yaml', 200 * 1024 * 1024);
    link('/big/kubelet.yaml', root, 'var/lib/kubelet/config.yaml');
    const giants = ['etc/hostname', 'etc/passwd', 'proc/modules', '.kubeward-stat.tsv'];
    for (const path of giants) sparse(root, path, 100 * 1024 * 1024);
    scanHostileRoot(root, {
      errors: [...giants, 'var/lib/kubelet/config.yaml'].map((path) => ({ path, message: /over the \d+-byte limit; not read/ })),
      findings: [APISERVER_FINDING],
    });
  });

  it('reads a 200,000-line stat sidecar of garbage and a 1,500-deep folder tree in time, with a few errors', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER() });
    const lines = Array.from({ length: 200_000 }, (_, i) => (i === 0 ? '/etc/kubernetes/manifests\t0755\t0\t0' : `not a stat line ${i}`));
    writeFiles(root, { '.kubeward-stat.tsv': `${lines.join('\n')}\n` });
    writeFiles(root, { [`etc/kubernetes/${'d/'.repeat(1500)}deep.conf`]: 'x' });
    const runs = inEveryFormat(['scan', '--node-root', root, '--fail-on', 'none', '--now', NOW], MARKERS);
    for (const format of REPORT_FORMATS) assert.equal(runs[format].status, 2, format);
    const report = JSON.parse(runs.json.stdout) as Report;
    assert.deepEqual(report.errors.map((e) => [e.source.slice(root.length), e.line]), [
      ...Array.from({ length: 10 }, (_, i) => ['/.kubeward-stat.tsv', i + 2]),
      ['/.kubeward-stat.tsv', 12],
    ]);
    assert.equal(report.errors[10]!.message, '199989 more malformed lines from here on');
    assert.ok(report.findings.some((f) => f.check === APISERVER_FINDING.check && f.location?.file === join(root, APISERVER_FINDING.file)));
  });

  it('scans a List of 200,000 objects and a 1,500-deep folder of manifests', () => {
    const dir = tempDir('kubeward-hostile-');
    const items = Array.from({ length: 200_000 }, (_, i) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-${i}","namespace":"shop"},"data":{"k":"v"}}`);
    writeFiles(dir, { 'list.json': `{"apiVersion":"v1","kind":"List","items":[\n${items.join(',\n')}\n]}\n` });
    writeFiles(dir, { [`deep/${'d/'.repeat(1500)}pod.yaml`]: API_SERVER() });
    for (const format of REPORT_FORMATS) {
      const run = hostileRun(['scan', join(dir, 'list.json'), join(dir, 'deep'), '--format', format, '--fail-on', 'none'], MARKERS);
      assert.equal(run.status, 0, run.stderr);
      if (format === 'json') {
        const report = JSON.parse(run.stdout) as Report;
        assert.deepEqual(report.sources.map((s) => s.objects), [200_000, 1]);
        assert.ok(report.findings.some((f) => f.check === 'apiserver-authorization-mode-insecure'));
      }
    }
  });

  it('reports a file where /etc/kubernetes/manifests should be a folder', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, { 'etc/kubernetes/manifests': API_SERVER(), 'var/lib/kubelet/config.yaml': KUBELET_CONFIG });
    scanHostileRoot(root, { errors: [{ path: 'etc/kubernetes/manifests', message: /a file where the folder of static pod manifests should be/ }], findings: [KUBELET_FINDING] });
  });

  it('reports a kubeconfig whose fields have the wrong type by file and line, never its values', () => {
    const root = tempDir('kubeward-hostile-');
    writeFiles(root, {
      'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER(),
      'etc/kubernetes/admin.conf': `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user: "${TOKEN_MARKER}"\n`,
      'etc/kubernetes/kubelet.conf': `apiVersion: v1\nkind: Config\nclusters: "${TOKEN_MARKER}"\n`,
    });
    const report = scanHostileRoot(root, {
      errors: [
        { path: 'etc/kubernetes/admin.conf', message: /users\[0\]\.user must be a mapping, not a string/ },
        { path: 'etc/kubernetes/kubelet.conf', message: /clusters must be a list, not a string/ },
      ],
      findings: [APISERVER_FINDING],
    });
    assert.equal(report.errors.find((e) => e.source.endsWith('admin.conf'))!.line, 5);
  });

  it('reports an unparseable certificate once, as an input error at its line', () => {
    const root = tempDir('kubeward-hostile-');
    const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    writeFiles(root, {
      'etc/kubernetes/manifests/kube-apiserver.yaml': API_SERVER(['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--client-ca-file=/etc/kubernetes/pki/../pki/apiserver.crt']),
      'etc/kubernetes/pki/apiserver.crt': `# serving certificate\n${bad}`,
      'etc/kubernetes/admin.conf': `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.1:6443\n    certificate-authority-data: ${Buffer.from(bad).toString('base64')}\n`,
    });
    link('/etc/kubernetes/pki/apiserver.crt', root, 'var/lib/kubelet/pki/kubelet.crt');
    const report = scanHostileRoot(root, {
      errors: [
        { path: 'etc/kubernetes/pki/apiserver.crt', message: /certificate 1 of the bundle cannot be parsed/ },
        { path: 'etc/kubernetes/admin.conf', message: /clusters\[0\]\.cluster\.certificate-authority-data: certificate 1 of the bundle cannot be parsed/ },
      ],
      findings: [APISERVER_FINDING],
    });
    assert.deepEqual(report.errors.map((e) => [e.source.slice(root.length), e.line]).sort(), [['/etc/kubernetes/admin.conf', 7], ['/etc/kubernetes/pki/apiserver.crt', 2]]);
    assert.ok(!report.findings.some((f) => f.check.startsWith('certificate-') && f.status === 'not-evaluated'), 'not a not-evaluated finding');
  });
});
