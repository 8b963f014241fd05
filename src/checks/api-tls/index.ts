// Checks of section api-tls. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import apiserverInsecurePortOpen from './apiserver-insecure-port-open.js';
import apiserverKubeletCertificateAuthorityMissing from './apiserver-kubelet-certificate-authority-missing.js';
import apiserverKubeletClientCertMissing from './apiserver-kubelet-client-cert-missing.js';
import apiserverServingCertMissing from './apiserver-serving-cert-missing.js';
import componentServesOnAllInterfaces from './component-serves-on-all-interfaces.js';
import componentProfilingEnabled from './component-profiling-enabled.js';
import controllerManagerRootCaMissing from './controller-manager-root-ca-missing.js';
import etcdPlainHttpListener from './etcd-plain-http-listener.js';
import insecureTlsCipherSuites from './insecure-tls-cipher-suites.js';
import kubeProxyMetricsExposed from './kube-proxy-metrics-exposed.js';
import kubeconfigPlainHttpServer from './kubeconfig-plain-http-server.js';
import kubeconfigSkipsTlsVerification from './kubeconfig-skips-tls-verification.js';
import tlsMinVersionBelow12 from './tls-min-version-below-1-2.js';
import tlsCipherSuitesOutsideCisList from './tls-cipher-suites-outside-cis-list.js';
import kubeletServingCertificateSelfSigned from './kubelet-serving-certificate-self-signed.js';

export const checks: Check[] = [
  apiserverServingCertMissing, apiserverInsecurePortOpen, tlsMinVersionBelow12, insecureTlsCipherSuites, tlsCipherSuitesOutsideCisList,
  apiserverKubeletCertificateAuthorityMissing, apiserverKubeletClientCertMissing, etcdPlainHttpListener, kubeconfigSkipsTlsVerification,
  kubeconfigPlainHttpServer, componentServesOnAllInterfaces, kubeProxyMetricsExposed, componentProfilingEnabled,
  controllerManagerRootCaMissing,
  kubeletServingCertificateSelfSigned,
];
