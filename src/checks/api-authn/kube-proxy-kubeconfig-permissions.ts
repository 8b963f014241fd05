import { componentPodYaml, forEachHost, hostInventory, kubeProxiesOf } from '../component-support.js';
import { defineCheck, pass } from '../define.js';
import { absoluteNodePaths, hostFile, judgeFile, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import { PROXY_KUBECONFIG_PATHS, type HostSnapshot } from '../../inventory/host.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import type { CheckContext } from '../types.js';

/** The kube-proxy kubeconfigs on this node: those its kube-proxy names, and kube-bench's $proxykubeconfig. */
function kubeconfigsOn(ctx: CheckContext, host: HostSnapshot): string[] {
  const proxies = kubeProxiesOf(ctx).filter((p) => p.run.host === host);
  const named = proxies.flatMap((p) => [p.run.flags.get('kubeconfig')?.value, p.get('clientConnection.kubeconfig').value]);
  const benchPath = PROXY_KUBECONFIG_PATHS.find((path) => host.files.some((f) => f.path === path));
  return [...new Set([...absoluteNodePaths(named), ...(benchPath ? [benchPath] : [])])];
}

const RULE: Omit<PermissionRule, 'path'> = { type: 'file', maxMode: 0o600, owner: 'root', what: 'kube-proxy kubeconfig', cis: { mode: '4.1.3', owner: '4.1.4' } };

export default defineCheck({
  id: 'kube-proxy-kubeconfig-permissions',
  section: 'api-authn',
  severity: 'high',
  title: 'kube-proxy\'s kubeconfig on the node is readable or writable by other users',
  docs: {
    what: 'On every node root, finds kube-proxy\'s kubeconfig where a kube-proxy running on the node names it (--kubeconfig, or clientConnection.kubeconfig of its --config file) and where kube-bench looks for it (/etc/kubernetes/proxy.conf, /var/lib/kubelet/kubeconfig, /etc/kubernetes/ssl/kubecfg-kube-proxy.yaml and the paths of microk8s, RKE2 and k3s), and checks it is 0600 or stricter and owned by root:root, user and group. A node without one (kubeadm runs kube-proxy as a DaemonSet whose kubeconfig is a ServiceAccount token in the pod) passes, as CIS asks this only "if the file exists". Modes are compared as kube-bench\'s bitmask; modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'kube-proxy\'s credentials read every Service and EndpointSlice and, in most setups, write node events: whoever reads the file acts as kube-proxy against the API server, and whoever writes it points kube-proxy at a server they control, which then programs the node\'s service routing.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/'],
  },
  remediation: `chown root:root /etc/kubernetes/proxy.conf && chmod 600 /etc/kubernetes/proxy.conf   (the file kube-proxy's --kubeconfig names)`,
  cis: { '1.12': ['4.1.3', '4.1.4'] },
  *evaluate(ctx) {
    yield* forEachHost(ctx, function* (host) {
      const paths = kubeconfigsOn(ctx, host);
      const files = host.files.filter((f) => f.type === 'file' && paths.includes(f.path));
      for (const file of files) yield judgeFile(host, file, { ...RULE, path: [file.path] });
      if (files.length === 0) {
        yield pass({ ref: { kind: 'Node', name: host.name } }, {
          cis: { '1.12': { '4.1.3': 'pass', '4.1.4': 'pass' } },
          cisNote: 'no kube-proxy kubeconfig on the node: CIS asks its mode and owner only if it exists',
        });
      }
    });
  },
  examples: {
    fail: [
      { description: 'proxy.conf readable by all', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/proxy.conf', 0o644)] }) },
      { description: 'k3s kube-proxy kubeconfig group-owned by a user', build: () => hostInventory({ files: [hostFile('/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig', 0o600, 0, 'file', 1000)] }) },
      {
        description: 'the kubeconfig a kube-proxy static pod names, readable by the group',
        build: () => {
          const manifest = '/etc/kubernetes/manifests/kube-proxy.yaml';
          const host = hostInventory({ files: [hostFile(manifest, 0o600), hostFile('/srv/kube-proxy/kubeconfig', 0o640)] }).hosts[0]!;
          return new Inventory(parseDocuments(componentPodYaml('kube-proxy', ['--kubeconfig=/srv/kube-proxy/kubeconfig']), `${host.root}${manifest}`).items, { hosts: [host] });
        },
      },
    ],
    pass: [
      { description: 'proxy.conf 0600', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/proxy.conf', 0o600)] }) },
      { description: 'no kube-proxy kubeconfig on the node', build: () => hostInventory({ files: [hostFile('/etc/kubernetes/kubelet.conf', 0o600)] }) },
    ],
  },
  fix: PERMISSIONS_FIX,
});
