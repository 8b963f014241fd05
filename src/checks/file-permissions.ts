// Modes and owners of the files a node keeps for Kubernetes, judged against the limits of the
// CIS Kubernetes Benchmark. Each section's check passes its own rules: files that carry
// credentials (api-authn), static pod manifests (api-authz), the kubelet's files
// (kubelet-access), etcd's (etcd-access), CNI configuration (network-access). Modes and owners
// are the node's (lstat) or those a node-root copy records in .kubeward-stat.tsv.
//
// Every result carries its CIS 1.12 outcome per control: the mode control and the owner control
// of a file separately, judged as kube-bench's audit does (`stat -c %a` against a bitmask,
// `stat -c %U:%G` against user:group names), so a bad mode with a good owner fails only the mode
// control, and where kubeward's limit differs from CIS's the CIS outcome follows CIS.

import type { Cis112ControlId } from '../frameworks/cis-1.12.js';
import type { ComponentSettings } from '../engines/config/index.js';
import { cleanNodePath, nodePathOf, type HostFile, type HostSnapshot } from '../inventory/host.js';
import { Inventory } from '../inventory/inventory.js';
import { parseDocuments } from '../sources/documents.js';
import { forEachHost, hostInventory } from './component-support.js';
import { fail, pass } from './define.js';
import type { CheckContext, CheckResult, CisOutcome, Subject } from './types.js';

/** Who may own a file: root:root, or (etcd's data) root:root or etcd:etcd. */
export type Owner = 'root' | 'root-or-etcd';

/** The CIS 1.12 controls of the files a rule covers, and how CIS's limits differ from the rule's. */
export interface CisFileControls {
  /** The control judging the mode (kube-bench's `bitmask`: no bit beyond the limit). */
  mode?: Cis112ControlId;
  /** The control judging the owner (`stat -c %U:%G`). */
  owner?: Cis112ControlId;
  /** CIS's mode limit when it is not the rule's. */
  maxMode?: number;
  /** CIS's owner when it is not root:root. */
  ownerName?: 'etcd:etcd';
  /** Shown in the CIS view when CIS's verdict on a file differs from kubeward's. */
  note?: string;
}

export interface PermissionRule {
  /** Node paths the rule covers: a pattern, the exact paths, or every entry below some folders. */
  path: RegExp | readonly string[] | { under: readonly string[] };
  /** What kind of entry: `any` also takes links (their own owner, as `stat` without -L reads it). */
  type: 'file' | 'directory' | 'any';
  /** The most permissive mode allowed, e.g. 0o600 (special bits count); undefined: only the owner is judged. */
  maxMode?: number;
  owner: Owner;
  /** What the file is, for messages. */
  what: string;
  cis?: CisFileControls;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function covers(rule: PermissionRule, file: HostFile): boolean {
  if (rule.type !== 'any' && rule.type !== file.type) return false;
  const { path } = rule;
  if (path instanceof RegExp) return path.test(file.path);
  if ('under' in path) return path.under.some((dir) => file.path.startsWith(`${cleanNodePath(dir)}/`));
  return path.includes(file.path);
}

export function fileSubject(host: HostSnapshot, file: HostFile): Subject {
  return { ref: { kind: 'File', name: `${file.path} on ${host.name}` }, location: { file: `${host.root.replace(/\/+$/, '')}${file.path}` } };
}

/** kube-bench's `bitmask`: the mode has no bit the limit lacks. */
function withinMode(file: HostFile, max: number): boolean {
  return ((file.mode & 0o7777) & ~max) === 0;
}

function ownedAsAllowed(host: HostSnapshot, file: HostFile, owner: Owner): boolean {
  if (file.uid === 0 && file.gid === 0) return true;
  if (owner === 'root') return false;
  const uidOk = file.uid === 0 || (host.users?.etcd !== undefined && file.uid === host.users.etcd);
  const gidOk = file.gid === 0 || (host.groups?.etcd !== undefined && file.gid === host.groups.etcd);
  return uidOk && gidOk;
}

/**
 * Whether an id prints as `name` in `stat -c %U:%G`: undefined when the node root has no
 * /etc/passwd or /etc/group to tell (id 0 is root's on every system).
 */
function isNamed(ids: Record<string, number> | undefined, name: string, id: number): boolean | undefined {
  if (id === 0) return false;
  return ids === undefined ? undefined : ids[name] === id;
}

function cisOwnerOutcome(host: HostSnapshot, file: HostFile, owner: CisFileControls['ownerName']): CisOutcome {
  if (owner !== 'etcd:etcd') return file.uid === 0 && file.gid === 0 ? 'pass' : 'fail';
  const user = isNamed(host.users, 'etcd', file.uid);
  const group = isNamed(host.groups, 'etcd', file.gid);
  if (user === false || group === false) return 'fail';
  return user && group ? 'pass' : 'not-evaluated';
}

/** The result's outcome per CIS control of its rule, and the rule's note when CIS judges it otherwise. */
function cisJudgement(host: HostSnapshot, file: HostFile, rule: PermissionRule, modeOk: boolean, ownerOk: boolean) {
  const outcomes: Partial<Record<Cis112ControlId, CisOutcome>> = {};
  const notes: Partial<Record<Cis112ControlId, string>> = {};
  const c = rule.cis ?? {};
  const max = c.maxMode ?? rule.maxMode;
  if (c.mode && max !== undefined) {
    const ok = withinMode(file, max);
    outcomes[c.mode] = ok ? 'pass' : 'fail';
    if (ok !== modeOk && c.note) notes[c.mode] = c.note;
  }
  if (c.owner) {
    const outcome = cisOwnerOutcome(host, file, c.ownerName);
    outcomes[c.owner] = outcome;
    if ((outcome === 'pass') !== ownerOk && c.note) notes[c.owner] = c.note;
  }
  return { cis: { '1.12': outcomes }, ...(Object.keys(notes).length > 0 ? { cisNote: notes } : {}) };
}

/** Judges one file by its rule. */
export function judgeFile(host: HostSnapshot, file: HostFile, rule: PermissionRule): CheckResult {
  const subject = fileSubject(host, file);
  const modeOk = rule.maxMode === undefined || withinMode(file, rule.maxMode);
  const ownerOk = ownedAsAllowed(host, file, rule.owner);
  const judgement = cisJudgement(host, file, rule, modeOk, ownerOk);
  if (modeOk && ownerOk) return pass(subject, judgement);
  const problems: string[] = [];
  if (!modeOk) problems.push(`mode ${octal(file.mode & 0o7777)} is more permissive than ${octal(rule.maxMode!)}`);
  const allowed = rule.owner === 'root' ? 'root:root' : 'root:root or etcd:etcd';
  if (!ownerOk) problems.push(`owned by uid ${file.uid} gid ${file.gid}, not ${allowed}`);
  const chown = `chown ${rule.owner === 'root' ? 'root:root' : 'etcd:etcd (or root:root)'} ${file.path}`;
  const remediation = rule.maxMode === undefined ? chown : `${chown} && chmod ${octal(rule.maxMode).slice(1)} ${file.path}`;
  return fail(subject, `${rule.what} ${file.path} on ${host.name}: ${problems.join('; ')}`, { remediation, ...judgement });
}

/**
 * Judges every file of every node root that a rule covers (the first matching rule decides);
 * `rules` may depend on the node (paths its components name).
 */
export function* judgePermissions(ctx: CheckContext, rules: readonly PermissionRule[] | ((host: HostSnapshot) => readonly PermissionRule[])): Iterable<CheckResult> {
  yield* forEachHost(ctx, (host) => judgeHostFiles(host, typeof rules === 'function' ? rules(host) : rules));
}

/** Judges every file of one node root that a rule covers (the first matching rule decides). */
export function* judgeHostFiles(host: HostSnapshot, rules: readonly PermissionRule[]): Iterable<CheckResult> {
  for (const file of host.files) {
    const rule = rules.find((r) => covers(r, file));
    if (rule) yield judgeFile(host, file, rule);
  }
}

/** A file entry for check examples. */
export function hostFile(path: string, mode: number, uid = 0, type: HostFile['type'] = 'file', gid = uid): HostFile {
  return { path, mode, uid, gid, size: 100, type };
}

/** kube-apiserver's static pod manifest on a kubeadm control-plane node. */
const API_SERVER_MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';

/**
 * A kubeadm control-plane node root for check examples: kube-apiserver's static pod (`podYaml`) in
 * its manifest, and `files` (node path: text) it reads.
 */
export function apiServerNode(podYaml: string, files: Record<string, string> = {}): Inventory {
  const host = hostInventory({ files: [hostFile('/etc/kubernetes/manifests', 0o755, 0, 'directory'), hostFile(API_SERVER_MANIFEST, 0o600), ...Object.keys(files).map((f) => hostFile(f, 0o600))] }).hosts[0]!;
  const items = [[API_SERVER_MANIFEST, podYaml], ...Object.entries(files)].flatMap(([path, text]) => parseDocuments(text!, `${host.root}${path}`).items);
  return new Inventory(items, { hosts: [host] });
}

/** The absolute paths among settings' values, as node paths (relative or unset values left out). */
export function absoluteNodePaths(values: readonly (string | undefined)[]): string[] {
  return values.filter((v): v is string => Boolean(v?.startsWith('/'))).map(cleanNodePath);
}

/** The node paths, on this node, of the files a setting of the runs names (each scheduler's --kubeconfig). */
export function namedPathsOn(host: HostSnapshot, runs: readonly ComponentSettings[], flag: string): string[] {
  return absoluteNodePaths(runs.filter((s) => s.run.host === host).map((s) => s.get(flag).value));
}

/** The node paths of the static pod manifests the runs were read from, on this node. */
export function manifestPathsOn(host: HostSnapshot, runs: readonly ComponentSettings[]): string[] {
  return runs
    .filter((s) => s.run.host === host && s.run.pod)
    .map((s) => nodePathOf(host, s.run.location.file))
    .filter((p): p is string => p !== undefined);
}
