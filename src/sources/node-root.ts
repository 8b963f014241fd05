// Reads a node's filesystem (`/` on the node, or a copy of it) the way the kubelet and the
// control plane see it: static pod manifests, kubeconfigs, certificates, the kubelet's systemd
// unit and config files, etcd's config, modprobe rules, loaded modules, component processes, and
// every file the components' flags name. Items are located at the file under the root; file
// modes and owners come from lstat, or from `<root>/.kubeward-stat.tsv` when the copy lost them.

import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, posix } from 'node:path';
import { LineCounter, isMap, parseDocument } from 'yaml';
import { COMPONENTS, componentOf, parseCommandLineFlags } from '../engines/config/command-line.js';
import { valueAt } from '../engines/config/settings.js';
import { nodePathOf, type HostCommandLine, type HostConfigFile, type HostFile, type HostSnapshot, type ModprobeRule } from '../inventory/host.js';
import type { Item, K8sObject } from '../inventory/types.js';
import { collectFieldLines, parseDocuments } from './documents.js';
import { describeFsError } from './files.js';
import { emptyLoadResult, type LoadResult } from './types.js';

/** Sidecar recording modes and owners for copies of node roots (git keeps neither). */
export const STAT_SIDECAR = '.kubeward-stat.tsv';
/** Files read for their text (certificates, configs) larger than this are refused. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;
const SYSTEMD_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const MODPROBE_DIRS = ['/etc/modprobe.d', '/run/modprobe.d', '/usr/lib/modprobe.d', '/lib/modprobe.d'];
const CERTIFICATE_DIRS = ['/etc/kubernetes/pki', '/var/lib/kubelet/pki'];

/** How a flag's file is read: as Kubernetes YAML, as a certificate, as etcd's config, or only stat'ed. */
type FileUse = 'yaml' | 'cert' | 'etcd-config' | 'stat' | 'dir';

const REFERENCED_FLAGS: Record<string, Record<string, FileUse>> = {
  'kube-apiserver': {
    'encryption-provider-config': 'yaml', 'audit-policy-file': 'yaml', 'admission-control-config-file': 'yaml',
    'authentication-config': 'yaml', 'authorization-config': 'yaml', 'egress-selector-config-file': 'yaml',
    'tracing-config-file': 'yaml', 'authorization-webhook-config-file': 'yaml',
    'authentication-token-webhook-config-file': 'yaml', 'audit-webhook-config-file': 'yaml',
    'token-auth-file': 'stat', 'basic-auth-file': 'stat', 'service-account-key-file': 'stat',
    'service-account-signing-key-file': 'stat', 'tls-private-key-file': 'stat', 'kubelet-client-key': 'stat',
    'etcd-keyfile': 'stat', 'proxy-client-key-file': 'stat', 'tls-cert-file': 'cert', 'client-ca-file': 'cert',
    'kubelet-certificate-authority': 'cert', 'etcd-cafile': 'cert', 'etcd-certfile': 'cert',
    'kubelet-client-certificate': 'cert', 'requestheader-client-ca-file': 'cert', 'proxy-client-cert-file': 'cert',
    'audit-log-path': 'stat',
  },
  'kube-controller-manager': {
    kubeconfig: 'yaml', 'authentication-kubeconfig': 'yaml', 'authorization-kubeconfig': 'yaml', config: 'yaml',
    'service-account-private-key-file': 'stat', 'cluster-signing-key-file': 'stat', 'root-ca-file': 'cert',
    'cluster-signing-cert-file': 'cert', 'client-ca-file': 'cert', 'requestheader-client-ca-file': 'cert',
  },
  'kube-scheduler': {
    kubeconfig: 'yaml', 'authentication-kubeconfig': 'yaml', 'authorization-kubeconfig': 'yaml', config: 'yaml',
  },
  etcd: {
    'config-file': 'etcd-config', 'data-dir': 'dir', 'cert-file': 'cert', 'key-file': 'stat', 'trusted-ca-file': 'cert',
    'peer-cert-file': 'cert', 'peer-key-file': 'stat', 'peer-trusted-ca-file': 'cert',
  },
  kubelet: {
    config: 'yaml', kubeconfig: 'yaml', 'bootstrap-kubeconfig': 'yaml', 'client-ca-file': 'cert', 'tls-cert-file': 'cert',
    'tls-private-key-file': 'stat',
  },
  'kube-proxy': { config: 'yaml', kubeconfig: 'yaml' },
};

/** True when a folder looks like a node root: it has etc/kubernetes. */
export async function isNodeRoot(dir: string): Promise<boolean> {
  try {
    return (await lstat(join(dir, 'etc/kubernetes'))).isDirectory();
  } catch {
    return false;
  }
}

class NodeReader {
  readonly result = emptyLoadResult();
  readonly files = new Map<string, HostFile>();
  readonly certificates = new Map<string, string>();
  readonly configFiles: HostConfigFile[] = [];
  private readonly readPaths = new Set<string>();
  private statOverrides = new Map<string, { mode: number; uid: number; gid: number }>();

  constructor(readonly root: string) {}

  /** The path under the root where the node's absolute path lives. */
  local(path: string): string {
    return join(this.root, path);
  }

  async loadStatSidecar(): Promise<void> {
    const text = await this.text(`/${STAT_SIDECAR}`, { optional: true, record: false });
    if (text === undefined) return;
    text.split('\n').forEach((line, index) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [path, mode, uid, gid] = line.split('\t');
      const parsed = { mode: Number.parseInt(mode ?? '', 8), uid: Number(uid), gid: Number(gid) };
      if (!path?.startsWith('/') || [parsed.mode, parsed.uid, parsed.gid].some((n) => !Number.isInteger(n))) {
        this.result.errors.push({ source: this.local(`/${STAT_SIDECAR}`), line: index + 1, message: 'expected "PATH<TAB>octal mode<TAB>uid<TAB>gid" with an absolute PATH' });
        return;
      }
      this.statOverrides.set(path.replace(/\/+$/, ''), parsed);
    });
  }

  /** lstat of a node path, recorded as a HostFile; undefined when it does not exist. */
  async stat(path: string): Promise<HostFile | undefined> {
    const known = this.files.get(path);
    if (known) return known;
    let info;
    try {
      info = await lstat(this.local(path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.result.errors.push({ source: this.local(path), message: describeFsError(e) });
      return undefined;
    }
    const override = this.statOverrides.get(path);
    const file: HostFile = {
      path,
      mode: override?.mode ?? info.mode & 0o7777,
      uid: override?.uid ?? info.uid,
      gid: override?.gid ?? info.gid,
      size: info.size,
      type: info.isFile() ? 'file' : info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : 'other',
    };
    this.files.set(path, file);
    return file;
  }

  /** Names in a node directory, sorted; empty when it does not exist. */
  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(this.local(dir))).sort();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.result.errors.push({ source: this.local(dir), message: describeFsError(e) });
      return [];
    }
  }

  async text(path: string, options: { optional?: boolean; record?: boolean } = {}): Promise<string | undefined> {
    if (options.record !== false) {
      const file = await this.stat(path);
      if (!file) {
        if (!options.optional) this.result.errors.push({ source: this.local(path), message: 'no such file or directory' });
        return undefined;
      }
      if (file.size > MAX_TEXT_BYTES) {
        this.result.errors.push({ source: this.local(path), message: `file is ${file.size} bytes, over the ${MAX_TEXT_BYTES}-byte limit; not read` });
        return undefined;
      }
    }
    try {
      return await readFile(this.local(await this.resolveLink(path)), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && options.optional) return undefined;
      this.result.errors.push({ source: this.local(path), message: code === 'EACCES' ? 'permission denied (run kubeward as root on the node)' : describeFsError(e) });
      return undefined;
    }
  }

  /**
   * Follows a symlink inside the root: an absolute target (kubelet-client-current.pem ->
   * /var/lib/kubelet/pki/...) names a node path, which in a copy lives under the root, not on
   * the machine running kubeward.
   */
  async resolveLink(path: string): Promise<string> {
    let current = path;
    for (let hops = 0; hops < 40; hops++) {
      let target: string;
      try {
        if (!(await lstat(this.local(current))).isSymbolicLink()) return current;
        target = await readlink(this.local(current));
      } catch {
        return current;
      }
      current = posix.normalize(target.startsWith('/') ? target : posix.join(posix.dirname(current), target));
    }
    return current;
  }

  /** Parses a file of Kubernetes objects or component configs into items, with field lines. */
  async readObjects(path: string, options: { optional?: boolean } = {}): Promise<Item[]> {
    if (this.readPaths.has(path)) return [];
    this.readPaths.add(path);
    const text = await this.text(path, options);
    if (text === undefined) return [];
    const source = this.local(path);
    const parsed = parseDocuments(text, source, { fieldLines: true });
    for (const item of parsed.items) {
      if (item.ref.kind === 'Config') redactKubeconfig(item.object);
      this.result.items.push(item);
    }
    this.result.errors.push(...parsed.errors);
    this.result.skipped.notKubernetes += parsed.skipped.notKubernetes;
    for (const [kind, n] of Object.entries(parsed.skipped.byKind)) this.result.skipped.byKind[kind] = (this.result.skipped.byKind[kind] ?? 0) + n;
    return parsed.items;
  }

  /** Keeps the certificate blocks of a PEM file (never its private keys). */
  async readCertificate(path: string): Promise<void> {
    if (this.certificates.has(path)) return;
    const text = await this.text(path, { optional: true });
    const blocks = text?.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    if (blocks) this.certificates.set(path, `${blocks.join('\n')}\n`);
  }

  async readEtcdConfig(path: string): Promise<void> {
    if (this.configFiles.some((f) => f.path === path)) return;
    const text = await this.text(path, { optional: true });
    if (text === undefined) return;
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0 || !isMap(doc.contents)) {
      const err = doc.errors[0];
      this.result.errors.push({ source: this.local(path), ...(err ? { line: lineCounter.linePos(err.pos[0]).line } : {}), message: `etcd config file is not a YAML map${err ? `: ${err.message.split('\n')[0]}` : ''}` });
      return;
    }
    const lines = new Map<string, number>();
    collectFieldLines(doc.contents, '', lineCounter, lines);
    this.configFiles.push({ path, file: this.local(path), data: doc.toJS() as Record<string, unknown>, lines: Object.fromEntries(lines) });
  }

  async walkFiles(dir: string, visit: (path: string) => Promise<void>): Promise<void> {
    for (const name of await this.list(dir)) {
      const path = posix.join(dir, name);
      const file = await this.stat(path);
      if (file?.type === 'directory') await this.walkFiles(path, visit);
      else if (file?.type === 'file') await visit(path);
    }
  }
}

/** Reads a node root. Every problem becomes an error naming the file; the rest is still read. */
export async function readNodeRoot(root: string): Promise<LoadResult> {
  const reader = new NodeReader(root);
  try {
    if (!(await lstat(root)).isDirectory() && !(await isNodeRoot(root))) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    reader.result.errors.push({ source: root, message: `node root ${describeFsError(e)}` });
    return reader.result;
  }
  await reader.loadStatSidecar();
  const name = root === '/' ? hostname() : (await reader.text('/etc/hostname', { optional: true, record: false }))?.trim().split('\n')[0] || basename(root);

  // Everything under /etc/kubernetes: manifests, kubeconfigs, pki; all are stat'ed for permissions.
  await reader.walkFiles('/etc/kubernetes', async (path) => {
    if (path.startsWith('/etc/kubernetes/pki/')) return;
    if (path.startsWith('/etc/kubernetes/manifests/')) {
      if (!basename(path).startsWith('.')) await reader.readObjects(path);
      return;
    }
    if (posix.dirname(path) === '/etc/kubernetes' && path.endsWith('.conf')) await reader.readObjects(path);
  });
  for (const dir of CERTIFICATE_DIRS) {
    await reader.walkFiles(dir, async (path) => {
      if (/\.(crt|pem|cert)$/.test(path)) await reader.readCertificate(path);
    });
  }

  const kubeletCommandLine = await readKubeletUnit(reader);
  const users = parsePasswd(await reader.text('/etc/passwd', { optional: true, record: false }));
  const modprobeRules = await readModprobe(reader);
  const loadedModules = (await reader.text('/proc/modules', { optional: true, record: false }))
    ?.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
  const processes = await readProcesses(reader);

  // The files the components' command lines name, then the files those files name.
  const commandLines: { component: string; argv: string[]; env: Record<string, string> }[] = [];
  for (const item of reader.result.items.filter((i) => i.ref.kind === 'Pod')) {
    const spec = item.object.spec as { containers?: { command?: string[]; args?: string[]; env?: { name?: string; value?: string }[] }[] } | undefined;
    for (const c of spec?.containers ?? []) {
      const argv = [...(c.command ?? []), ...(c.args ?? [])];
      const component = componentOf(c, item.object.metadata?.labels);
      const env = Object.fromEntries((c.env ?? []).filter((e) => e.name && typeof e.value === 'string').map((e) => [e.name!, e.value!]));
      if (component) commandLines.push({ component, argv, env });
    }
  }
  for (const p of processes) {
    const component = componentOf({ command: p.argv }, undefined);
    if (component) commandLines.push({ component, argv: p.argv, env: {} });
  }
  if (kubeletCommandLine) commandLines.push({ component: 'kubelet', argv: kubeletCommandLine.argv, env: {} });
  let sawKubeletConfig = false;
  let sawEtcdDataDir = false;
  for (const line of commandLines) {
    const uses = REFERENCED_FLAGS[line.component] ?? {};
    const flags = new Map([...parseCommandLineFlags(line.argv)].map(([name, flag]) => [name, flag.value]));
    if (line.component === 'etcd') {
      for (const [flag, use] of Object.entries({ 'config-file': 'etcd-config', 'data-dir': 'dir' } as const)) {
        const env = line.env[`ETCD_${flag.toUpperCase().replace(/-/g, '_')}`];
        if (env && !flags.has(flag)) flags.set(flag, env);
        if (use === 'dir' && flags.has(flag)) sawEtcdDataDir = true;
      }
    }
    for (const [flag, value] of flags) {
      const use = uses[flag];
      if (!use || !value.startsWith('/')) continue;
      if (line.component === 'kubelet' && flag === 'config') sawKubeletConfig = true;
      await readReferenced(reader, use, value);
    }
    const podManifestPath = line.component === 'kubelet' ? flags.get('pod-manifest-path') : undefined;
    if (podManifestPath?.startsWith('/') && podManifestPath !== '/etc/kubernetes/manifests') {
      for (const name of await reader.list(podManifestPath)) if (!name.startsWith('.')) await reader.readObjects(posix.join(podManifestPath, name), { optional: true });
    }
    if (line.component === 'kubelet' && flags.get('config-dir')?.startsWith('/')) {
      const dir = flags.get('config-dir')!;
      for (const entry of await reader.list(dir)) if (entry.endsWith('.conf')) await reader.readObjects(posix.join(dir, entry));
    }
  }
  // Without a unit naming it, kubeadm's kubelet config is still where kubeadm puts it.
  if (!sawKubeletConfig) await reader.readObjects('/var/lib/kubelet/config.yaml', { optional: true });
  if (!sawEtcdDataDir) await reader.stat('/var/lib/etcd');
  await followConfigReferences(reader);
  for (const file of reader.configFiles) {
    for (const key of ['client-transport-security.cert-file', 'client-transport-security.trusted-ca-file', 'peer-transport-security.cert-file', 'peer-transport-security.trusted-ca-file']) {
      const value = valueAt(file.data, key);
      if (typeof value === 'string' && value.startsWith('/')) await reader.readCertificate(value);
    }
    const dataDir = file.data['data-dir'];
    if (typeof dataDir === 'string' && dataDir.startsWith('/')) await reader.stat(dataDir);
  }

  const host: HostSnapshot = {
    name,
    root,
    files: [...reader.files.values()].sort((a, b) => a.path.localeCompare(b.path)),
    certificates: [...reader.certificates].map(([path, pem]) => ({ path, pem })),
    modprobeRules,
    ...(loadedModules ? { loadedModules } : {}),
    processes,
    ...(kubeletCommandLine ? { kubeletCommandLine } : {}),
    configFiles: reader.configFiles,
    users,
  };
  const result = reader.result;
  result.hosts.push(host);
  result.sources.push({ type: 'node', name: root, objects: result.items.length });
  return result;
}

async function readReferenced(reader: NodeReader, use: FileUse, path: string): Promise<void> {
  if (use === 'yaml') await reader.readObjects(path, { optional: true });
  else if (use === 'cert') await reader.readCertificate(path);
  else if (use === 'etcd-config') await reader.readEtcdConfig(path);
  else await reader.stat(path);
}

/** Files that config files name: admission plugin configs, kubelet certificates, static pod path. */
async function followConfigReferences(reader: NodeReader): Promise<void> {
  for (const item of [...reader.result.items]) {
    const object = item.object as Record<string, unknown>;
    if (item.ref.kind === 'AdmissionConfiguration') {
      for (const plugin of (object.plugins as { path?: unknown }[] | undefined) ?? []) {
        if (typeof plugin?.path === 'string' && plugin.path.startsWith('/')) await reader.readObjects(plugin.path, { optional: true });
      }
    }
    if (item.ref.kind === 'KubeletConfiguration') {
      for (const key of ['authentication.x509.clientCAFile', 'tlsCertFile']) {
        const value = valueAt(object, key);
        if (typeof value === 'string' && value.startsWith('/')) await reader.readCertificate(value);
      }
      const staticPodPath = object.staticPodPath;
      if (typeof staticPodPath === 'string' && staticPodPath.startsWith('/') && staticPodPath !== '/etc/kubernetes/manifests') {
        for (const name of await reader.list(staticPodPath)) if (!name.startsWith('.')) await reader.readObjects(posix.join(staticPodPath, name), { optional: true });
      }
    }
  }
}

/** Credentials in kubeconfigs are never kept: only that they are there. */
function redactKubeconfig(object: K8sObject): void {
  for (const user of (object.users as { user?: Record<string, unknown> }[] | undefined) ?? []) {
    if (!user?.user) continue;
    for (const key of ['client-key-data', 'token', 'password']) if (key in user.user) user.user[key] = '(redacted)';
  }
}

interface UnitValue {
  value: string;
  file: string;
  line: number;
}

/** The [Service] assignments of a unit file, continuation lines joined. */
function unitAssignments(text: string, file: string): { key: string; entry: UnitValue }[] {
  const out: { key: string; entry: UnitValue }[] = [];
  const lines = text.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      section = line;
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== '[Service]' || eq < 0) continue;
    out.push({ key: line.slice(0, eq).trim(), entry: { value: line.slice(eq + 1).trim(), file, line: start + 1 } });
  }
  return out;
}

/** Splits a systemd value into words, honouring double and single quotes. */
function unitWords(value: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of value.matchAll(pattern)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]!);
  return words;
}

/**
 * The kubelet's command line as systemd would run it: the unit, its drop-ins (a drop-in in
 * /etc overrides one of the same name in /usr/lib), Environment= and EnvironmentFile= (files
 * override Environment=), and ExecStart= with $VAR split into words and ${VAR} kept whole.
 */
async function readKubeletUnit(reader: NodeReader): Promise<HostCommandLine | undefined> {
  let unitPath: string | undefined;
  for (const dir of SYSTEMD_DIRS) {
    if (await reader.stat(`${dir}/kubelet.service`)) {
      unitPath = `${dir}/kubelet.service`;
      break;
    }
  }
  const dropIns = new Map<string, string>();
  for (const dir of [...SYSTEMD_DIRS].reverse()) {
    for (const name of await reader.list(`${dir}/kubelet.service.d`)) if (name.endsWith('.conf')) dropIns.set(name, `${dir}/kubelet.service.d/${name}`);
  }
  if (!unitPath && dropIns.size === 0) return undefined;
  const files = [unitPath, ...[...dropIns.keys()].sort().map((n) => dropIns.get(n)!)].filter((p): p is string => p !== undefined);
  const env = new Map<string, UnitValue>();
  const envFiles: { path: string; optional: boolean }[] = [];
  let execStart: UnitValue | undefined;
  for (const path of files) {
    const text = await reader.text(path);
    if (text === undefined) continue;
    for (const { key, entry } of unitAssignments(text, reader.local(path))) {
      if (key === 'ExecStart') execStart = entry.value === '' ? undefined : entry;
      else if (key === 'Environment') {
        for (const word of unitWords(entry.value)) {
          const eq = word.indexOf('=');
          if (eq > 0) env.set(word.slice(0, eq), { ...entry, value: word.slice(eq + 1) });
        }
      } else if (key === 'EnvironmentFile') {
        const optional = entry.value.startsWith('-');
        envFiles.push({ path: entry.value.replace(/^-/, ''), optional });
      }
    }
  }
  for (const { path, optional } of envFiles) {
    const text = await reader.text(path, { optional });
    if (text === undefined) continue;
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!m) return;
      const value = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      env.set(m[1]!, { value, file: reader.local(path), line: index + 1 });
    });
  }
  if (!execStart) return undefined;
  const argv: string[] = [];
  const locations: { file: string; line: number }[] = [];
  const at = { file: execStart.file, line: execStart.line };
  unitWords(execStart.value).forEach((word, index) => {
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (bare) {
      const entry = env.get(bare[1]!);
      for (const piece of (entry?.value ?? '').split(/\s+/).filter(Boolean)) {
        argv.push(piece);
        locations.push(entry ? { file: entry.file, line: entry.line } : at);
      }
      return;
    }
    let from = at;
    const expanded = word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const entry = env.get(name);
      if (entry) from = { file: entry.file, line: entry.line };
      return entry?.value ?? '';
    });
    argv.push(index === 0 ? expanded.replace(/^[-@+!:]+/, '') : expanded);
    locations.push(from);
  });
  return { argv, locations };
}

async function readModprobe(reader: NodeReader): Promise<ModprobeRule[]> {
  // A file in /etc overrides one of the same name in /usr/lib or /lib (modprobe.d(5)).
  const byName = new Map<string, string>();
  for (const dir of [...MODPROBE_DIRS].reverse()) {
    for (const name of await reader.list(dir)) if (name.endsWith('.conf')) byName.set(name, `${dir}/${name}`);
  }
  const rules: ModprobeRule[] = [];
  for (const name of [...byName.keys()].sort()) {
    const path = byName.get(name)!;
    const text = await reader.text(path, { optional: true });
    text?.split('\n').forEach((raw, index) => {
      const words = raw.replace(/#.*/, '').trim().split(/\s+/);
      const [directive, module, ...command] = words;
      if ((directive === 'blacklist' || directive === 'install') && module) {
        rules.push({ directive, module, ...(directive === 'install' ? { command: command.join(' ') } : {}), file: reader.local(path), line: index + 1 });
      }
    });
  }
  return rules;
}

/** Command lines of the Kubernetes components among /proc/<pid>. */
async function readProcesses(reader: NodeReader): Promise<{ pid: number; argv: string[] }[]> {
  const processes: { pid: number; argv: string[] }[] = [];
  let names: string[];
  try {
    names = await readdir(reader.local('/proc'));
  } catch {
    return processes;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let raw: string;
    try {
      raw = await readFile(reader.local(`/proc/${name}/cmdline`), 'utf8');
    } catch {
      continue; // the process ended, or is not ours to read
    }
    const argv = raw.split('\u0000');
    if (argv[argv.length - 1] === '') argv.pop();
    const command = basename(argv[0] ?? '');
    if ((COMPONENTS as readonly string[]).includes(command)) processes.push({ pid: Number(name), argv });
  }
  return processes.sort((a, b) => a.pid - b.pid);
}

function parsePasswd(text: string | undefined): Record<string, number> {
  const users: Record<string, number> = {};
  for (const line of text?.split('\n') ?? []) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) users[name] = Number(uid);
  }
  return users;
}

/**
 * Drops mirror pods that copy a static pod read from a node root, so each static pod is reported
 * once, at the manifest file to edit. A mirror pod is named `<static pod name>-<node name>`.
 */
export function collapseMirrorPods(load: LoadResult): LoadResult {
  if (load.hosts.length === 0) return load;
  const hostOf = (file: string) => load.hosts.find((h) => nodePathOf(h, file) !== undefined);
  const statics: { namespace: string; name: string; host: string }[] = [];
  for (const item of load.items) {
    const host = item.ref.kind === 'Pod' ? hostOf(item.location.file) : undefined;
    if (host) statics.push({ namespace: item.ref.namespace ?? 'default', name: item.ref.name, host: host.name });
  }
  // With a single node root the copy's host name may differ from the node name; the name
  // pattern alone then decides.
  const single = load.hosts.length === 1;
  load.items = load.items.filter((item) => {
    if (item.ref.kind !== 'Pod' || hostOf(item.location.file)) return true;
    if (!('kubernetes.io/config.mirror' in (item.object.metadata?.annotations ?? {}))) return true;
    const nodeName = (item.object.spec as { nodeName?: string } | undefined)?.nodeName;
    const namespace = item.ref.namespace ?? 'default';
    return !statics.some((s) => s.namespace === namespace && `${s.name}-${nodeName}` === item.ref.name && (single || s.host === nodeName));
  });
  return load;
}
