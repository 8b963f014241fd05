// Built-in defaults of the components' settings, per Kubernetes minor version, taken from
// upstream sources:
//   kube-apiserver: cmd/kube-apiserver/app/options, pkg/kubeapiserver/options/{authentication,
//     authorization}.go (modes default to AlwaysAllow when neither --authorization-mode nor
//     --authorization-config is given), staging/src/k8s.io/apiserver/pkg/server/options.
//   kubelet: pkg/kubelet/apis/config/v1beta1/defaults.go (config-file defaults, secure) versus
//     cmd/kubelet/app/options/options.go applyLegacyDefaults (flags-only defaults, insecure).
//   etcd: server/embed/config.go NewConfig (plain http on localhost, no client-cert-auth).
// The TLS minimum is Go's server default: TLS 1.0 until Kubernetes 1.30, built with Go 1.22,
// whose servers refuse versions below TLS 1.2.

import type { KubeVersion } from '../../inventory/version.js';
import type { Component } from './command-line.js';

/** A default valid for Kubernetes minors [from, to); undefined value: no default (unset). */
interface VersionedDefault {
  value: string | undefined;
  from?: number;
  to?: number;
}

type DefaultsTable = Record<string, VersionedDefault[]>;

const always = (value: string | undefined): VersionedDefault[] => [{ value }];

const TLS_MIN: VersionedDefault[] = [{ value: 'VersionTLS10', to: 30 }, { value: 'VersionTLS12', from: 30 }];

export const FLAG_DEFAULTS: Record<Exclude<Component, 'kubelet' | 'kube-proxy'>, DefaultsTable> = {
  'kube-apiserver': {
    'anonymous-auth': always('true'),
    // Only when --authorization-config is not given either; see apiServerSettings.
    'authorization-mode': always('AlwaysAllow'),
    'insecure-port': [{ value: '8080', to: 20 }, { value: '0', from: 20, to: 24 }],
    'insecure-bind-address': [{ value: '127.0.0.1', to: 24 }],
    'secure-port': always('6443'),
    'bind-address': always('0.0.0.0'),
    'tls-min-version': TLS_MIN,
    profiling: always('true'),
    'service-account-lookup': always('true'),
    'enable-admission-plugins': always(''),
    'disable-admission-plugins': always(''),
    'audit-log-maxage': always('0'),
    'audit-log-maxbackup': always('0'),
    'audit-log-maxsize': always('0'),
    'feature-gates': always(''),
    'runtime-config': always(''),
  },
  'kube-controller-manager': {
    'bind-address': always('0.0.0.0'),
    'secure-port': always('10257'),
    port: [{ value: '10252', to: 20 }, { value: '0', from: 20, to: 24 }],
    'tls-min-version': TLS_MIN,
    profiling: always('true'),
    'use-service-account-credentials': always('false'),
    'feature-gates': always(''),
  },
  'kube-scheduler': {
    'bind-address': always('0.0.0.0'),
    'secure-port': always('10259'),
    port: [{ value: '10251', to: 23 }],
    'tls-min-version': TLS_MIN,
    profiling: always('true'),
    'feature-gates': always(''),
  },
  etcd: {
    'listen-client-urls': always('http://localhost:2379'),
    'listen-peer-urls': always('http://localhost:2380'),
    'advertise-client-urls': always('http://localhost:2379'),
    'client-cert-auth': always('false'),
    'peer-client-cert-auth': always('false'),
    'auto-tls': always('false'),
    'peer-auto-tls': always('false'),
    'data-dir': always('default.etcd'),
  },
};

/** A kubelet setting: its KubeletConfiguration field, its flag, and both kinds of default. */
export interface KubeletField {
  field: string;
  flag: string;
  /** When the kubelet runs without --config (legacy flag defaults). */
  flagDefault: string | undefined;
  /** When the kubelet reads a KubeletConfiguration file (v1beta1 defaulting). */
  fileDefault: string | undefined;
}

export const KUBELET_FIELDS: readonly KubeletField[] = [
  { field: 'authentication.anonymous.enabled', flag: 'anonymous-auth', flagDefault: 'true', fileDefault: 'false' },
  { field: 'authentication.webhook.enabled', flag: 'authentication-token-webhook', flagDefault: 'false', fileDefault: 'true' },
  { field: 'authentication.x509.clientCAFile', flag: 'client-ca-file', flagDefault: undefined, fileDefault: undefined },
  { field: 'authorization.mode', flag: 'authorization-mode', flagDefault: 'AlwaysAllow', fileDefault: 'Webhook' },
  { field: 'readOnlyPort', flag: 'read-only-port', flagDefault: '10255', fileDefault: '0' },
  { field: 'port', flag: 'port', flagDefault: '10250', fileDefault: '10250' },
  { field: 'address', flag: 'address', flagDefault: '0.0.0.0', fileDefault: '0.0.0.0' },
  { field: 'rotateCertificates', flag: 'rotate-certificates', flagDefault: 'false', fileDefault: 'false' },
  { field: 'serverTLSBootstrap', flag: 'rotate-server-certificates', flagDefault: 'false', fileDefault: 'false' },
  { field: 'tlsCertFile', flag: 'tls-cert-file', flagDefault: undefined, fileDefault: undefined },
  { field: 'tlsPrivateKeyFile', flag: 'tls-private-key-file', flagDefault: undefined, fileDefault: undefined },
  { field: 'tlsMinVersion', flag: 'tls-min-version', flagDefault: undefined, fileDefault: undefined },
  { field: 'tlsCipherSuites', flag: 'tls-cipher-suites', flagDefault: undefined, fileDefault: undefined },
  { field: 'protectKernelDefaults', flag: 'protect-kernel-defaults', flagDefault: 'false', fileDefault: 'false' },
  { field: 'makeIPTablesUtilChains', flag: 'make-iptables-util-chains', flagDefault: 'true', fileDefault: 'true' },
  { field: 'eventRecordQPS', flag: 'event-qps', flagDefault: '50', fileDefault: '50' },
  { field: 'streamingConnectionIdleTimeout', flag: 'streaming-connection-idle-timeout', flagDefault: '4h0m0s', fileDefault: '4h0m0s' },
  { field: 'staticPodPath', flag: 'pod-manifest-path', flagDefault: undefined, fileDefault: undefined },
  { field: 'featureGates', flag: 'feature-gates', flagDefault: '', fileDefault: '' },
  { field: 'seccompDefault', flag: 'seccomp-default', flagDefault: 'false', fileDefault: 'false' },
  { field: 'podPidsLimit', flag: 'pod-max-pids', flagDefault: '-1', fileDefault: '-1' },
];

/** kube-proxy: KubeProxyConfiguration field, flag, default (the same with and without --config). */
export const KUBE_PROXY_FIELDS = [
  { field: 'metricsBindAddress', flag: 'metrics-bind-address', default: '127.0.0.1:10249' },
  { field: 'healthzBindAddress', flag: 'healthz-bind-address', default: '0.0.0.0:10256' },
  { field: 'bindAddress', flag: 'bind-address', default: '0.0.0.0' },
  { field: 'featureGates', flag: 'feature-gates', default: '' },
] as const;

/** The default of a flag at a version (the newest behaviour when the version is unknown). */
export function defaultFor(table: DefaultsTable, name: string, version: KubeVersion | undefined): string | undefined {
  const entries = table[name];
  if (!entries) return undefined;
  const minor = version && version.major === 1 ? version.minor : Number.POSITIVE_INFINITY;
  return entries.find((e) => (e.from === undefined || minor >= e.from) && (e.to === undefined || minor < e.to))?.value;
}

/**
 * Admission plugins on by default (pkg/kubeapiserver/options/plugins.go defaultOnPlugins), with
 * the minor release that turned each on. NodeRestriction is not among them.
 */
const DEFAULT_ON_ADMISSION_PLUGINS: { name: string; from: number; to?: number }[] = [
  { name: 'NamespaceLifecycle', from: 0 },
  { name: 'LimitRanger', from: 0 },
  { name: 'ServiceAccount', from: 0 },
  { name: 'DefaultStorageClass', from: 0 },
  { name: 'PersistentVolumeClaimResize', from: 13 },
  { name: 'DefaultTolerationSeconds', from: 0 },
  { name: 'MutatingAdmissionWebhook', from: 0 },
  { name: 'ValidatingAdmissionWebhook', from: 0 },
  { name: 'ResourceQuota', from: 0 },
  { name: 'StorageObjectInUseProtection', from: 0 },
  { name: 'Priority', from: 0 },
  { name: 'TaintNodesByCondition', from: 17 },
  { name: 'RuntimeClass', from: 20 },
  { name: 'CertificateApproval', from: 18 },
  { name: 'CertificateSigning', from: 18 },
  { name: 'CertificateSubjectRestriction', from: 18 },
  { name: 'DefaultIngressClass', from: 18 },
  { name: 'PodSecurity', from: 23 },
  { name: 'ClusterTrustBundleAttest', from: 27 },
  { name: 'ValidatingAdmissionPolicy', from: 26 },
  { name: 'MutatingAdmissionPolicy', from: 32 },
  { name: 'PodTopologyLabels', from: 33 },
];

export function defaultOnAdmissionPlugins(version: KubeVersion | undefined): string[] {
  const minor = version && version.major === 1 ? version.minor : Number.POSITIVE_INFINITY;
  return DEFAULT_ON_ADMISSION_PLUGINS.filter((p) => minor >= p.from && (p.to === undefined || minor < p.to)).map((p) => p.name);
}

/** The serving key a TLS 1.2 suite needs (RSA or ECDSA); undefined for TLS 1.3 names, which Go does not configure. */
export function cipherSuiteKey(suite: string): 'RSA' | 'ECDSA' | undefined {
  if (suite.startsWith('TLS_ECDHE_ECDSA_')) return 'ECDSA';
  if (suite.startsWith('TLS_ECDHE_RSA_') || suite.startsWith('TLS_RSA_')) return 'RSA';
  return undefined;
}

/** Go's insecure TLS cipher suites (crypto/tls InsecureCipherSuites), as the components name them. */
export const INSECURE_CIPHER_SUITES = new Set([
  'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
]);
