// CIS 1.2 (kube-apiserver) and 3.2.1, break/fix on the hardened example in kube-bench's style:
// each control passes on the hardened cluster, and one change to the API server's flags or the
// files it reads gives the verdict kube-bench's cfg/cis-1.12 audit gives.

import { cisControlCases, type CisTree } from '../../src/testing/cis.js';

const AUTHN = '/etc/kubernetes/authentication-config.yaml';
const ENCRYPTION = '/etc/kubernetes/encryption-config.yaml';
const PLUGINS = 'NodeRestriction,PodNodeSelector,DenyServiceExternalIPs,EventRateLimit,AlwaysPullImages';
const KEY = Buffer.alloc(32, 9).toString('base64');

const apiserver = (flag: string, value: string | undefined) => (t: CisTree) => t.setFlag('kube-apiserver', flag, value);
const plugins = (list: string) => apiserver('enable-admission-plugins', list);
const withoutPlugin = (name: string) => plugins(PLUGINS.split(',').filter((p) => p !== name).join(','));
const firstProvider = (provider: string) => (t: CisTree) => t.editNodeFile(ENCRYPTION, (text) => text.replace('  providers:\n', `  providers:\n${provider}`));

cisControlCases('CIS 1.12 kube-apiserver (1.2) and audit policy (3.2.1)', [
  { control: '1.2.1', change: 'anonymous requests allowed to /version too', mutate: (t) => t.editNodeFile(AUTHN, (text) => text.replace('  - path: /healthz', '  - path: /healthz\n  - path: /version')) },
  { control: '1.2.1', change: 'no anonymous section: --anonymous-auth unset (default true) decides', mutate: (t) => t.editNodeFile(AUTHN, (text) => text.replace(/anonymous:\n(  .*\n)+/, '')) },
  { control: '1.2.1', change: 'no anonymous section and --anonymous-auth=false', expect: 'pass', mutate: (t) => { t.editNodeFile(AUTHN, (text) => text.replace(/anonymous:\n(  .*\n)+/, '')); t.setFlag('kube-apiserver', 'anonymous-auth', 'false'); } },
  { control: '1.2.2', change: '--token-auth-file set', mutate: apiserver('token-auth-file', '/etc/kubernetes/tokens.csv') },
  { control: '1.2.3', change: 'DenyServiceExternalIPs not enabled', mutate: withoutPlugin('DenyServiceExternalIPs') },
  { control: '1.2.4', change: '--kubelet-client-certificate removed', mutate: apiserver('kubelet-client-certificate', undefined) },
  { control: '1.2.4', change: '--kubelet-client-key removed', mutate: apiserver('kubelet-client-key', undefined) },
  { control: '1.2.5', change: '--kubelet-certificate-authority removed', mutate: apiserver('kubelet-certificate-authority', undefined) },
  { control: '1.2.6', change: '--authorization-mode=AlwaysAllow', mutate: apiserver('authorization-mode', 'AlwaysAllow') },
  { control: '1.2.6', change: '--authorization-mode removed (default AlwaysAllow)', mutate: apiserver('authorization-mode', undefined) },
  { control: '1.2.6', change: '--authorization-mode=RBAC (no AlwaysAllow)', expect: 'pass', mutate: apiserver('authorization-mode', 'RBAC') },
  { control: '1.2.7', change: '--authorization-mode=RBAC', mutate: apiserver('authorization-mode', 'RBAC') },
  { control: '1.2.8', change: '--authorization-mode=Node', mutate: apiserver('authorization-mode', 'Node') },
  { control: '1.2.8', change: '--authorization-mode=RBAC (Node missing is 1.2.7\'s)', expect: 'pass', mutate: apiserver('authorization-mode', 'RBAC') },
  { control: '1.2.9', change: 'EventRateLimit not enabled', mutate: withoutPlugin('EventRateLimit') },
  { control: '1.2.10', change: 'AlwaysAdmit enabled', mutate: plugins(`${PLUGINS},AlwaysAdmit`) },
  { control: '1.2.11', change: 'AlwaysPullImages not enabled', mutate: withoutPlugin('AlwaysPullImages') },
  { control: '1.2.12', change: '--disable-admission-plugins=ServiceAccount', mutate: apiserver('disable-admission-plugins', 'ServiceAccount') },
  { control: '1.2.12', change: '--disable-admission-plugins without ServiceAccount', expect: 'pass', mutate: apiserver('disable-admission-plugins', 'DefaultStorageClass') },
  { control: '1.2.13', change: '--disable-admission-plugins=NamespaceLifecycle', mutate: apiserver('disable-admission-plugins', 'DefaultStorageClass,NamespaceLifecycle') },
  { control: '1.2.14', change: 'NodeRestriction not enabled', mutate: withoutPlugin('NodeRestriction') },
  {
    control: '1.2.14', change: 'NodeRestriction only in the legacy --admission-control (kube-bench does not read it)',
    mutate: (t) => { t.setFlag('kube-apiserver', 'enable-admission-plugins', undefined); t.setFlag('kube-apiserver', 'admission-control', `NamespaceLifecycle,ServiceAccount,${PLUGINS}`); },
  },
  { control: '1.2.16', change: '--audit-log-path removed', mutate: apiserver('audit-log-path', undefined) },
  {
    control: '1.2.16', change: 'a webhook backend instead of --audit-log-path',
    mutate: (t) => { t.setFlag('kube-apiserver', 'audit-log-path', undefined); t.setFlag('kube-apiserver', 'audit-webhook-config-file', '/etc/kubernetes/audit-webhook.conf'); },
  },
  { control: '1.2.17', change: '--audit-log-maxage=7', mutate: apiserver('audit-log-maxage', '7') },
  { control: '1.2.17', change: '--audit-log-maxage removed', mutate: apiserver('audit-log-maxage', undefined) },
  { control: '1.2.17', change: '--audit-log-maxage=45', expect: 'pass', mutate: apiserver('audit-log-maxage', '45') },
  { control: '1.2.18', change: '--audit-log-maxbackup=5', mutate: apiserver('audit-log-maxbackup', '5') },
  { control: '1.2.19', change: '--audit-log-maxsize=50', mutate: apiserver('audit-log-maxsize', '50') },
  { control: '1.2.19', change: '--audit-log-maxsize removed', mutate: apiserver('audit-log-maxsize', undefined) },
  { control: '1.2.21', change: '--service-account-lookup=false', mutate: apiserver('service-account-lookup', 'false') },
  { control: '1.2.21', change: '--service-account-lookup=true', expect: 'pass', mutate: apiserver('service-account-lookup', 'true') },
  { control: '1.2.22', change: '--service-account-key-file removed', mutate: apiserver('service-account-key-file', undefined) },
  { control: '1.2.22', change: '--service-account-issuer removed (not 1.2.22\'s flag)', expect: 'pass', mutate: apiserver('service-account-issuer', undefined) },
  { control: '1.2.23', change: '--etcd-certfile removed', mutate: apiserver('etcd-certfile', undefined) },
  { control: '1.2.23', change: '--etcd-keyfile removed', mutate: apiserver('etcd-keyfile', undefined) },
  { control: '1.2.24', change: '--tls-cert-file removed', mutate: apiserver('tls-cert-file', undefined) },
  { control: '1.2.24', change: '--tls-private-key-file removed', mutate: apiserver('tls-private-key-file', undefined) },
  { control: '1.2.25', change: '--client-ca-file removed', mutate: apiserver('client-ca-file', undefined) },
  { control: '1.2.26', change: '--etcd-cafile removed', mutate: apiserver('etcd-cafile', undefined) },
  { control: '1.2.27', change: '--encryption-provider-config removed', mutate: apiserver('encryption-provider-config', undefined) },
  { control: '1.2.28', change: '--encryption-provider-config removed', mutate: apiserver('encryption-provider-config', undefined) },
  { control: '1.2.28', change: 'identity first', mutate: firstProvider('  - identity: {}\n') },
  { control: '1.2.28', change: 'aesgcm first', mutate: firstProvider(`  - aesgcm:\n      keys:\n      - name: gcm\n        secret: ${KEY}\n`) },
  { control: '1.2.28', change: 'aescbc first (kubeward flags it, CIS accepts it)', expect: 'pass', mutate: firstProvider(`  - aescbc:\n      keys:\n      - name: cbc\n        secret: ${KEY}\n`) },
  { control: '1.2.28', change: 'kms v2 first', expect: 'pass', mutate: firstProvider('  - kms:\n      apiVersion: v2\n      name: vault\n      endpoint: unix:///var/run/kms/vault.sock\n') },
  { control: '1.2.28', change: 'configmaps in their own entry with identity first', mutate: (t) => t.editNodeFile(ENCRYPTION, (text) => text.replace('  - configmaps\n', '') + '- resources:\n  - configmaps\n  providers:\n  - identity: {}\n') },
  { control: '1.2.29', change: 'an ECDHE CBC suite added', mutate: apiserver('tls-cipher-suites', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA') },
  { control: '1.2.29', change: '--tls-cipher-suites removed (Go defaults)', mutate: apiserver('tls-cipher-suites', undefined) },
  { control: '1.2.29', change: 'TLS 1.3 names and a CHACHA20 _SHA256 name', expect: 'pass', mutate: apiserver('tls-cipher-suites', 'TLS_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256') },
  { control: '1.2.30', change: '--service-account-extend-token-expiration removed (default true)', mutate: apiserver('service-account-extend-token-expiration', undefined) },
  { control: '1.2.30', change: '--service-account-extend-token-expiration=true', mutate: apiserver('service-account-extend-token-expiration', 'true') },
  { control: '3.2.1', change: '--audit-policy-file removed', mutate: apiserver('audit-policy-file', undefined) },
  { control: '4.2.12', change: 'an RSA key-exchange suite in tlsCipherSuites', mutate: (t) => t.editKubeletConfig((c) => { (c.tlsCipherSuites as string[]).push('TLS_RSA_WITH_AES_128_GCM_SHA256'); }) },
  { control: '4.2.12', change: 'tlsCipherSuites removed', mutate: (t) => t.editKubeletConfig((c) => { delete c.tlsCipherSuites; }) },
  { control: '4.2.12', change: 'a TLS 1.3 name (CIS lists none for the kubelet)', mutate: (t) => t.editKubeletConfig((c) => { (c.tlsCipherSuites as string[]).push('TLS_AES_128_GCM_SHA256'); }) },
]);
