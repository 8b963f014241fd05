import { hostInventory, runsOf } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, namedPathsOn, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import type { HostSnapshot } from '../../inventory/host.js';
import type { CheckContext } from '../types.js';

/** Under /etc/kubernetes/pki but not pki/etcd, which etcd-access judges. */
const PKI = String.raw`^\/etc\/kubernetes\/pki(?!\/etcd(\/|$))`;

/** The PKI's rules (CIS 1.1.19-1.1.21: every entry root:root, *.crt 644, *.key 600), shared with etcd-access. */
export function pkiRules(under: string, what: string): PermissionRule[] {
  return [
    { path: new RegExp(`${under}\\/.*\\.key$`), type: 'file', maxMode: 0o600, owner: 'root', what: `${what} private key`, cis: { mode: '1.1.21', owner: '1.1.19' } },
    { path: new RegExp(`${under}\\/.*\\.crt$`), type: 'file', maxMode: 0o644, owner: 'root', what: `${what} certificate`, cis: { mode: '1.1.20', owner: '1.1.19' } },
    { path: new RegExp(`${under}\\/.*\\.pub$`), type: 'file', maxMode: 0o644, owner: 'root', what: `${what} public key`, cis: { owner: '1.1.19' } },
    { path: new RegExp(`${under}(\\/.*)?$`), type: 'directory', maxMode: 0o755, owner: 'root', what: `${what} directory`, cis: { owner: '1.1.19' } },
    // Serial files (*.srl), links and anything else: CIS asks only root:root.
    { path: new RegExp(`${under}\\/.+$`), type: 'any', owner: 'root', what: `${what} file`, cis: { owner: '1.1.19' } },
  ];
}

function rules(ctx: CheckContext, host: HostSnapshot): PermissionRule[] {
  return [
    { path: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'], type: 'file', maxMode: 0o600, owner: 'root', what: 'admin kubeconfig', cis: { mode: '1.1.13', owner: '1.1.14' } },
    { path: ['/etc/kubernetes/scheduler.conf', ...namedPathsOn(host, runsOf(ctx, 'kube-scheduler'), 'kubeconfig')], type: 'file', maxMode: 0o600, owner: 'root', what: 'kube-scheduler kubeconfig', cis: { mode: '1.1.15', owner: '1.1.16' } },
    { path: ['/etc/kubernetes/controller-manager.conf', ...namedPathsOn(host, runsOf(ctx, 'kube-controller-manager'), 'kubeconfig')], type: 'file', maxMode: 0o600, owner: 'root', what: 'kube-controller-manager kubeconfig', cis: { mode: '1.1.17', owner: '1.1.18' } },
    ...pkiRules(PKI, 'PKI'),
  ];
}

export default defineCheck({
  id: 'credential-file-permissions',
  section: 'api-authn',
  severity: 'critical',
  title: 'Control-plane credentials are readable or writable by other users',
  docs: {
    what: 'On every node root, checks the control plane\'s credentials: the kubeconfigs /etc/kubernetes/{admin,super-admin,controller-manager,scheduler}.conf (and whatever --kubeconfig the scheduler and controller manager name) must be 0600 or stricter; under /etc/kubernetes/pki (every subfolder but pki/etcd) private keys 0600, certificates and public keys 0644 at most, folders 0755 at most; every one of them, and every other entry of the PKI (serial files, links), owned by root:root, user and group. They belong to api-authn because each one is an identity the API server trusts (the CA key mints any identity). etcd\'s and the kubelet\'s files are judged in etcd-access and kubelet-access. Modes are compared as kube-bench\'s bitmask (no bit beyond the limit, special bits included); modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'Any local user or container with a host mount who reads admin.conf or ca.key is cluster-admin; sa.key signs tokens for any service account. Write access to a certificate lets an attacker swap in a CA they control.',
    references: ['Securing a Cluster: API Authentication'],
  },
  remediation: `chown -R root:root /etc/kubernetes/pki && chown root:root /etc/kubernetes/*.conf
chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf
find /etc/kubernetes/pki -name '*.key' -exec chmod 600 {} + && find /etc/kubernetes/pki \\( -name '*.crt' -o -name '*.pub' \\) -exec chmod 644 {} +`,
  cis: { '1.12': ['1.1.13', '1.1.14', '1.1.15', '1.1.16', '1.1.17', '1.1.18', '1.1.19', '1.1.20', '1.1.21'] },
  *evaluate(ctx) {
    yield* judgePermissions(ctx, (host) => rules(ctx, host));
  },
  examples: {
    fail: [
      { description: 'CA key readable by all', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/pki/ca.key', 0o644)] }) },
      { description: 'admin.conf group-owned by a user', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/admin.conf', 0o600, 0, 'file', 1000)] }) },
      { description: 'serial file in the PKI owned by a user', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/pki/ca.srl', 0o644, 1000)] }) },
      { description: 'front proxy key in a PKI subfolder, group-readable', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/pki/front-proxy/client.key', 0o640)] }) },
    ],
    pass: [
      {
        description: 'kubeadm modes',
        build: () => hostInventory({
          files: [
            hostFile('/etc/kubernetes/admin.conf', 0o600), hostFile('/etc/kubernetes/pki', 0o755, 0, 'directory'), hostFile('/etc/kubernetes/pki/ca.key', 0o600),
            hostFile('/etc/kubernetes/pki/ca.crt', 0o644), hostFile('/etc/kubernetes/pki/ca.srl', 0o644), hostFile('/etc/kubernetes/pki/sa.pub', 0o644),
          ],
        }),
      },
    ],
  },
  fix: PERMISSIONS_FIX,
});
