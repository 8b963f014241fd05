import { hostInventory } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';

const RULES: PermissionRule[] = [
  { path: /^\/etc\/kubernetes\/(admin|super-admin|controller-manager|scheduler)\.conf$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubeconfig' },
  { path: /^\/etc\/kubernetes\/pki\/[^/]+\.key$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'private key' },
  { path: /^\/etc\/kubernetes\/pki\/[^/]+\.(crt|pub)$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'certificate or public key' },
  { path: /^\/etc\/kubernetes\/pki$/, type: 'directory', maxMode: 0o755, owner: 'root', what: 'pki directory' },
];

export default defineCheck({
  id: 'credential-file-permissions',
  section: 'api-authn',
  severity: 'critical',
  title: 'Control-plane credentials are readable or writable by other users',
  docs: {
    what: 'On every node root, checks the control plane\'s credentials: the kubeconfigs /etc/kubernetes/{admin,super-admin,controller-manager,scheduler}.conf and the private keys in /etc/kubernetes/pki (CA, API server, service account signing key, front proxy) must be 0600, certificates and public keys 0644 at most, all owned by root. They belong to api-authn because each one is an identity the API server trusts (the CA key mints any identity). etcd\'s and the kubelet\'s files are judged in etcd-access and kubelet-access. Modes come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'Any local user or container with a host mount who reads admin.conf or ca.key is cluster-admin; sa.key signs tokens for any service account. Write access to a certificate lets an attacker swap in a CA they control.',
    references: ['Securing a Cluster: API Authentication', 'CIS Kubernetes 1.1.13-1.1.21'],
  },
  remediation: `chown root:root /etc/kubernetes/*.conf /etc/kubernetes/pki/*
chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf /etc/kubernetes/pki/*.key
chmod 644 /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/*.pub`,
  *evaluate(ctx) {
    yield* judgePermissions(ctx, RULES);
  },
  examples: {
    fail: [{ description: 'CA key readable by all', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/pki/ca.key', 0o644)] }) }],
    pass: [{ description: 'kubeadm modes', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/admin.conf', 0o600), hostFile('/etc/kubernetes/pki/ca.key', 0o600), hostFile('/etc/kubernetes/pki/ca.crt', 0o644)] }) }],
  },
  fix: PERMISSIONS_FIX,
});
