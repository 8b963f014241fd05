// Checks of section api-tls. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import apiserverInsecurePortOpen from './apiserver-insecure-port-open.js';
import apiserverKubeletCertificateAuthorityMissing from './apiserver-kubelet-certificate-authority-missing.js';
import apiserverServingCertMissing from './apiserver-serving-cert-missing.js';
import componentServesOnAllInterfaces from './component-serves-on-all-interfaces.js';
import etcdPlainHttpListener from './etcd-plain-http-listener.js';
import insecureTlsCipherSuites from './insecure-tls-cipher-suites.js';
import kubeProxyMetricsExposed from './kube-proxy-metrics-exposed.js';
import kubeconfigPlainHttpServer from './kubeconfig-plain-http-server.js';
import kubeconfigSkipsTlsVerification from './kubeconfig-skips-tls-verification.js';
import tlsMinVersionBelow12 from './tls-min-version-below-1-2.js';

export const checks: Check[] = [
  apiserverServingCertMissing, apiserverInsecurePortOpen, tlsMinVersionBelow12, insecureTlsCipherSuites,
  apiserverKubeletCertificateAuthorityMissing, etcdPlainHttpListener, kubeconfigSkipsTlsVerification,
  kubeconfigPlainHttpServer, componentServesOnAllInterfaces, kubeProxyMetricsExposed,
];
