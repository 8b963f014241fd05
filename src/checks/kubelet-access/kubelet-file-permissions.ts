import { hostInventory } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';

const RULES: PermissionRule[] = [
  { path: /^\/etc\/kubernetes\/(kubelet|bootstrap-kubelet)\.conf$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet kubeconfig' },
  { path: /^\/var\/lib\/kubelet\/config\.yaml$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet config file' },
  { path: /^\/var\/lib\/kubelet\/pki\/.*\.(key|pem)$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet key' },
  { path: /^\/var\/lib\/kubelet\/pki\/.*\.crt$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet certificate' },
  { path: /^\/(etc|usr\/lib|lib|run)\/systemd\/system\/kubelet\.service(\.d\/[^/]+\.conf)?$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet systemd unit' },
  { path: /^\/var\/lib\/kubelet\/kubeadm-flags\.env$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet flags file' },
];

export default defineCheck({
  id: 'kubelet-file-permissions',
  section: 'kubelet-access',
  severity: 'high',
  title: 'Kubelet credentials or configuration are writable or readable by others',
  docs: {
    what: 'On every node root, checks the kubelet\'s kubeconfigs (/etc/kubernetes/kubelet.conf, bootstrap-kubelet.conf: 0600), its config file (/var/lib/kubelet/config.yaml: 0600), its keys and client certificate bundles under /var/lib/kubelet/pki (0600; certificates 0644), and its systemd unit, drop-ins and kubeadm-flags.env (0644, they hold no secrets), all owned by root. These are in kubelet-access because they decide how the kubelet authenticates and who may change its authentication and authorization settings. Modes come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'Whoever reads the kubelet\'s kubeconfig or key acts as the node (system:node:<name>) against the API server; whoever writes its config or unit can turn on anonymous access and AlwaysAllow at the next restart.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'CIS Kubernetes 4.1.1-4.1.10'],
  },
  remediation: `chown root:root the file and chmod it as listed (600 for kubeconfigs, keys and config.yaml, 644 for certificates and unit files).`,
  *evaluate(ctx) {
    yield* judgePermissions(ctx, RULES);
  },
  examples: {
    fail: [{ description: 'world-readable kubelet kubeconfig', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/kubelet.conf', 0o644)] }) }],
    pass: [{ description: 'kubeadm modes', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/kubelet.conf', 0o600), hostFile('/var/lib/kubelet/config.yaml', 0o600), hostFile('/var/lib/kubelet/pki/kubelet.crt', 0o644)] }) }],
  },
  fix: PERMISSIONS_FIX,
});
