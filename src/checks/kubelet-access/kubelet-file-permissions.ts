import { forEachHost, hostInventory, kubeletConfigYaml, kubeletsOf } from '../component-support.js';
import { defineCheck, notEvaluated } from '../define.js';
import { absoluteNodePaths, fileSubject, hostFile, judgeHostFiles, type PermissionRule } from '../file-permissions.js';
import { PERMISSIONS_FIX } from '../../fix/node-fixes.js';
import { nodePathOf, type HostSnapshot } from '../../inventory/host.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseDocuments } from '../../sources/documents.js';
import type { CheckContext } from '../types.js';

/** kube-bench's $kubeletcafile when the kubelet names no client CA: the first of these the node has. */
const DEFAULT_CA_FILES = ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/certs/ca.crt', '/etc/kubernetes/cert/ca.pem'];
const KUBELET_CONF = '/etc/kubernetes/kubelet.conf';
const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';


/** The files of this node's kubelets that CIS 4.1.5-4.1.10 name: kubeconfig, client CA file, config file. */
function kubeletFilesOn(ctx: CheckContext, host: HostSnapshot) {
  const kubelets = kubeletsOf(ctx).filter((k) => (k.run ? k.run.host === host : nodePathOf(host, k.location.file) !== undefined));
  const has = (path: string) => host.files.some((f) => f.path === path);
  const named = absoluteNodePaths(kubelets.map((k) => k.get('authentication.x509.clientCAFile').value));
  const configs = absoluteNodePaths(kubelets.map((k) => (k.run ? k.run.flags.get('config')?.value : nodePathOf(host, k.location.file))));
  return {
    kubeconfigs: [KUBELET_CONF, ...absoluteNodePaths(kubelets.map((k) => k.run?.flags.get('kubeconfig')?.value))],
    caFiles: named.length > 0 ? named : DEFAULT_CA_FILES.filter(has).slice(0, 1),
    // Without a kubelet naming its config file, kubeadm's (kube-bench's $kubeletconf).
    configs: configs.length > 0 ? configs : [KUBELET_CONFIG],
  };
}

function rules(files: ReturnType<typeof kubeletFilesOn>): PermissionRule[] {
  return [
    { path: files.kubeconfigs, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet kubeconfig', cis: { mode: '4.1.5', owner: '4.1.6' } },
    { path: files.caFiles, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet client CA file', cis: { mode: '4.1.7', owner: '4.1.8' } },
    { path: files.configs, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet config file', cis: { mode: '4.1.9', owner: '4.1.10' } },
    {
      path: /^\/(etc|usr\/lib|lib|run)\/systemd\/system\/kubelet\.service(\.d\/[^/]+\.conf)?$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet systemd unit',
      cis: { mode: '4.1.1', owner: '4.1.2', maxMode: 0o600, note: 'CIS (kube-bench) asks 600 for the kubelet service file; kubeward accepts 644, as unit files hold no secrets' },
    },
    { path: ['/etc/kubernetes/bootstrap-kubelet.conf'], type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet bootstrap kubeconfig' },
    { path: [KUBELET_CONFIG], type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet config file' },
    { path: /^\/var\/lib\/kubelet\/pki\/.*\.(key|pem)$/, type: 'file', maxMode: 0o600, owner: 'root', what: 'kubelet key' },
    { path: /^\/var\/lib\/kubelet\/pki\/.*\.crt$/, type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet certificate' },
    { path: ['/var/lib/kubelet/kubeadm-flags.env'], type: 'file', maxMode: 0o644, owner: 'root', what: 'kubelet flags file' },
  ];
}

/** A node root whose kubelet config (read from the node) names `caFile`, with the given files. */
function kubeletWithCa(caFile: string, files: ReturnType<typeof hostFile>[]): Inventory {
  const host = hostInventory({ files: [hostFile(KUBELET_CONFIG, 0o600), ...files] }).hosts[0]!;
  const config = kubeletConfigYaml(`authentication:\n  x509:\n    clientCAFile: ${caFile}\n`);
  return new Inventory(parseDocuments(config, `${host.root}${KUBELET_CONFIG}`).items, { hosts: [host] });
}

export default defineCheck({
  id: 'kubelet-file-permissions',
  section: 'kubelet-access',
  severity: 'high',
  title: 'Kubelet credentials or configuration are writable or readable by others',
  docs: {
    what: 'On every node root, checks the kubelet\'s kubeconfigs (/etc/kubernetes/kubelet.conf or the file its --kubeconfig names, bootstrap-kubelet.conf: 0600), its config file (wherever --config points, else /var/lib/kubelet/config.yaml: 0600), its client CA file (wherever authentication.x509.clientCAFile or --client-ca-file points, else /etc/kubernetes/pki/ca.crt: 0644), its keys and client certificate bundles under /var/lib/kubelet/pki (0600; certificates 0644), and its systemd unit, drop-ins and kubeadm-flags.env (0644, they hold no secrets; CIS asks 600 for the unit files, and the CIS view says so), all owned by root:root, user and group. A client CA file the kubelet names but the node does not have is not evaluated. These are in kubelet-access because they decide how the kubelet authenticates and who may change its authentication and authorization settings. Modes are compared as kube-bench\'s bitmask (no bit beyond the limit, special bits included); modes and owners come from lstat, or from .kubeward-stat.tsv in a copied node root.',
    why: 'Whoever reads the kubelet\'s kubeconfig or key acts as the node (system:node:<name>) against the API server; whoever writes its config, client CA or unit can turn on anonymous access and AlwaysAllow, or trust their own CA, at the next restart.',
    references: ['Securing a Cluster: Controlling access to the Kubelet'],
  },
  remediation: `chown root:root the file and chmod it as listed (600 for kubeconfigs, keys and the config file, 644 for certificates, the client CA and unit files).`,
  cis: { '1.12': ['4.1.1', '4.1.2', '4.1.5', '4.1.6', '4.1.7', '4.1.8', '4.1.9', '4.1.10'] },
  *evaluate(ctx) {
    yield* forEachHost(ctx, function* (host) {
      const files = kubeletFilesOn(ctx, host);
      yield* judgeHostFiles(host, rules(files));
      for (const path of files.caFiles.filter((p) => !host.files.some((f) => f.path === p))) {
        const subject = fileSubject(host, { path, mode: 0, uid: 0, gid: 0, size: 0, type: 'file' });
        yield notEvaluated(subject, `the kubelet's client CA file ${path} is not on node ${host.name}`, { cis: { '1.12': { '4.1.7': 'not-evaluated', '4.1.8': 'not-evaluated' } } });
      }
    });
  },
  examples: {
    fail: [
      { description: 'world-readable kubelet kubeconfig', build: () => hostInventory({ files: [hostFile(KUBELET_CONF, 0o644)] }) },
      { description: 'kubelet config group-owned by a user', build: () => hostInventory({ files: [hostFile(KUBELET_CONFIG, 0o600, 0, 'file', 1000)] }) },
      { description: 'client CA outside the PKI, writable by the group', build: () => kubeletWithCa('/etc/kubelet/ca.pem', [hostFile('/etc/kubelet/ca.pem', 0o664)]) },
      { description: 'kubelet unit owned by a user', build: () => hostInventory({ files: [hostFile('/usr/lib/systemd/system/kubelet.service', 0o644, 1000)] }) },
    ],
    pass: [
      { description: 'kubeadm modes', build: () => hostInventory({ files: [hostFile(KUBELET_CONF, 0o600), hostFile(KUBELET_CONFIG, 0o600), hostFile('/var/lib/kubelet/pki/kubelet.crt', 0o644), hostFile('/etc/kubernetes/pki/ca.crt', 0o644)] }) },
      { description: 'client CA outside the PKI, 0644', build: () => kubeletWithCa('/etc/kubelet/ca.pem', [hostFile('/etc/kubelet/ca.pem', 0o644)]) },
      { description: 'unit file 0644 (CIS asks 600)', build: () => hostInventory({ files: [hostFile('/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', 0o644)] }) },
    ],
  },
  fix: PERMISSIONS_FIX,
});
