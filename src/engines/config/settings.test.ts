import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachFieldLines } from '../../inventory/field-lines.js';
import { Inventory } from '../../inventory/inventory.js';
import { parseKubeVersion } from '../../inventory/version.js';
import { inventoryFromYaml } from '../../testing/index.js';
import {
  apiServerSettings, controllerManagerSettings, describeOrigin, enabledAdmissionPlugins, etcdSettings, kubeProxySettings, kubeletSettings,
} from './index.js';

const v = (text: string) => parseKubeVersion(text);

function pod(component: string, flags: string[], extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${component}-cp1, namespace: kube-system, labels: {component: ${component}}}
spec:
  containers:
  - name: ${component}
    image: registry.k8s.io/${component}:v1.30.2
    command:
${[component, ...flags].map((f) => `    - ${f}`).join('\n')}
${extra}`;
}

describe('apiServerSettings', () => {
  it('takes flags with their field path and falls back to the version\'s defaults', () => {
    const [api] = apiServerSettings(inventoryFromYaml(pod('kube-apiserver', ['--anonymous-auth=false', '--secure-port', '8443'])), v('1.19'));
    assert.equal(api!.get('anonymous-auth').value, 'false');
    assert.match(describeOrigin(api!.get('anonymous-auth').origin), /--anonymous-auth at example\.yaml:1 \(spec\.containers\[0\]\.command\[1\]\)/);
    assert.equal(api!.get('secure-port').value, '8443');
    assert.equal(api!.get('insecure-port').value, '8080');
    assert.equal(describeOrigin(api!.get('insecure-port').origin), 'default (v1.19)');
    assert.equal(api!.get('tls-min-version').value, 'VersionTLS10');
    assert.equal(api!.get('authorization-mode').value, 'AlwaysAllow');
  });

  it('knows the insecure port and TLS minimum per version', () => {
    const inv = inventoryFromYaml(pod('kube-apiserver', []));
    assert.equal(apiServerSettings(inv, v('1.18'))[0]!.get('insecure-port').value, '8080');
    assert.equal(apiServerSettings(inv, v('1.20'))[0]!.get('insecure-port').value, '0');
    assert.equal(apiServerSettings(inv, v('1.24'))[0]!.get('insecure-port').value, undefined);
    assert.equal(apiServerSettings(inv, v('1.30'))[0]!.get('tls-min-version').value, 'VersionTLS12');
  });

  it('has no default authorization mode when --authorization-config is given', () => {
    const [api] = apiServerSettings(inventoryFromYaml(pod('kube-apiserver', ['--authorization-config=/etc/kubernetes/authz.yaml'])), v('1.31'));
    assert.equal(api!.get('authorization-mode').value, undefined);
  });

  it('uses the exact line of a flag when the source recorded field lines', () => {
    const inv = inventoryFromYaml(pod('kube-apiserver', ['--profiling=false']));
    attachFieldLines(inv.items[0]!.object, new Map([['spec.containers[0].command[1]', 11]]));
    const origin = apiServerSettings(inv, v('1.30'))[0]!.get('profiling').origin;
    assert.equal(origin.kind === 'flag' && origin.location.line, 11);
  });
});

describe('enabledAdmissionPlugins', () => {
  it('adds --enable, removes --disable, keeps the version defaults, and NodeRestriction is off by default', () => {
    const version = v('1.30');
    const [plain] = apiServerSettings(inventoryFromYaml(pod('kube-apiserver', [])), version);
    assert.equal(enabledAdmissionPlugins(plain!, version).enabled.has('NodeRestriction'), false);
    assert.equal(enabledAdmissionPlugins(plain!, version).enabled.has('PodSecurity'), true);
    assert.equal(enabledAdmissionPlugins(plain!, v('1.22')).enabled.has('PodSecurity'), false);
    const [tuned] = apiServerSettings(inventoryFromYaml(pod('kube-apiserver', ['--enable-admission-plugins=NodeRestriction,AlwaysPullImages', '--disable-admission-plugins=PodSecurity'])), version);
    const plugins = enabledAdmissionPlugins(tuned!, version);
    assert.equal(plugins.enabled.get('NodeRestriction')?.kind, 'flag');
    assert.equal(plugins.enabled.has('PodSecurity'), false);
    assert.equal(plugins.disabled.has('PodSecurity'), true);
  });

  it('lets the deprecated --admission-control replace the whole set', () => {
    const [api] = apiServerSettings(inventoryFromYaml(pod('kube-apiserver', ['--admission-control=NamespaceLifecycle'])), v('1.30'));
    assert.deepEqual([...enabledAdmissionPlugins(api!, v('1.30')).enabled.keys()], ['NamespaceLifecycle']);
  });
});

describe('controller-manager defaults', () => {
  it('binds to all interfaces by default', () => {
    const [cm] = controllerManagerSettings(inventoryFromYaml(pod('kube-controller-manager', ['--profiling=false'])), v('1.30'));
    assert.equal(cm!.get('bind-address').value, '0.0.0.0');
    assert.equal(cm!.get('profiling').value, 'false');
  });
});

describe('etcdSettings', () => {
  it('takes a flag over its ETCD_* variable, and the variable over the default', () => {
    const inv = inventoryFromYaml(pod('etcd', ['--client-cert-auth=true'], `    env:
    - {name: ETCD_CLIENT_CERT_AUTH, value: "false"}
    - {name: ETCD_AUTO_TLS, value: "true"}`));
    const [etcd] = etcdSettings(inv, v('1.30'));
    assert.equal(etcd!.get('client-cert-auth').value, 'true');
    assert.equal(etcd!.get('auto-tls').value, 'true');
    assert.equal(etcd!.get('auto-tls').origin.kind, 'env');
    assert.equal(etcd!.get('listen-client-urls').value, 'http://localhost:2379');
  });

  it('reads only --config-file when one is given, ignoring flags and environment', () => {
    const inv = new Inventory(inventoryFromYaml(pod('etcd', ['--config-file=/etc/etcd/etcd.yaml', '--client-cert-auth=true'], `    env:
    - {name: ETCD_AUTO_TLS, value: "true"}`)).items.map((i) => ({ ...i, location: { file: '/node/etc/kubernetes/manifests/etcd.yaml', line: 1 } })), {
      hosts: [{
        name: 'cp1', root: '/node', files: [{ path: '/etc/kubernetes/manifests/etcd.yaml', mode: 0o600, uid: 0, gid: 0, size: 1, type: 'file' }], certificates: [], modprobeRules: [], processes: [],
        configFiles: [{ path: '/etc/etcd/etcd.yaml', file: '/node/etc/etcd/etcd.yaml', data: { 'client-transport-security': { 'cert-file': '/pki/server.crt' } }, lines: { 'client-transport-security.cert-file': 3 } }],
      }],
    });
    const [etcd] = etcdSettings(inv, v('1.30'));
    assert.equal(etcd!.get('client-cert-auth').value, 'false');
    assert.equal(etcd!.get('client-cert-auth').origin.kind, 'default');
    assert.equal(etcd!.get('auto-tls').value, 'false');
    assert.equal(etcd!.get('cert-file').value, '/pki/server.crt');
    assert.equal(describeOrigin(etcd!.get('cert-file').origin), 'client-transport-security.cert-file at /node/etc/etcd/etcd.yaml:3');
  });

  it('says a value is unknown when the config file is not in the input', () => {
    const [etcd] = etcdSettings(inventoryFromYaml(pod('etcd', ['--config-file=/etc/etcd/etcd.yaml'])), v('1.30'));
    assert.match(etcd!.get('client-cert-auth').unresolved ?? '', /not in the input/);
  });
});

function host(argv: string[]) {
  return {
    name: 'node-1', root: '/node', files: [], certificates: [], modprobeRules: [], processes: [],
    kubeletCommandLine: { argv, locations: argv.map((_, i) => ({ file: '/node/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', line: i + 1 })) },
  };
}

function kubeletInventory(argv: string[], files: Record<string, string>): Inventory {
  const items = Object.entries(files).flatMap(([path, yaml]) => inventoryFromYaml(yaml, `/node${path}`).items);
  return new Inventory(items, { hosts: [host(argv)] });
}

describe('kubeletSettings', () => {
  const config = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10255
authorization: {mode: AlwaysAllow}
featureGates: {A: true, B: true}`;
  const dropIn = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization: {mode: Webhook}
readOnlyPort: 0
featureGates: {B: false}`;
  const laterDropIn = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
readOnlyPort: 10266`;

  it('merges flags > drop-ins (later wins) > file > config-file defaults', () => {
    const inv = kubeletInventory(['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d', '--anonymous-auth=true', '--feature-gates=C=true'], {
      '/var/lib/kubelet/config.yaml': config,
      '/etc/kubernetes/kubelet.conf.d/10-a.conf': dropIn,
      '/etc/kubernetes/kubelet.conf.d/20-b.conf': laterDropIn,
      '/etc/kubernetes/kubelet.conf.d/30-ignored.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 1',
    });
    const [kubelet] = kubeletSettings(inv, v('1.30'));
    assert.equal(kubelet!.node, 'node-1');
    assert.equal(kubelet!.get('authentication.anonymous.enabled').value, 'true');
    assert.equal(kubelet!.get('authentication.anonymous.enabled').origin.kind, 'flag');
    assert.equal(kubelet!.get('authorization.mode').value, 'Webhook');
    assert.equal(kubelet!.get('readOnlyPort').value, '10266');
    assert.match(describeOrigin(kubelet!.get('readOnlyPort').origin), /20-b\.conf/);
    assert.equal(kubelet!.get('authentication.webhook.enabled').value, 'true');
    assert.equal(describeOrigin(kubelet!.get('authentication.webhook.enabled').origin), 'default (v1.30)');
    assert.equal(kubelet!.get('featureGates').value, 'A=true,B=false,C=true');
  });

  it('keeps the insecure legacy defaults for a kubelet run with flags only', () => {
    const [kubelet] = kubeletSettings(kubeletInventory(['/usr/bin/kubelet', '--kubeconfig=/etc/kubernetes/kubelet.conf'], {}), v('1.30'));
    assert.equal(kubelet!.get('authentication.anonymous.enabled').value, 'true');
    assert.equal(kubelet!.get('authorization.mode').value, 'AlwaysAllow');
    assert.equal(kubelet!.get('readOnlyPort').value, '10255');
    assert.equal(kubelet!.get('authentication.webhook.enabled').value, 'false');
  });

  it('says values are unknown when --config names a file that is not in the input', () => {
    const [kubelet] = kubeletSettings(kubeletInventory(['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml'], {}), v('1.30'));
    assert.match(kubelet!.get('readOnlyPort').unresolved ?? '', /config\.yaml/);
    assert.equal(kubelet!.get('readOnlyPort').value, '0');
  });

  it('takes a configz snapshot as effective, without defaults', () => {
    const inv = inventoryFromYaml(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
metadata: {name: worker-7, annotations: {kubeward.io/source: configz}}
readOnlyPort: 10255`);
    const [kubelet] = kubeletSettings(inv, v('1.30'));
    assert.equal(kubelet!.source, 'configz');
    assert.equal(kubelet!.node, 'worker-7');
    assert.equal(kubelet!.get('readOnlyPort').value, '10255');
    assert.equal(kubelet!.get('authorization.mode').value, undefined);
  });

  it('reads kubeadm\'s kubelet-config ConfigMap when nothing else shows a kubelet', () => {
    const inv = inventoryFromYaml(`apiVersion: v1
kind: ConfigMap
metadata: {name: kubelet-config, namespace: kube-system}
data:
  kubelet: |
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    authentication: {anonymous: {enabled: true}}`);
    const [kubelet] = kubeletSettings(inv, v('1.30'));
    assert.equal(kubelet!.get('authentication.anonymous.enabled').value, 'true');
    assert.equal(kubelet!.get('authorization.mode').value, 'Webhook');
  });
});

describe('kubeProxySettings', () => {
  it('follows --config into the mounted ConfigMap', () => {
    const inv = inventoryFromYaml(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.30.2
        command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf, --metrics-bind-address=127.0.0.1:1]
        volumeMounts: [{name: cfg, mountPath: /var/lib/kube-proxy}]
      volumes: [{name: cfg, configMap: {name: kube-proxy}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-proxy, namespace: kube-system}
data:
  config.conf: |
    kind: KubeProxyConfiguration
    metricsBindAddress: 0.0.0.0:10249`);
    const [proxy] = kubeProxySettings(inv, v('1.30'));
    assert.equal(proxy!.get('metricsBindAddress').value, '0.0.0.0:10249');
    assert.match(describeOrigin(proxy!.get('metricsBindAddress').origin), /ConfigMap kube-proxy data\["config\.conf"\]: metricsBindAddress/);
    assert.equal(proxy!.get('healthzBindAddress').value, '0.0.0.0:10256');
  });
});
