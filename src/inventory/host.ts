// What kubeward reads from a node's filesystem (--node-root). Filled by src/sources/node-root.ts.

import { posix } from 'node:path';

/** One file on the node, with its mode and owner as the node has them. */
export interface HostFile {
  /** Absolute path on the node, e.g. /etc/kubernetes/manifests/kube-apiserver.yaml. */
  path: string;
  /** Permission bits (mode & 0o7777) as lstat reports them, or as the stat sidecar records them. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** What kind of filesystem entry it is. */
  type: 'file' | 'directory' | 'symlink' | 'other';
}

/** A PEM certificate file on the node (its whole text; a file may hold a chain). */
export interface HostCertificate {
  /** Absolute path on the node, e.g. /etc/kubernetes/pki/apiserver.crt. */
  path: string;
  pem: string;
}

/** One rule of /etc/modprobe.d/*.conf that keeps a kernel module from loading. */
export interface ModprobeRule {
  /** `blacklist dccp` or `install dccp /bin/false`. */
  directive: 'blacklist' | 'install';
  module: string;
  /** For `install`: the command run instead of loading the module. */
  command?: string;
  /** Absolute path on the node and line of the rule. */
  file: string;
  line: number;
}

/** A command line assembled from files (the kubelet's systemd unit, drop-ins, env files). */
export interface HostCommandLine {
  argv: string[];
  /** Where each argument was written: file (absolute path under the root) and line. */
  locations: { file: string; line: number }[];
}

/** A config file that is not a Kubernetes object (etcd --config-file), parsed. */
export interface HostConfigFile {
  /** Absolute path on the node. */
  path: string;
  /** Where it was read (the root joined with the path). */
  file: string;
  data: Record<string, unknown>;
  /** Line of each dotted field path, e.g. "client-transport-security.cert-file". */
  lines: Record<string, number>;
}

/** A process of a Kubernetes component read from /proc/<pid>/cmdline. */
export interface HostProcess {
  pid: number;
  argv: string[];
}

export interface HostSnapshot {
  /** A name for the node (its hostname when known, else the root folder). */
  name: string;
  /** The folder read as the node's root. */
  root: string;
  files: HostFile[];
  /** Every PEM certificate under /etc/kubernetes/pki and /var/lib/kubelet/pki. */
  certificates: HostCertificate[];
  /** Rules of /etc/modprobe.d that blacklist or replace a module. */
  modprobeRules: ModprobeRule[];
  /** Module names from /proc/modules; undefined when /proc/modules was not there to read. */
  loadedModules?: string[];
  /** Component processes (kube-apiserver, kubelet, etcd, ...) from /proc/<pid>/cmdline. */
  processes: HostProcess[];
  /** The kubelet's command line from its systemd unit, when the node has one. */
  kubeletCommandLine?: HostCommandLine;
  /** Non-Kubernetes config files the components name (etcd --config-file). */
  configFiles?: HostConfigFile[];
  /** Users of /etc/passwd by name (uid), to judge owners such as etcd's; undefined without /etc/passwd. */
  users?: Record<string, number>;
  /** Groups of /etc/group by name (gid); undefined without /etc/group. */
  groups?: Record<string, number>;
}

/** The CNI configuration folder (the kubelet's old --cni-conf-dir default), which CIS 1.1.9/1.1.10 audit. */
export const CNI_CONFIG_DIR = '/etc/cni/net.d';
/** host-local IPAM's reservations, also audited by CIS 1.1.9/1.1.10 (kube-bench). */
export const CNI_NETWORKS_DIR = '/var/lib/cni/networks';
/** Where kube-bench looks for kube-proxy's kubeconfig (its $proxykubeconfig: the first that exists, else the last). */
export const PROXY_KUBECONFIG_PATHS = [
  '/etc/kubernetes/kubelet-kubeconfig', '/etc/kubernetes/kubelet-kubeconfig.conf', '/etc/kubernetes/kubelet/config',
  '/etc/kubernetes/ssl/kubecfg-kube-proxy.yaml', '/var/lib/kubelet/kubeconfig', '/var/snap/microk8s/current/credentials/proxy.config',
  '/var/lib/rancher/rke2/agent/kubeproxy.kubeconfig', '/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig', '/etc/kubernetes/proxy.conf',
] as const;

/** Is `path` equal to `root` or inside it? */
export function isWithin(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/** A path as the node sees it: absolute, `..` applied lexically (never above `/`), no trailing slash. */
export function cleanNodePath(path: string): string {
  return posix.normalize(`/${path}`).replace(/(.)\/+$/, '$1');
}

/**
 * The node path of a file this node root read (its location minus the root), or undefined when
 * the file was not read from this root: with root "/" every absolute path starts with the root,
 * so the list of files read decides.
 */
export function nodePathOf(host: HostSnapshot, file: string): string | undefined {
  const prefix = host.root.replace(/\/+$/, '');
  if (!file.startsWith(`${prefix}/`)) return undefined;
  const path = file.slice(prefix.length);
  return host.files.some((f) => f.path === path) ? path : undefined;
}
