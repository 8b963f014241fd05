// Reads a node's filesystem (`/` on the node, or a copy of it) the way the kubelet and the
// control plane see it: static pod manifests, kubeconfigs, certificates, the kubelet's systemd
// unit and config files, etcd's config, modprobe rules, loaded modules, component processes, and
// every file the components' flags name. Items are located at the file under the root; file
// modes and owners come from lstat, or from `<root>/.kubeward-stat.tsv` when the copy lost them.

import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, posix } from 'node:path';
import { yamlLibrary } from '../yaml.js';
import { PEM_BLOCK, kubeconfigCertificateErrors, pemErrors } from '../engines/certs/index.js';
import { COMPONENTS, argvOf, componentOf, parseCommandLineFlags } from '../engines/config/command-line.js';
import { valueAt } from '../engines/config/settings.js';
import { nodePathOf, type HostCommandLine, type HostConfigFile, type HostFile, type HostSnapshot, type ModprobeRule } from '../inventory/host.js';
import type { Container } from '../inventory/pod.js';
import type { Item, K8sObject } from '../inventory/types.js';
import { validateItems } from '../inventory/validate.js';
import { cleanNodePath, CNI_CONFIG_DIR, CNI_NETWORKS_DIR, PROXY_KUBECONFIG_PATHS } from '../inventory/host.js';
import { readRegularFile, resolveInRoot, type ConfinedFsError } from './confined-fs.js';
import { collectFieldLines, parseDocuments } from './documents.js';
import { describeFsError } from './files.js';
import { addSkipped, appendAll, emptyLoadResult, type LoadResult } from './types.js';

/** Sidecar recording modes and owners for copies of node roots (git keeps neither). */
export const STAT_SIDECAR = '.kubeward-stat.tsv';
/** Files read for their text (certificates, configs) larger than this are refused. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;
/** Malformed lines of the stat sidecar reported one by one; the rest are counted. */
const MAX_SIDECAR_ERRORS = 10;
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

/** True when a folder looks like a node root: it has etc/kubernetes (resolved inside it). */
export async function isNodeRoot(dir: string): Promise<boolean> {
  try {
    return (await lstat(await resolveInRoot(dir, '/etc/kubernetes'))).isDirectory();
  } catch {
    return false;
  }
}

/** ENOENT and ESRCH: a file that is not there, or a process that ended while /proc was read. */
const isGone = (e: unknown) => ['ENOENT', 'ESRCH'].includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * Every path is a node path (`/etc/kubernetes/...`), read through resolveInRoot: `..` and links
 * never leave the root. Items, files and errors are located at the root joined with the path
 * cleaned of `..`, which is where the file is for whoever reads the report.
 */
class NodeReader {
  readonly result = emptyLoadResult();
  readonly files = new Map<string, HostFile>();
  readonly certificates = new Map<string, string>();
  readonly configFiles: HostConfigFile[] = [];
  private readonly readPaths = new Set<string>();
  /** The files already read as certificates, by where they resolved to (a link names one twice). */
  private readonly certificateFiles = new Set<string>();
  private readonly reported = new Set<string>();
  private statOverrides = new Map<string, { mode: number; uid: number; gid: number }>();

  /** `root` names the files in the report; `realRoot` (its realpath) is where they are read. */
  constructor(readonly root: string, private readonly realRoot: string) {}

  /** The path under the root where the node's absolute path lives. */
  local(path: string): string {
    return join(this.root, cleanNodePath(path));
  }

  /** Where a node path is on this machine, never outside the root. */
  resolve(path: string, options: { followLast?: boolean } = {}): Promise<string> {
    return resolveInRoot(this.realRoot, path, options);
  }

  /** Where a node path is; undefined when it is not there, or (reported) cannot be reached. */
  private async resolveOrReport(path: string): Promise<string | undefined> {
    try {
      return await this.resolve(path);
    } catch (e) {
      if (!isGone(e)) this.fail(path, e);
      return undefined;
    }
  }

  /**
   * An error naming the file, or the link or folder on its way that is at fault; once per file
   * and problem (a file, a link, can be met by several paths).
   */
  fail(path: string, e: unknown): void {
    const source = this.local((e as ConfinedFsError).nodePath ?? path);
    const message = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied (run kubeward as root on the node)' : describeFsError(e);
    if (this.reported.has(`${source}\0${message}`)) return;
    this.reported.add(`${source}\0${message}`);
    this.result.errors.push({ source, message });
  }

  async loadStatSidecar(): Promise<void> {
    const text = await this.text(`/${STAT_SIDECAR}`, { optional: true, record: false });
    if (text === undefined) return;
    const source = this.local(`/${STAT_SIDECAR}`);
    const bad: number[] = [];
    text.split('\n').forEach((line, index) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [path, mode, uid, gid] = line.split('\t');
      const parsed = { mode: Number.parseInt(mode ?? '', 8), uid: Number(uid), gid: Number(gid) };
      if (!path?.startsWith('/') || [parsed.mode, parsed.uid, parsed.gid].some((n) => !Number.isInteger(n))) bad.push(index + 1);
      else this.statOverrides.set(cleanNodePath(path), parsed);
    });
    // A file of garbage is a few errors, not one per line.
    for (const line of bad.slice(0, MAX_SIDECAR_ERRORS)) this.result.errors.push({ source, line, message: 'expected "PATH<TAB>octal mode<TAB>uid<TAB>gid" with an absolute PATH' });
    if (bad.length > MAX_SIDECAR_ERRORS) this.result.errors.push({ source, line: bad[MAX_SIDECAR_ERRORS]!, message: `${bad.length - MAX_SIDECAR_ERRORS} more malformed lines from here on` });
  }

  /** lstat of a node path (its folders resolved in the root), recorded as a HostFile; undefined when it does not exist. */
  async stat(path: string): Promise<HostFile | undefined> {
    const clean = cleanNodePath(path);
    const known = this.files.get(clean);
    if (known) return known;
    try {
      return await this.statAt(clean, await this.resolve(clean, { followLast: false }));
    } catch (e) {
      if (!isGone(e)) this.fail(clean, e);
      return undefined;
    }
  }

  /** Records the HostFile of node path `path`, which is at `host` (already resolved). */
  private async statAt(path: string, host: string): Promise<HostFile> {
    const info = await lstat(host);
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

  /** Names in a node directory, sorted; empty when it does not exist (anything else is an error). */
  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(await this.resolve(dir))).sort();
    } catch (e) {
      if (!isGone(e)) this.fail(dir, e);
      return [];
    }
  }

  /** A file's text, read within the size limit; `optional`: a missing file is no error. */
  async text(path: string, options: { optional?: boolean; record?: boolean } = {}): Promise<string | undefined> {
    const clean = cleanNodePath(path);
    if (options.record !== false) await this.stat(clean);
    try {
      return (await readRegularFile(await this.resolve(clean), MAX_TEXT_BYTES, { noFollow: true })).toString('utf8');
    } catch (e) {
      if (!(options.optional && isGone(e))) this.fail(clean, e);
      return undefined;
    }
  }

  /** Parses a file of Kubernetes objects or component configs into items, with field lines. */
  async readObjects(path: string, options: { optional?: boolean } = {}): Promise<Item[]> {
    const clean = cleanNodePath(path);
    if (this.readPaths.has(clean)) return [];
    this.readPaths.add(clean);
    const text = await this.text(clean, options);
    if (text === undefined) return [];
    const source = this.local(clean);
    const parsed = parseDocuments(text, source, { fieldLines: true });
    // A wrong shape (users[0].user: "<token>") is an error here, before the reader uses the object.
    const { valid, errors } = validateItems(parsed.items);
    appendAll(this.result.errors, errors);
    for (const item of valid) {
      if (item.ref.kind === 'Config') {
        appendAll(this.result.errors, kubeconfigCertificateErrors(item));
        redactKubeconfig(item.object);
      }
      this.result.items.push(item);
    }
    appendAll(this.result.errors, parsed.errors);
    addSkipped(this.result.skipped, parsed.skipped);
    return valid;
  }

  /**
   * Keeps the certificate blocks of a PEM file (never its private keys); a block that does not
   * parse is an error at its line. A file reached again by another name is not read again.
   */
  async readCertificate(path: string): Promise<void> {
    const clean = cleanNodePath(path);
    if (this.certificates.has(clean)) return;
    const real = await this.resolveOrReport(clean);
    if (real === undefined || this.certificateFiles.has(real)) return;
    this.certificateFiles.add(real);
    const text = await this.text(clean, { optional: true });
    const blocks = text?.match(PEM_BLOCK);
    if (!text || !blocks) return;
    appendAll(this.result.errors, pemErrors(text, this.local(clean)));
    this.certificates.set(clean, `${blocks.join('\n')}\n`);
  }

  async readEtcdConfig(path: string): Promise<void> {
    const clean = cleanNodePath(path);
    if (this.configFiles.some((f) => f.path === clean)) return;
    const text = await this.text(clean, { optional: true });
    if (text === undefined) return;
    const lineCounter = new (yamlLibrary().LineCounter)();
    const doc = yamlLibrary().parseDocument(text, { lineCounter });
    if (doc.errors.length > 0 || !yamlLibrary().isMap(doc.contents)) {
      const err = doc.errors[0];
      this.result.errors.push({ source: this.local(clean), ...(err ? { line: lineCounter.linePos(err.pos[0]).line } : {}), message: `etcd config file is not a YAML map${err ? `: ${err.message.split('\n')[0]}` : ''}` });
      return;
    }
    const lines = new Map<string, number>();
    collectFieldLines(doc.contents, '', lineCounter, lines);
    this.configFiles.push({ path: clean, file: this.local(clean), data: doc.toJS() as Record<string, unknown>, lines: Object.fromEntries(lines) });
  }

  /**
   * Static pods at a kubelet's static pod path: the files of a folder (not its subfolders or
   * hidden files, as the kubelet reads it) or, as the kubelet also takes, one file. kubeadm's
   * /etc/kubernetes/manifests must be a folder.
   */
  async readStaticPods(path: string, options: { folderOnly?: boolean } = {}): Promise<void> {
    let info;
    try {
      info = await lstat(await this.resolve(path));
    } catch (e) {
      if (!isGone(e)) this.fail(path, e);
      return;
    }
    if (info.isDirectory()) {
      for (const name of await this.list(path)) {
        const entry = posix.join(cleanNodePath(path), name);
        if (!name.startsWith('.') && (await this.stat(entry))?.type !== 'directory') await this.readObjects(entry, { optional: true });
      }
    } else if (info.isFile() && !options.folderOnly) await this.readObjects(path);
    else this.fail(path, new Error(`${info.isFile() ? 'a file' : 'not a regular file'} where the folder of static pod manifests should be; not read`));
  }

  /**
   * Visits every entry under a node folder that is not a folder (each is lstat'ed and recorded;
   * links to folders are not walked). A visit that reads an entry resolves its link in the root
   * and reports one that is not a regular file.
   */
  async walkFiles(dir: string, visit: (path: string) => Promise<void>): Promise<void> {
    const clean = cleanNodePath(dir);
    const host = await this.resolveOrReport(clean);
    if (host !== undefined) await this.walkResolved(clean, host, visit);
  }

  /** One lookup per entry: `host` is resolved, and so is every entry of it that is not a link. */
  private async walkResolved(dir: string, host: string, visit: (path: string) => Promise<void>): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(host)).sort();
    } catch (e) {
      if (!isGone(e)) this.fail(dir, e);
      return;
    }
    for (const name of names) {
      const path = posix.join(dir, name);
      let file: HostFile;
      try {
        file = this.files.get(path) ?? (await this.statAt(path, join(host, name)));
      } catch (e) {
        if (!isGone(e)) this.fail(path, e);
        continue;
      }
      if (file.type === 'directory') await this.walkResolved(path, join(host, name), visit);
      else await visit(path);
    }
  }
}

/** Reads a node root. Every problem becomes an error naming the file; the rest is still read. */
export async function readNodeRoot(root: string): Promise<LoadResult> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const result = emptyLoadResult();
    result.errors.push({ source: root, message: `node root ${describeFsError(e)}` });
    return result;
  }
  const reader = new NodeReader(root, realRoot);
  await reader.loadStatSidecar();
  const name = root === '/' ? hostname() : await nodeName(reader);

  // Everything under /etc/kubernetes is stat'ed for permissions; its kubeconfigs and static pods are read.
  await reader.walkFiles('/etc/kubernetes', async (path) => {
    if (posix.dirname(path) === '/etc/kubernetes' && path.endsWith('.conf')) await reader.readObjects(path);
  });
  await reader.readStaticPods('/etc/kubernetes/manifests', { folderOnly: true });
  for (const dir of CERTIFICATE_DIRS) {
    await reader.walkFiles(dir, async (path) => {
      if (/\.(crt|pem|cert)$/.test(path)) await reader.readCertificate(path);
    });
  }

  // CNI configuration and IPAM files, and kube-proxy's kubeconfig, are only stat'ed (CIS 1.1.9/1.1.10, 4.1.3/4.1.4).
  for (const dir of [CNI_CONFIG_DIR, CNI_NETWORKS_DIR]) await reader.walkFiles(dir, async () => {});
  for (const path of PROXY_KUBECONFIG_PATHS) if (!path.startsWith('/etc/kubernetes/')) await reader.stat(path);

  const kubeletCommandLine = await readKubeletUnit(reader);
  const users = parseIds(await reader.text('/etc/passwd', { optional: true, record: false }));
  const groups = parseIds(await reader.text('/etc/group', { optional: true, record: false }));
  const modprobeRules = await readModprobe(reader);
  const loadedModules = (await reader.text('/proc/modules', { optional: true, record: false }))
    ?.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
  const processes = await readProcesses(reader);

  // The files the components' command lines name, then the files those files name.
  const commandLines: { component: string; argv: string[]; env: Record<string, string> }[] = [];
  for (const item of reader.result.items.filter((i) => i.ref.kind === 'Pod')) {
    // validateItems has checked these fields' types.
    const spec = item.object.spec as { containers?: (Container & { env?: { name?: string; value?: string }[] })[] } | undefined;
    for (const c of spec?.containers ?? []) {
      const argv = argvOf(c);
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
    if (podManifestPath?.startsWith('/') && cleanNodePath(podManifestPath) !== '/etc/kubernetes/manifests') await reader.readStaticPods(podManifestPath);
    const cniConfDir = line.component === 'kubelet' ? flags.get('cni-conf-dir') : undefined;
    if (cniConfDir?.startsWith('/')) await reader.walkFiles(cniConfDir, async () => {});
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
    ...(users ? { users } : {}),
    ...(groups ? { groups } : {}),
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
      for (const plugin of Array.isArray(object.plugins) ? (object.plugins as unknown[]) : []) {
        const path = valueAt(plugin, 'path');
        if (typeof path === 'string' && path.startsWith('/')) await reader.readObjects(path, { optional: true });
      }
    }
    if (item.ref.kind === 'KubeProxyConfiguration') {
      const kubeconfig = valueAt(object, 'clientConnection.kubeconfig');
      if (typeof kubeconfig === 'string' && kubeconfig.startsWith('/')) await reader.stat(kubeconfig);
    }
    if (item.ref.kind === 'KubeletConfiguration') {
      for (const key of ['authentication.x509.clientCAFile', 'tlsCertFile']) {
        const value = valueAt(object, key);
        if (typeof value === 'string' && value.startsWith('/')) await reader.readCertificate(value);
      }
      const staticPodPath = object.staticPodPath;
      if (typeof staticPodPath === 'string' && staticPodPath.startsWith('/') && cleanNodePath(staticPodPath) !== '/etc/kubernetes/manifests') {
        await reader.readStaticPods(staticPodPath);
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
  for (const name of await reader.list('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    // A process may end while /proc is read: optional.
    const raw = await reader.text(`/proc/${name}/cmdline`, { optional: true, record: false });
    if (raw === undefined) continue;
    const argv = raw.split('\u0000');
    if (argv[argv.length - 1] === '') argv.pop();
    const command = basename(argv[0] ?? '');
    if ((COMPONENTS as readonly string[]).includes(command)) processes.push({ pid: Number(name), argv });
  }
  return processes.sort((a, b) => a.pid - b.pid);
}

/** The node's name from /etc/hostname; a file that holds no host name is reported, and the folder names the node. */
async function nodeName(reader: NodeReader): Promise<string> {
  const text = await reader.text('/etc/hostname', { optional: true, record: false });
  const first = text?.trim().split('\n')[0]?.trim();
  if (!first) return basename(reader.root);
  // RFC 1123 names: anything else (control characters, megabytes of text) would reach every finding.
  if (/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(first)) return first;
  reader.fail('/etc/hostname', new Error('does not hold a host name (letters, digits, "-" and "." up to 253 characters); the node is named after its folder'));
  return basename(reader.root);
}

/** Names to ids of /etc/passwd or /etc/group (both "name:x:id:..."); undefined when the file is not there. */
function parseIds(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  const ids: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id)) ids[name] = Number(id);
  }
  return ids;
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
