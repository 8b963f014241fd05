import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fieldLineOf } from '../inventory/field-lines.js';
import { runScan } from '../scan/run.js';
import { writeFiles } from '../testing/cli.js';
import { describeWithCorpus } from '../testing/corpus.js';
import { parseDocuments } from './documents.js';
import { loadPaths } from './files.js';
import { collapseMirrorPods, readNodeRoot } from './node-root.js';
import { emptyLoadResult } from './types.js';

/** Writes a file under a root with a real mode. */
const put = (root: string, path: string, text: string, mode = 0o644) => writeFiles(root, { [path]: text }, mode);

function certificate(dir: string, name: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { cert: execFileSync('cat', [cert]).toString(), key: execFileSync('cat', [key]).toString() };
}

const API_SERVER = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
    - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
    - --admission-control-config-file=/etc/kubernetes/admission.yaml
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
`;

const ETCD = `apiVersion: v1
kind: Pod
metadata: {name: etcd, namespace: kube-system, labels: {component: etcd}}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.12-0
    command: [etcd, --data-dir=/var/lib/etcd, --config-file=/etc/etcd/etcd.yaml]
`;

const KUBELET_UNIT = `[Unit]
Description=kubelet

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
`;

const KUBEADM_DROP_IN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml --config-dir=/var/lib/kubelet/config.d"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

describe('readNodeRoot', () => {
  let root: string;
  let apiserverCert: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubeward-node-'));
    await put(root, '/etc/hostname', 'cp1\n');
    await put(root, '/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\netcd:x:998:998::/var/lib/etcd:/bin/false\n');
    await put(root, '/etc/kubernetes/manifests/kube-apiserver.yaml', API_SERVER, 0o600);
    await put(root, '/etc/kubernetes/manifests/etcd.yaml', ETCD, 0o600);
    await put(root, '/etc/etcd/etcd.yaml', 'data-dir: /var/lib/etcd\nclient-transport-security:\n  client-cert-auth: true\n  cert-file: /etc/kubernetes/pki/etcd/server.crt\n');
    await put(root, '/etc/kubernetes/audit/policy.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n', 0o600);
    await put(root, '/etc/kubernetes/admission.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: /etc/kubernetes/pod-security.yaml\n', 0o600);
    await put(root, '/etc/kubernetes/pod-security.yaml', 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\n', 0o600);
    await put(root, '/etc/kubernetes/admin.conf', `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster: {server: "https://10.0.0.10:6443", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {client-key-data: U0VDUkVUS0VZ, token: s3cr3t-t0ken}
`, 0o644);
    await mkdir(join(root, 'etc/kubernetes/pki/etcd'), { recursive: true });
    apiserverCert = certificate(join(root, 'etc/kubernetes/pki'), 'apiserver').cert;
    await chmod(join(root, 'etc/kubernetes/pki/apiserver.key'), 0o600);
    const kubeletPair = certificate(root, 'kubelet-client');
    await put(root, '/var/lib/kubelet/pki/kubelet-client-2026-01-01.pem', kubeletPair.cert + kubeletPair.key, 0o600);
    // An absolute link, as the kubelet makes it: in a copy it must resolve under the root.
    await symlink('/var/lib/kubelet/pki/kubelet-client-2026-01-01.pem', join(root, 'var/lib/kubelet/pki/kubelet-client-current.pem'));
    await put(root, '/usr/lib/systemd/system/kubelet.service', KUBELET_UNIT);
    await put(root, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', KUBEADM_DROP_IN);
    await put(root, '/var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n');
    await put(root, '/etc/default/kubelet', 'KUBELET_EXTRA_ARGS="--read-only-port=10255 --tls-cert-file=/var/lib/kubelet/pki/kubelet-client-current.pem"\n');
    await put(root, '/var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nreadOnlyPort: 0\n', 0o600);
    await put(root, '/var/lib/kubelet/config.d/50-local.conf', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: AlwaysAllow\n', 0o600);
    await put(root, '/etc/modprobe.d/blacklist.conf', '# hardening\nblacklist dccp\ninstall sctp /bin/true\n');
    await put(root, '/lib/modprobe.d/blacklist.conf', 'install dccp /sbin/modprobe --ignore-install dccp\n');
    await put(root, '/proc/modules', 'overlay 151552 0 - Live 0x0\nsctp 434176 2 - Live 0x0\n');
    await put(root, '/proc/42/cmdline', 'kube-apiserver\u0000--authorization-mode=AlwaysAllow\u0000');
    await put(root, '/proc/77/cmdline', '/usr/local/bin/kube-scheduler\u0000--bind-address=0.0.0.0\u0000');
    await put(root, '/proc/88/cmdline', 'bash\u0000');
    await mkdir(join(root, 'var/lib/etcd'), { recursive: true });
    await chmod(join(root, 'var/lib/etcd'), 0o755);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads manifests, kubeconfigs and the files the flags name, located under the root', async () => {
    const result = await readNodeRoot(root);
    assert.deepEqual(result.errors, []);
    const kinds = result.items.map((i) => `${i.ref.kind} ${i.location.file.slice(root.length)}`).sort();
    assert.deepEqual(kinds, [
      'AdmissionConfiguration /etc/kubernetes/admission.yaml',
      'Config /etc/kubernetes/admin.conf',
      'KubeletConfiguration /var/lib/kubelet/config.d/50-local.conf',
      'KubeletConfiguration /var/lib/kubelet/config.yaml',
      'Pod /etc/kubernetes/manifests/etcd.yaml',
      'Pod /etc/kubernetes/manifests/kube-apiserver.yaml',
      'PodSecurityConfiguration /etc/kubernetes/pod-security.yaml',
      'Policy /etc/kubernetes/audit/policy.yaml',
    ]);
    assert.equal(result.sources[0]?.type, 'node');
    const kubeletConfig = result.items.find((i) => i.location.file.endsWith('/var/lib/kubelet/config.yaml'))!;
    assert.equal(fieldLineOf(kubeletConfig.object, 'readOnlyPort'), 6);
  });

  it('never keeps kubeconfig credentials or private keys', async () => {
    const result = await readNodeRoot(root);
    const admin = result.items.find((i) => i.ref.kind === 'Config')!;
    const text = JSON.stringify(admin.object);
    assert.ok(!text.includes('s3cr3t-t0ken') && !text.includes('U0VDUkVUS0VZ'));
    const host = result.hosts[0]!;
    assert.ok(host.certificates.every((c) => !c.pem.includes('PRIVATE KEY')));
    const paths = host.certificates.map((c) => c.path).sort();
    // --tls-cert-file names kubelet-client-current.pem, a link resolved under the root to the
    // dated file, which is read (and judged) once.
    assert.deepEqual(paths, ['/etc/kubernetes/pki/apiserver.crt', '/var/lib/kubelet/pki/kubelet-client-2026-01-01.pem']);
    assert.deepEqual(result.errors, []);
    assert.equal(host.certificates.find((c) => c.path.endsWith('apiserver.crt'))!.pem.trim(), apiserverCert.trim());
  });

  it('records real modes and owners with lstat', async () => {
    const host = (await readNodeRoot(root)).hosts[0]!;
    const mode = (path: string) => host.files.find((f) => f.path === path)?.mode;
    assert.equal(mode('/etc/kubernetes/manifests/kube-apiserver.yaml'), 0o600);
    assert.equal(mode('/etc/kubernetes/admin.conf'), 0o644);
    assert.equal(mode('/var/lib/etcd'), 0o755);
    assert.equal(host.files.find((f) => f.path === '/var/lib/etcd')?.type, 'directory');
    assert.equal(host.files.find((f) => f.path === '/etc/kubernetes/admin.conf')?.uid, process.getuid!());
    assert.equal(host.users?.etcd, 998);
    assert.equal(host.name, 'cp1');
  });

  it('lets .kubeward-stat.tsv override modes and owners lost by a copy', async () => {
    await put(root, '/.kubeward-stat.tsv', '/etc/kubernetes/admin.conf\t600\t0\t0\n/var/lib/etcd\t0700\t998\t998\n');
    try {
      const host = (await readNodeRoot(root)).hosts[0]!;
      const admin = host.files.find((f) => f.path === '/etc/kubernetes/admin.conf')!;
      assert.deepEqual([admin.mode, admin.uid, admin.gid], [0o600, 0, 0]);
      assert.equal(host.files.find((f) => f.path === '/var/lib/etcd')?.uid, 998);
    } finally {
      await rm(join(root, '.kubeward-stat.tsv'));
    }
  });

  it('reports a malformed stat sidecar line by file and line', async () => {
    await put(root, '/.kubeward-stat.tsv', 'etc/kubernetes/admin.conf\t600\t0\t0\n');
    try {
      const result = await readNodeRoot(root);
      assert.equal(result.errors.length, 1);
      assert.equal(result.errors[0]!.line, 1);
      assert.match(result.errors[0]!.source, /\.kubeward-stat\.tsv$/);
    } finally {
      await rm(join(root, '.kubeward-stat.tsv'));
    }
  });

  it('assembles the kubelet command line from the unit, drop-ins and environment files, with locations', async () => {
    const line = (await readNodeRoot(root)).hosts[0]!.kubeletCommandLine!;
    assert.deepEqual(line.argv, [
      '/usr/bin/kubelet', '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml', '--config-dir=/var/lib/kubelet/config.d',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock', '--read-only-port=10255',
      '--tls-cert-file=/var/lib/kubelet/pki/kubelet-client-current.pem',
    ]);
    assert.deepEqual(line.locations[6], { file: join(root, '/etc/default/kubelet'), line: 1 });
    assert.deepEqual(line.locations[3], { file: join(root, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf'), line: 3 });
  });

  it('reads modprobe rules (/etc overriding /lib by file name), loaded modules, component processes and etcd\'s config file', async () => {
    const host = (await readNodeRoot(root)).hosts[0]!;
    assert.deepEqual(host.modprobeRules.map((r) => `${r.directive} ${r.module} ${r.command ?? ''} :${r.line}`), ['blacklist dccp  :2', 'install sctp /bin/true :3']);
    assert.deepEqual(host.loadedModules, ['overlay', 'sctp']);
    assert.deepEqual(host.processes.map((p) => p.pid), [42, 77]);
    assert.equal(host.configFiles?.[0]?.path, '/etc/etcd/etcd.yaml');
    assert.equal(host.configFiles?.[0]?.lines['client-transport-security.cert-file'], 4);
  });

  it('feeds the checks: effective kubelet values with the line that set them, file modes, modules, etcd config', async () => {
    const report = runScan(collapseMirrorPods(await readNodeRoot(root)), { now: new Date('2026-01-01T00:00:00Z') });
    const failures = (check: string) => report.findings.filter((f) => f.check === check && f.status === 'fail');
    const readOnly = failures('kubelet-read-only-port-open');
    assert.equal(readOnly.length, 1);
    assert.deepEqual(readOnly[0]!.location, { file: join(root, '/etc/default/kubelet'), line: 1 });
    assert.equal(failures('kubelet-authorization-always-allow')[0]?.location?.file, join(root, '/var/lib/kubelet/config.d/50-local.conf'));
    assert.equal(failures('kubelet-anonymous-auth-enabled').length, 0);
    assert.deepEqual(failures('credential-file-permissions').map((f) => f.resource.name), ['/etc/kubernetes/admin.conf on cp1']);
    assert.deepEqual(failures('etcd-file-permissions').map((f) => f.resource.name), ['/var/lib/etcd on cp1']);
    assert.equal(failures('kubeconfig-skips-tls-verification').length, 1);
    assert.deepEqual(failures('risky-kernel-module-loaded').map((f) => f.message), ['node cp1: kernel module sctp is loaded although ' + join(root, '/etc/modprobe.d/blacklist.conf') + ':3 blocks it (it loaded before the rule, or by explicit modprobe)']);
    assert.equal(failures('risky-kernel-module-not-blocked').length, 0);
    // The API server process is the static pod's: only the manifest is judged, not AlwaysAllow from /proc.
    assert.equal(failures('apiserver-authorization-mode-insecure').length, 0);
    // The scheduler runs as a process only; its flags come from /proc.
    assert.equal(failures('component-serves-on-all-interfaces')[0]?.location?.file, join(root, '/proc/77/cmdline'));
    // etcd reads its config file and ignores its flags.
    assert.equal(report.findings.filter((f) => f.check === 'etcd-client-cert-auth-disabled' && f.status === 'fail')[0]?.message, 'etcd has no trusted-ca-file to verify client certificates (default (v1.30))');
  });

  it('reports a mirror pod of a static pod once, at the manifest', async () => {
    const cluster = await mkdtemp(join(tmpdir(), 'kubeward-cluster-'));
    try {
      await put(cluster, '/cluster/pods.yaml', `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver-cp1
  namespace: kube-system
  annotations: {kubernetes.io/config.mirror: abc, kubernetes.io/config.source: file}
  labels: {component: kube-apiserver}
spec:
  nodeName: cp1
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command: [kube-apiserver, --authorization-mode=Node,RBAC]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers: [{name: web, image: nginx}]
`);
      const load = collapseMirrorPods(await loadPaths([join(cluster, 'cluster'), root]));
      const pods = load.items.filter((i) => i.ref.kind === 'Pod').map((i) => i.ref.name).sort();
      assert.deepEqual(pods, ['etcd', 'kube-apiserver', 'web']);
    } finally {
      await rm(cluster, { recursive: true, force: true });
    }
  });

  it('reads a node root met while walking a folder, beside the manifests', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'kubeward-both-'));
    try {
      await put(parent, '/cluster/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
      await put(parent, '/node-root/etc/kubernetes/manifests/kube-apiserver.yaml', API_SERVER, 0o600);
      const load = await loadPaths([parent]);
      assert.equal(load.hosts.length, 1);
      assert.equal(load.hosts[0]!.root, join(parent, 'node-root'));
      assert.deepEqual(load.items.map((i) => i.ref.kind).sort(), ['Namespace', 'Pod']);
      assert.ok(load.sources.some((s) => s.type === 'node'));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('finds static pods in a kubelet\'s --pod-manifest-path, and names a lone kubelet config after the node', async () => {
    const other = await mkdtemp(join(tmpdir(), 'kubeward-worker-'));
    try {
      await put(other, '/etc/hostname', 'worker-3\n');
      await mkdir(join(other, 'etc/kubernetes'), { recursive: true });
      await put(other, '/var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n', 0o600);
      await put(other, '/proc/9/cmdline', '/usr/bin/kubelet\u0000--pod-manifest-path=/srv/static\u0000');
      await put(other, '/srv/static/web.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: web, image: nginx}]\n');
      const load = await readNodeRoot(other);
      assert.deepEqual(load.items.filter((i) => i.ref.kind === 'Pod').map((i) => i.location.file), [join(other, '/srv/static/web.yaml')]);
      const report = runScan(load, { now: new Date('2026-01-01T00:00:00Z') });
      const readOnly = report.findings.filter((f) => f.check === 'kubelet-read-only-port-open' && f.status === 'fail');
      // The kubelet process has no --config, so the lone config file and the flags-only kubelet are both judged.
      assert.ok(readOnly.some((f) => f.message.startsWith('kubelet on worker-3: read-only port 10255 is open (readOnlyPort at')));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('names a missing node root as an input error', async () => {
    const result = await readNodeRoot(join(root, 'no-such-dir'));
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, /no such file/);
    assert.equal(result.hosts.length, 0);
  });
});

describe('control-plane checks on manifests-only scans of real installs', () => {
  const CONTROL_PLANE_CHECKS = [
    'apiserver-authorization-mode-insecure', 'node-restriction-admission-disabled', 'apiserver-anonymous-auth-enabled',
    'apiserver-serving-cert-missing', 'etcd-client-cert-auth-disabled', 'kubelet-read-only-port-open', 'kubelet-anonymous-auth-enabled',
    'risky-kernel-module-not-blocked', 'credential-file-permissions', 'component-serves-on-all-interfaces',
  ];
  describeWithCorpus('real-world', 'of the real-world corpus', (realWorld) => {
    for (const name of readdirSync(realWorld).filter((n) => !n.includes('.'))) {
      it(`${name}: one not-evaluated result per check, never a pass`, async () => {
        const load = await loadPaths([join(realWorld, name)]);
        assert.ok(load.items.length > 0);
        const report = runScan(load, { now: new Date('2026-01-01T00:00:00Z') });
        for (const id of CONTROL_PLANE_CHECKS) {
          const summary = report.checks.find((c) => c.id === id)!;
          assert.deepEqual([summary.pass, summary.fail, summary.notEvaluated], [0, 0, 1], id);
        }
        assert.match(report.checks.find((c) => c.id === 'node-restriction-admission-disabled')!.reason!, /no kube-apiserver static pod or process in the input; scan with --node-root or --cluster/);
      });
    }
  });

  it('use the source\'s reason when the live API could not show the control plane', () => {
    const load = { ...emptyLoadResult(), gaps: [{ scope: 'kube-apiserver', reason: 'managed control plane (EKS): kube-apiserver flags are not visible' }] };
    const report = runScan(load, { now: new Date('2026-01-01T00:00:00Z') });
    assert.equal(report.checks.find((c) => c.id === 'apiserver-authorization-mode-insecure')!.reason, 'managed control plane (EKS): kube-apiserver flags are not visible');
  });

  it('judge the kubelets whose /configz was read and say which could not be', () => {
    const configz = parseDocuments(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
metadata: {name: worker-1, annotations: {kubeward.io/source: configz}}
readOnlyPort: 0`, 'https://10.0.0.10:6443/api/v1/nodes/worker-1/proxy/configz').items;
    const reason = 'kubelet configuration (nodes/proxy configz) could not be read for 1 of 2 nodes: worker-2 (forbidden)';
    const report = runScan({ ...emptyLoadResult(), items: configz, gaps: [{ scope: 'kubelet-config', reason }] }, { now: new Date('2026-01-01T00:00:00Z') });
    const summary = report.checks.find((c) => c.id === 'kubelet-read-only-port-open')!;
    assert.deepEqual([summary.pass, summary.fail, summary.notEvaluated, summary.reason], [1, 0, 1, reason]);
  });
});
