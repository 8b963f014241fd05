import { settingsOf } from '../../engines/config/index.js';
import { hostInventory } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';

const RULES: PermissionRule[] = [
  { path: /^\/etc\/kubernetes\/manifests\/etcd\.(yaml|yml|json)$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'etcd static pod manifest' },
  { path: /^\/etc\/kubernetes\/pki\/etcd\/[^/]+\.key$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'etcd key' },
  { path: /^\/etc\/kubernetes\/pki\/etcd\/[^/]+\.crt$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'etcd certificate' },
];

function escape(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default defineCheck({
  id: 'etcd-file-permissions',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd data, keys or manifest are open to other users',
  docs: {
    what: 'On every node root, checks etcd\'s data directory (its effective --data-dir, else /var/lib/etcd) for mode 0700 owned by root or the etcd user, the etcd static pod manifest (0600) and the keys (0600) and certificates (0644) under /etc/kubernetes/pki/etcd, owned by root. Modes come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'The data directory is the whole cluster state in files: any local user who reads it has every Secret, bypassing etcd\'s and the API server\'s authentication. The etcd keys let anyone talk to etcd as a trusted client or peer.',
    references: ['Securing a Cluster: Restricting access to etcd', 'CIS Kubernetes 1.1.7, 1.1.8, 1.1.11, 1.1.12, 1.1.19-1.1.21'],
  },
  remediation: `chmod 700 /var/lib/etcd && chown etcd:etcd /var/lib/etcd   (root:root when etcd runs as root, as with kubeadm)
chmod 600 /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/pki/etcd/*.key`,
  *evaluate(ctx) {
    const dataDirs = new Set(settingsOf(ctx.inventory, 'etcd', ctx.k8sVersion).map((s) => s.get('data-dir').value).filter((d): d is string => Boolean(d?.startsWith('/'))));
    if (dataDirs.size === 0) dataDirs.add('/var/lib/etcd');
    const dirRules: PermissionRule[] = [...dataDirs].map((dir) => ({ path: new RegExp(`^${escape(dir.replace(/\/+$/, ''))}$`), type: 'directory', maxMode: 0o700, owner: 'root-or-etcd', what: 'etcd data directory' }));
    yield* judgePermissions(ctx, RULES, () => dirRules);
  },
  examples: {
    fail: [{ description: 'data directory readable by everyone', build: () => hostInventory({ files: [hostFile('/var/lib/etcd', 0o755, 0, 'directory')] }) }],
    pass: [
      { description: 'kubeadm layout', build: () => hostInventory({ files: [hostFile('/var/lib/etcd', 0o700, 0, 'directory'), hostFile('/etc/kubernetes/manifests/etcd.yaml', 0o600), hostFile('/etc/kubernetes/pki/etcd/server.key', 0o600)] }) },
      { description: 'owned by the etcd user', build: () => hostInventory({ users: { etcd: 998 }, files: [hostFile('/var/lib/etcd', 0o700, 998, 'directory')] }) },
    ],
  },
  fix: PERMISSIONS_FIX,
});
