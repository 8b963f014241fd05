// Modes and owners of the files kubeadm lays out on a node, judged against the CIS Kubernetes
// benchmark's limits. Each section's check passes its own rules: files that carry credentials
// (api-authn), static pod manifests (api-authz), the kubelet's files (kubelet-access) and etcd's
// (etcd-access). Modes are the node's (lstat) or those a node-root copy records in
// .kubeward-stat.tsv.

import type { HostFile, HostSnapshot } from '../inventory/host.js';
import { forEachHost } from './component-support.js';
import { fail, pass } from './define.js';
import type { CheckContext, CheckResult, Subject } from './types.js';

export interface PermissionRule {
  /** Absolute node paths the rule covers. */
  path: RegExp;
  type: 'file' | 'directory';
  /** The most permissive mode allowed, e.g. 0o600. */
  maxMode: number;
  /** Who may own it: root, or (etcd data) root or the etcd user. */
  owner: 'root' | 'root-or-etcd';
  /** What the file is, for messages. */
  what: string;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

export function fileSubject(host: HostSnapshot, file: HostFile): Subject {
  return { ref: { kind: 'File', name: `${file.path} on ${host.name}` }, location: { file: `${host.root.replace(/\/+$/, '')}${file.path}` } };
}

/** Judges every file of every node root that a rule covers (the first matching rule decides). */
export function* judgePermissions(ctx: CheckContext, rules: readonly PermissionRule[], extraDirs: (host: HostSnapshot) => PermissionRule[] = () => []): Iterable<CheckResult> {
  yield* forEachHost(ctx, function* (host) {
    const all = [...rules, ...extraDirs(host)];
    for (const file of host.files) {
      const rule = all.find((r) => r.path.test(file.path) && r.type === file.type);
      if (!rule) continue;
      const subject = fileSubject(host, file);
      const problems: string[] = [];
      const extra = file.mode & 0o777 & ~rule.maxMode;
      if (extra !== 0) problems.push(`mode ${octal(file.mode & 0o777)} is more permissive than ${octal(rule.maxMode)}`);
      const etcdUid = host.users?.etcd;
      const ownerOk = file.uid === 0 || (rule.owner === 'root-or-etcd' && etcdUid !== undefined && file.uid === etcdUid);
      if (!ownerOk) problems.push(`owned by uid ${file.uid}, not ${rule.owner === 'root' ? 'root' : 'root or etcd'}`);
      if (problems.length === 0) yield pass(subject);
      else yield fail(subject, `${rule.what} ${file.path} on ${host.name}: ${problems.join('; ')}`, { remediation: `chown ${rule.owner === 'root' ? 'root:root' : 'etcd:etcd (or root:root)'} ${file.path} && chmod ${octal(rule.maxMode).slice(1)} ${file.path}` });
    }
  });
}

/** A file entry for check examples. */
export function hostFile(path: string, mode: number, uid = 0, type: HostFile['type'] = 'file'): HostFile {
  return { path, mode, uid, gid: uid, size: 100, type };
}
