import { componentPodYaml, hostInventory, kubeletConfigYaml, runsOf } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, manifestPathsOn, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import type { HostSnapshot } from '../../inventory/host.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import type { CheckContext } from '../types.js';

const MANIFESTS = '/etc/kubernetes/manifests';

/** Each control-plane component's manifest and its CIS controls (mode, owner). */
const COMPONENTS: { component: 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler'; mode: Cis112ControlId; owner: Cis112ControlId }[] = [
  { component: 'kube-apiserver', mode: '1.1.1', owner: '1.1.2' },
  { component: 'kube-controller-manager', mode: '1.1.3', owner: '1.1.4' },
  { component: 'kube-scheduler', mode: '1.1.5', owner: '1.1.6' },
];

function rules(ctx: CheckContext, host: HostSnapshot): PermissionRule[] {
  // A component's manifest: the file its static pod was read from, or where kube-bench looks for it.
  const components: PermissionRule[] = COMPONENTS.map(({ component, mode, owner }) => ({
    path: [...['yaml', 'yml', 'manifest'].map((ext) => `${MANIFESTS}/${component}.${ext}`), ...manifestPathsOn(host, runsOf(ctx, component))],
    type: 'file',
    maxMode: 0o600,
    owner: 'root',
    what: `${component} static pod manifest`,
    cis: { mode, owner },
  }));
  return [
    ...components,
    // etcd's manifest is judged in etcd-access.
    { path: /^\/etc\/kubernetes\/manifests\/(?!etcd\.)[^/]+$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'static pod manifest' },
    { path: [MANIFESTS], type: 'directory', maxMode: 0o755, owner: 'root', what: 'static pod directory' },
  ];
}

/** A node root whose API server manifest has the given mode and owner. */
function apiServerManifest(mode: number, uid: number, gid: number): Inventory {
  const path = `${MANIFESTS}/kube-apiserver.yaml`;
  const host = hostInventory({ files: [hostFile(path, mode, uid, 'file', gid)] }).hosts[0]!;
  return new Inventory(parseDocuments(componentPodYaml('kube-apiserver', ['--secure-port=6443']), `${host.root}${path}`).items, { hosts: [host] });
}

export default defineCheck({
  id: 'static-pod-manifest-permissions',
  section: 'api-authz',
  severity: 'high',
  title: 'Static pod manifests are writable or readable by other users',
  docs: {
    what: 'On every node root, checks the control-plane static pod manifests in /etc/kubernetes/manifests (0600 or stricter, owned by root:root, user and group) and the directory itself (0755 at most, root:root). The manifest of each component is also found where its static pod was read from, wherever the kubelet\'s static pod path is. They are judged in api-authz because the manifests hold the API server\'s --authorization-mode and admission plugins, and because writing one runs any privileged pod outside every authorization check. Modes are compared as kube-bench\'s bitmask (no bit beyond the limit, special bits included); modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'The kubelet runs whatever appears in this directory, as root and without asking the API server: a writable manifest or directory is root on the control plane and a way to switch the API server to AlwaysAllow. Readable manifests disclose flags and file paths to local users.',
    references: ['Securing a Cluster: API Authorization'],
  },
  remediation: `chown root:root /etc/kubernetes/manifests/*.yaml && chmod 600 /etc/kubernetes/manifests/*.yaml`,
  cis: { '1.12': ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6'] },
  *evaluate(ctx) {
    yield* judgePermissions(ctx, (host) => rules(ctx, host));
  },
  examples: {
    fail: [
      { description: 'manifest writable by group', build: () => hostInventory({ files: [hostFile(`${MANIFESTS}/kube-apiserver.yaml`, 0o664)] }) },
      { description: 'owned by a user', build: () => hostInventory({ files: [hostFile(`${MANIFESTS}/kube-apiserver.yaml`, 0o600, 1000)] }) },
      { description: 'owned by root, group of a user', build: () => apiServerManifest(0o600, 0, 1000) },
      { description: 'setuid bit', build: () => hostInventory({ files: [hostFile(`${MANIFESTS}/kube-scheduler.yaml`, 0o4600)] }) },
      {
        description: 'API server manifest in the kubelet\'s staticPodPath elsewhere, readable by all',
        build: () => {
          const config = '/var/lib/kubelet/config.yaml';
          const host = hostInventory({ files: [hostFile('/etc/static/api.yaml', 0o644), hostFile(config, 0o600)] }).hosts[0]!;
          const items = [
            ...parseDocuments(componentPodYaml('kube-apiserver', []), `${host.root}/etc/static/api.yaml`).items,
            ...parseDocuments(kubeletConfigYaml('staticPodPath: /etc/static\n'), `${host.root}${config}`).items,
          ];
          return new Inventory(items, { hosts: [host] });
        },
      },
    ],
    pass: [
      { description: 'kubeadm modes', build: () => hostInventory({ files: [hostFile(`${MANIFESTS}/kube-apiserver.yaml`, 0o600), hostFile(MANIFESTS, 0o755, 0, 'directory')] }) },
      { description: 'stricter than 0600', build: () => apiServerManifest(0o400, 0, 0) },
    ],
  },
  fix: PERMISSIONS_FIX,
});
