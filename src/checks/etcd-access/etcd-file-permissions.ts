import { hostInventory, runsOf } from '../component-support.js';
import { defineCheck } from '../define.js';
import { absoluteNodePaths, hostFile, judgePermissions, manifestPathsOn, type PermissionRule } from '../file-permissions.js';
import { pkiRules } from '../api-authn/credential-file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import type { HostSnapshot } from '../../inventory/host.js';
import type { CheckContext } from '../types.js';

/** kubeadm's data directory, judged when no etcd run names one. */
const DEFAULT_DATA_DIR = '/var/lib/etcd';

function rules(ctx: CheckContext, host: HostSnapshot): PermissionRule[] {
  const etcd = runsOf(ctx, 'etcd');
  const named = absoluteNodePaths(etcd.map((s) => s.get('data-dir').value));
  const dataDirs = named.length > 0 ? named : [DEFAULT_DATA_DIR];
  return [
    {
      path: ['yaml', 'yml', 'manifest', 'json'].map((ext) => `/etc/kubernetes/manifests/etcd.${ext}`).concat(manifestPathsOn(host, etcd)),
      type: 'file', maxMode: 0o600, owner: 'root', what: 'etcd static pod manifest', cis: { mode: '1.1.7', owner: '1.1.8' },
    },
    {
      path: dataDirs, type: 'directory', maxMode: 0o700, owner: 'root-or-etcd', what: 'etcd data directory',
      cis: { mode: '1.1.11', owner: '1.1.12', ownerName: 'etcd:etcd', note: 'CIS (kube-bench: stat -c %U:%G) asks etcd:etcd by name; kubeward also accepts root:root, as kubeadm\'s etcd runs as root' },
    },
    ...pkiRules(String.raw`^\/etc\/kubernetes\/pki\/etcd`, 'etcd PKI'),
  ];
}

export default defineCheck({
  id: 'etcd-file-permissions',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd data, keys or manifest are open to other users',
  docs: {
    what: 'On every node root, checks etcd\'s data directory (its effective --data-dir, else /var/lib/etcd) for mode 0700 or stricter, owned by root:root or etcd:etcd (user and group, by the node\'s /etc/passwd and /etc/group), the etcd static pod manifest (0600, root:root) and everything under /etc/kubernetes/pki/etcd: keys 0600, certificates 0644, folders 0755 at most, all owned by root:root. CIS asks etcd:etcd for the data directory: a root-owned one passes here and fails in the CIS view. Modes are compared as kube-bench\'s bitmask (no bit beyond the limit, special bits included); modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'The data directory is the whole cluster state in files: any local user who reads it has every Secret, bypassing etcd\'s and the API server\'s authentication. The etcd keys let anyone talk to etcd as a trusted client or peer.',
    references: ['Securing a Cluster: Restricting access to etcd'],
  },
  remediation: `chmod 700 /var/lib/etcd && chown etcd:etcd /var/lib/etcd   (root:root when etcd runs as root, as with kubeadm)
chown root:root /etc/kubernetes/manifests/etcd.yaml && chmod 600 /etc/kubernetes/manifests/etcd.yaml
chown -R root:root /etc/kubernetes/pki/etcd && chmod 600 /etc/kubernetes/pki/etcd/*.key && chmod 644 /etc/kubernetes/pki/etcd/*.crt`,
  cis: { '1.12': ['1.1.7', '1.1.8', '1.1.11', '1.1.12', '1.1.19', '1.1.20', '1.1.21'] },
  *evaluate(ctx) {
    yield* judgePermissions(ctx, (host) => rules(ctx, host));
  },
  examples: {
    fail: [
      { description: 'data directory readable by everyone', build: () => hostInventory({ files: [hostFile('/var/lib/etcd', 0o755, 0, 'directory')] }) },
      { description: 'data directory group-owned by a user', build: () => hostInventory({ users: { etcd: 998 }, groups: { etcd: 998 }, files: [hostFile('/var/lib/etcd', 0o700, 998, 'directory', 1000)] }) },
      { description: 'etcd manifest owned by a user', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/manifests/etcd.yaml', 0o600, 1000)] }) },
      { description: 'etcd peer key readable by the group', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/pki/etcd/peer.key', 0o640)] }) },
    ],
    pass: [
      { description: 'kubeadm layout', build: () => hostInventory({ files: [hostFile('/var/lib/etcd', 0o700, 0, 'directory'), hostFile('/etc/kubernetes/manifests/etcd.yaml', 0o600), hostFile('/etc/kubernetes/pki/etcd/server.key', 0o600)] }) },
      { description: 'owned by the etcd user and group', build: () => hostInventory({ users: { etcd: 998 }, groups: { etcd: 998 }, files: [hostFile('/var/lib/etcd', 0o700, 998, 'directory')] }) },
    ],
  },
  fix: PERMISSIONS_FIX,
});
