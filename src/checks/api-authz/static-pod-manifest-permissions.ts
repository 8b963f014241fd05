import { hostInventory } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';

const RULES: PermissionRule[] = [
  // etcd's manifest is judged in etcd-access.
  { path: /^\/etc\/kubernetes\/manifests\/(?!etcd\.)[^/]+$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'static pod manifest' },
  { path: /^\/etc\/kubernetes\/manifests$/, type: 'directory', maxMode: 0o755, owner: 'root', what: 'static pod directory' },
];

export default defineCheck({
  id: 'static-pod-manifest-permissions',
  section: 'api-authz',
  severity: 'high',
  title: 'Static pod manifests are writable or readable by other users',
  docs: {
    what: 'On every node root, checks the control-plane static pod manifests in /etc/kubernetes/manifests (0600, owned by root) and the directory itself (0755 at most). They are judged in api-authz because the manifests hold the API server\'s --authorization-mode and admission plugins, and because writing one runs any privileged pod outside every authorization check. Modes come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'The kubelet runs whatever appears in this directory, as root and without asking the API server: a writable manifest or directory is root on the control plane and a way to switch the API server to AlwaysAllow. Readable manifests disclose flags and file paths to local users.',
    references: ['Securing a Cluster: API Authorization', 'CIS Kubernetes 1.1.1-1.1.6'],
  },
  remediation: `chown root:root /etc/kubernetes/manifests/*.yaml && chmod 600 /etc/kubernetes/manifests/*.yaml`,
  *evaluate(ctx) {
    yield* judgePermissions(ctx, RULES);
  },
  examples: {
    fail: [{ description: 'manifest writable by group', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/manifests/kube-apiserver.yaml', 0o664)] }) }, { description: 'owned by a user', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/manifests/kube-apiserver.yaml', 0o600, 1000)] }) }],
    pass: [{ description: 'kubeadm modes', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/manifests/kube-apiserver.yaml', 0o600), hostFile('/etc/kubernetes/manifests', 0o755, 0, 'directory')] }) }],
  },
  fix: PERMISSIONS_FIX,
});
