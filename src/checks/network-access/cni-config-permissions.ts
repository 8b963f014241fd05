import { hostInventory, kubeletsOf } from '../component-support.js';
import { defineCheck } from '../define.js';
import { hostFile, judgePermissions, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import { CNI_CONFIG_DIR, CNI_NETWORKS_DIR, type HostSnapshot } from '../../inventory/host.js';
import type { CheckContext } from '../types.js';

function rules(ctx: CheckContext, host: HostSnapshot): PermissionRule[] {
  // kube-bench reads the kubelet's --cni-conf-dir; container runtimes read /etc/cni/net.d.
  const named = kubeletsOf(ctx).filter((k) => k.run?.host === host).map((k) => k.run!.flags.get('cni-conf-dir')?.value).filter((d): d is string => Boolean(d?.startsWith('/')));
  const under = { under: [CNI_CONFIG_DIR, ...named] };
  const cis = { mode: '1.1.9', owner: '1.1.10' } as const;
  return [
    { path: under, type: 'file', maxMode: 0o600, owner: 'root', what: 'CNI configuration file', cis },
    {
      path: under, type: 'directory', maxMode: 0o755, owner: 'root', what: 'CNI configuration folder',
      cis: { ...cis, maxMode: 0o600, note: 'kube-bench lists every entry under the CNI configuration folder, folders too, and asks 600 of each; kubeward asks 755 of folders' },
    },
    { path: under, type: 'any', owner: 'root', what: 'CNI configuration entry', cis: { owner: cis.owner } },
    // host-local IPAM's reservations: kube-bench judges its files only.
    { path: { under: [CNI_NETWORKS_DIR] }, type: 'file', maxMode: 0o600, owner: 'root', what: 'CNI IPAM file', cis },
  ];
}

export default defineCheck({
  id: 'cni-config-permissions',
  section: 'network-access',
  severity: 'medium',
  title: 'CNI configuration is readable or writable by other users',
  docs: {
    what: 'On every node root, checks everything under the CNI configuration folder (/etc/cni/net.d, and the kubelet\'s --cni-conf-dir where one is set) and the files of host-local IPAM under /var/lib/cni/networks: files 0600 or stricter, folders 0755 at most, all owned by root:root, user and group. Modes are compared as kube-bench\'s bitmask (no bit beyond the limit, special bits included); modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'The container runtime runs the plugins the CNI configuration names, as root, for every pod: whoever writes it runs code as root on the node and decides how pods reach the network, NetworkPolicy enforcement included. The folder often holds a CNI plugin\'s kubeconfig (calico-kubeconfig, multus) with a token that reads or writes the cluster\'s network state.',
    references: ['Securing a Cluster: Restricting network access', 'https://www.cni.dev/docs/spec/'],
  },
  remediation: `chown -R root:root /etc/cni/net.d /var/lib/cni/networks
find /etc/cni/net.d /var/lib/cni/networks -type f -exec chmod 600 {} +`,
  cis: { '1.12': ['1.1.9', '1.1.10'] },
  *evaluate(ctx) {
    yield* judgePermissions(ctx, (host) => rules(ctx, host));
  },
  examples: {
    fail: [
      { description: 'CNI configuration readable by all', build: () => hostInventory({ files: [hostFile('/etc/cni/net.d/10-calico.conflist', 0o644)] }) },
      { description: 'CNI kubeconfig group-owned by a user', build: () => hostInventory({ files: [hostFile('/etc/cni/net.d/calico-kubeconfig', 0o600, 0, 'file', 1000)] }) },
      { description: 'IPAM reservation owned by a user', build: () => hostInventory({ files: [hostFile('/var/lib/cni/networks/k8s-pod-network/10.244.0.5', 0o600, 1000)] }) },
    ],
    pass: [
      {
        description: 'root-only CNI files',
        build: () => hostInventory({ files: [hostFile('/etc/cni/net.d/10-calico.conflist', 0o600), hostFile('/etc/cni/net.d/multus.d', 0o755, 0, 'directory'), hostFile('/var/lib/cni/networks/k8s-pod-network/last_reserved_ip.0', 0o600)] }),
      },
    ],
  },
  fix: PERMISSIONS_FIX,
});
