// CIS 1.1 (control-plane node files) and 4.1 (worker node files), break/fix on the hardened
// example in kube-bench's style: each control passes on the hardened cluster, and one change to a
// file's mode or owner (or to where a component says the file is) gives the verdict kube-bench's
// cfg/cis-1.12 audit gives. Mode and owner are separate controls: breaking one leaves the other.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cisControlCases, type CisCase, type CisTree } from '../../src/testing/cis.js';

const M = '/etc/kubernetes/manifests';
const PROXY_POD = `apiVersion: v1
kind: Pod
metadata: {name: kube-proxy, namespace: kube-system, labels: {component: kube-proxy}}
spec:
  hostNetwork: true
  containers:
  - name: kube-proxy
    image: registry.k8s.io/kube-proxy:v1.34.1
    command: [kube-proxy, --config=/var/lib/kube-proxy/config.conf]
`;
const stat = (path: string, mode: number, uid = 0, gid = 0) => (t: CisTree) => t.setStat(path, mode, uid, gid);

/** The three cases every mode/owner pair of controls gets: mode too open, a user owns it, a group owns it. */
function pair(mode: CisCase['control'], owner: CisCase['control'], path: string, good: number, bad: number): CisCase[] {
  const name = path.split('/').pop();
  return [
    { control: mode, change: `${name} mode ${bad.toString(8)}`, mutate: stat(path, bad) },
    { control: mode, change: `${name} owned by uid 1000 (the owner is the other control)`, expect: 'pass', mutate: stat(path, good, 1000, 0) },
    { control: mode, change: `${name} mode ${(good & 0o700).toString(8)}, stricter`, expect: 'pass', mutate: stat(path, good & 0o700) },
    { control: owner, change: `${name} owned by uid 1000`, mutate: stat(path, good, 1000, 0) },
    { control: owner, change: `${name} group 1000, user root`, mutate: stat(path, good, 0, 1000) },
    { control: owner, change: `${name} mode ${bad.toString(8)} (the mode is the other control)`, expect: 'pass', mutate: stat(path, bad) },
  ];
}

cisControlCases('CIS 1.12 node files (1.1, 4.1)', [
  ...pair('1.1.1', '1.1.2', `${M}/kube-apiserver.yaml`, 0o600, 0o644),
  { control: '1.1.1', change: 'kube-apiserver.yaml setuid bit (bitmask counts it)', mutate: stat(`${M}/kube-apiserver.yaml`, 0o4600) },
  ...pair('1.1.3', '1.1.4', `${M}/kube-controller-manager.yaml`, 0o600, 0o640),
  ...pair('1.1.5', '1.1.6', `${M}/kube-scheduler.yaml`, 0o600, 0o660),
  ...pair('1.1.7', '1.1.8', `${M}/etcd.yaml`, 0o600, 0o604),

  { control: '1.1.9', change: 'CNI conflist mode 644', mutate: stat('/etc/cni/net.d/10-calico.conflist', 0o644) },
  { control: '1.1.9', change: 'a folder under the CNI configuration folder (kube-bench asks 600 of it too)', mutate: (t) => { t.writeNodeFile('/etc/cni/net.d/multus.d/ca.pem', 'x', 0o600); t.setStat('/etc/cni/net.d/multus.d', 0o755); } },
  { control: '1.1.9', change: 'host-local IPAM reservation mode 644', mutate: (t) => t.writeNodeFile('/var/lib/cni/networks/k8s-pod-network/192.168.0.5', 'abc\neth0', 0o644) },
  { control: '1.1.9', change: 'CNI conflist owned by uid 1000', expect: 'pass', mutate: stat('/etc/cni/net.d/10-calico.conflist', 0o600, 1000, 1000) },
  { control: '1.1.10', change: 'CNI conflist owned by uid 1000', mutate: stat('/etc/cni/net.d/10-calico.conflist', 0o600, 1000, 0) },
  { control: '1.1.10', change: 'CNI kubeconfig group 1000', mutate: (t) => t.writeNodeFile('/etc/cni/net.d/calico-kubeconfig', 'apiVersion: v1\nkind: Config\n', 0o600, 0, 1000) },
  { control: '1.1.10', change: 'host-local IPAM reservation owned by uid 1000', mutate: (t) => t.writeNodeFile('/var/lib/cni/networks/k8s-pod-network/192.168.0.5', 'abc\neth0', 0o600, 1000, 1000) },

  { control: '1.1.11', change: '/var/lib/etcd mode 750', mutate: stat('/var/lib/etcd', 0o750, 998, 998) },
  { control: '1.1.11', change: 'etcd --data-dir elsewhere, mode 755', mutate: (t) => { t.setFlag('etcd', 'data-dir', '/srv/etcd'); t.writeNodeFile('/srv/etcd/member/snap/db', '', 0o600, 998, 998); t.setStat('/srv/etcd', 0o755, 998, 998); } },
  { control: '1.1.11', change: '/var/lib/etcd mode 700, owned by root (the owner is 1.1.12)', expect: 'pass', mutate: stat('/var/lib/etcd', 0o700) },
  { control: '1.1.12', change: '/var/lib/etcd owned by root:root (kubeward accepts it, CIS asks etcd:etcd)', mutate: stat('/var/lib/etcd', 0o700) },
  { control: '1.1.12', change: '/var/lib/etcd group root', mutate: stat('/var/lib/etcd', 0o700, 998, 0) },
  { control: '1.1.12', change: 'no etcd group in /etc/group', mutate: (t) => t.editNodeFile('/etc/group', (text) => text.replace('etcd:x:998:\n', '')) },
  { control: '1.1.12', change: 'no /etc/passwd to name uid 998', expect: 'not-evaluated', mutate: (t) => t.removeNodeFile('/etc/passwd') },
  { control: '1.1.12', change: 'etcd --data-dir elsewhere, owned by root', mutate: (t) => { t.setFlag('etcd', 'data-dir', '/srv/etcd'); t.writeNodeFile('/srv/etcd/member/snap/db', '', 0o600, 998, 998); t.setStat('/srv/etcd', 0o700, 0, 0); } },

  ...pair('1.1.13', '1.1.14', '/etc/kubernetes/admin.conf', 0o600, 0o644),
  { control: '1.1.13', change: 'super-admin.conf mode 640', mutate: stat('/etc/kubernetes/super-admin.conf', 0o640) },
  { control: '1.1.14', change: 'super-admin.conf group 1000', mutate: stat('/etc/kubernetes/super-admin.conf', 0o600, 0, 1000) },
  ...pair('1.1.15', '1.1.16', '/etc/kubernetes/scheduler.conf', 0o600, 0o644),
  ...pair('1.1.17', '1.1.18', '/etc/kubernetes/controller-manager.conf', 0o600, 0o644),
  { control: '1.1.17', change: 'the controller manager\'s --kubeconfig elsewhere, mode 644', mutate: (t) => { t.writeNodeFile('/srv/kcm.conf', 'apiVersion: v1\nkind: Config\n', 0o644); t.setFlag('kube-controller-manager', 'kubeconfig', '/srv/kcm.conf'); } },

  { control: '1.1.19', change: 'ca.key owned by uid 1000', mutate: stat('/etc/kubernetes/pki/ca.key', 0o600, 1000, 0) },
  { control: '1.1.19', change: 'the pki folder group 1000', mutate: stat('/etc/kubernetes/pki', 0o755, 0, 1000) },
  { control: '1.1.19', change: 'pki/etcd/peer.crt owned by uid 1000', mutate: stat('/etc/kubernetes/pki/etcd/peer.crt', 0o644, 1000, 1000) },
  { control: '1.1.19', change: 'a serial file ca.srl group 1000', mutate: (t) => t.writeNodeFile('/etc/kubernetes/pki/ca.srl', '01\n', 0o644, 0, 1000) },
  { control: '1.1.19', change: 'sa.pub group 1000', mutate: stat('/etc/kubernetes/pki/sa.pub', 0o644, 0, 1000) },
  { control: '1.1.19', change: 'ca.key mode 644 (the mode is 1.1.21)', expect: 'pass', mutate: stat('/etc/kubernetes/pki/ca.key', 0o644) },
  { control: '1.1.20', change: 'apiserver.crt mode 664', mutate: stat('/etc/kubernetes/pki/apiserver.crt', 0o664) },
  { control: '1.1.20', change: 'pki/etcd/server.crt mode 646', mutate: stat('/etc/kubernetes/pki/etcd/server.crt', 0o646) },
  { control: '1.1.20', change: 'ca.crt mode 444, stricter', expect: 'pass', mutate: stat('/etc/kubernetes/pki/ca.crt', 0o444) },
  { control: '1.1.20', change: 'sa.pub mode 666 (not a *.crt)', expect: 'pass', mutate: stat('/etc/kubernetes/pki/sa.pub', 0o666) },
  { control: '1.1.21', change: 'ca.key mode 640', mutate: stat('/etc/kubernetes/pki/ca.key', 0o640) },
  { control: '1.1.21', change: 'pki/etcd/ca.key mode 604', mutate: stat('/etc/kubernetes/pki/etcd/ca.key', 0o604) },
  { control: '1.1.21', change: 'ca.key owned by uid 1000 (the owner is 1.1.19)', expect: 'pass', mutate: stat('/etc/kubernetes/pki/ca.key', 0o600, 1000, 1000) },

  { control: '4.1.1', change: '10-kubeadm.conf mode 644 (kubeward accepts it, CIS asks 600)', mutate: stat('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 0o644) },
  { control: '4.1.1', change: '10-kubeadm.conf mode 400, stricter', expect: 'pass', mutate: stat('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 0o400) },
  { control: '4.1.2', change: '10-kubeadm.conf owned by uid 1000', mutate: stat('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 0o600, 1000, 0) },
  { control: '4.1.2', change: '10-kubeadm.conf group 1000', mutate: stat('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 0o600, 0, 1000) },
  { control: '4.1.3', change: '/etc/kubernetes/proxy.conf mode 644', mutate: (t) => t.writeNodeFile('/etc/kubernetes/proxy.conf', 'apiVersion: v1\nkind: Config\n', 0o644) },
  { control: '4.1.3', change: '/etc/kubernetes/proxy.conf mode 600', expect: 'pass', mutate: (t) => t.writeNodeFile('/etc/kubernetes/proxy.conf', 'apiVersion: v1\nkind: Config\n', 0o600) },
  {
    control: '4.1.3', change: 'a kube-proxy static pod whose --config names clientConnection.kubeconfig, mode 644',
    mutate: (t) => {
      t.writeNodeFile('/var/lib/kube-proxy/config.conf', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\n', 0o600);
      t.writeNodeFile('/var/lib/kube-proxy/kubeconfig.conf', 'apiVersion: v1\nkind: Config\n', 0o644);
      t.writeNodeFile(`${M}/kube-proxy.yaml`, PROXY_POD, 0o600);
    },
  },
  { control: '4.1.4', change: '/var/lib/kubelet/kubeconfig (kube-bench\'s proxy path) group 1000', mutate: (t) => t.writeNodeFile('/var/lib/kubelet/kubeconfig', 'apiVersion: v1\nkind: Config\n', 0o600, 0, 1000) },
  ...pair('4.1.5', '4.1.6', '/etc/kubernetes/kubelet.conf', 0o600, 0o644),
  ...pair('4.1.7', '4.1.8', '/etc/kubernetes/pki/ca.crt', 0o644, 0o664),
  {
    control: '4.1.7', change: 'clientCAFile elsewhere, mode 666',
    mutate: (t) => {
      t.writeNodeFile('/etc/kubelet/ca.crt', '', 0o666);
      t.editKubeletConfig((c) => { ((c.authentication as Record<string, Record<string, unknown>>).x509!).clientCAFile = '/etc/kubelet/ca.crt'; });
    },
  },
  {
    control: '4.1.8', change: 'clientCAFile elsewhere, owned by uid 1000',
    mutate: (t) => {
      t.writeNodeFile('/etc/kubelet/ca.crt', '', 0o644, 1000, 1000);
      t.editKubeletConfig((c) => { ((c.authentication as Record<string, Record<string, unknown>>).x509!).clientCAFile = '/etc/kubelet/ca.crt'; });
    },
  },
  ...pair('4.1.9', '4.1.10', '/var/lib/kubelet/config.yaml', 0o600, 0o644),
  {
    control: '4.1.9', change: 'the kubelet\'s --config elsewhere, mode 644',
    mutate: (t) => {
      t.writeNodeFile('/etc/kubelet/config.yaml', readFileSync(join(t.nodeRoot, 'var/lib/kubelet/config.yaml'), 'utf8'), 0o644);
      t.editNodeFile('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', (text) => text.replace('--config=/var/lib/kubelet/config.yaml', '--config=/etc/kubelet/config.yaml'));
    },
  },
  {
    control: '4.1.9', change: 'the kubelet\'s --config elsewhere (0600), the unused /var/lib/kubelet/config.yaml 644', expect: 'pass',
    mutate: (t) => {
      t.writeNodeFile('/etc/kubelet/config.yaml', readFileSync(join(t.nodeRoot, 'var/lib/kubelet/config.yaml'), 'utf8'), 0o600);
      t.editNodeFile('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', (text) => text.replace('--config=/var/lib/kubelet/config.yaml', '--config=/etc/kubelet/config.yaml'));
      t.setStat('/var/lib/kubelet/config.yaml', 0o644);
    },
  },
]);
