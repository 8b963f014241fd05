import { cisVerdict, forEachKubeProxy, from, hostOfAddress, isLoopbackHost, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { kubeProxyMetricsOnLoopback } from '../../fix/kube-proxy.js';

export default defineCheck({
  id: 'kube-proxy-metrics-exposed',
  section: 'api-tls',
  severity: 'low',
  title: 'kube-proxy serves its plain-HTTP metrics beyond loopback',
  docs: {
    what: 'Reports every kube-proxy whose effective metricsBindAddress (--metrics-bind-address, or the KubeProxyConfiguration its --config names, usually the kube-system/kube-proxy ConfigMap) is not a loopback address. The default is 127.0.0.1:10249. The CIS view follows kube-bench: unset, or a value containing 127.0.0.1, passes (localhost or [::1] fail there).',
    why: 'kube-proxy\'s metrics endpoint has no TLS and no authentication; bound to all interfaces it lets any pod or host on the network read the node\'s service and endpoint layout (and /debug endpoints in some versions).',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/'],
  },
  cis: { '1.12': ['4.3.1'] },
  remediation: `Keep metrics on loopback (or scrape them through an authenticating proxy):

apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metricsBindAddress: 127.0.0.1:10249`,
  *evaluate(ctx) {
    yield* forEachKubeProxy(ctx, function* (p) {
      const address = p.get('metricsBindAddress');
      if (address.unresolved) return yield notEvaluated(runSubject(p.run, address), address.unresolved);
      // kube-bench: unset, or a value that contains 127.0.0.1 ("has").
      const cisPasses = address.origin.kind === 'default' || (address.value ?? '').includes('127.0.0.1');
      if (address.value && isLoopbackHost(hostOfAddress(address.value))) {
        yield pass(runSubject(p.run, address), cisVerdict('4.3.1', cisPasses, true, `kube-bench passes only an address containing 127.0.0.1; kubeward accepts any loopback address (${address.value})`));
      } else {
        yield fail(runSubject(p.run, address), `kube-proxy serves metrics on ${address.value ?? 'all interfaces'}${from(address)}`, {
          ...settingField(address),
          ...cisVerdict('4.3.1', cisPasses, false, `kube-bench passes any address containing 127.0.0.1 (${address.value ?? 'unset'}); kubeward wants a loopback host`),
        });
      }
    });
  },
  examples: {
    fail: [`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system, labels: {k8s-app: kube-proxy}}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.30.2
        command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf]
        volumeMounts: [{name: kube-proxy, mountPath: /var/lib/kube-proxy}]
      volumes: [{name: kube-proxy, configMap: {name: kube-proxy}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-proxy, namespace: kube-system}
data:
  config.conf: |
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    # scraped by the node's Prometheus agent
    metricsBindAddress: "0.0.0.0:10249"  # all interfaces
    mode: iptables`,
    {
      description: 'the flag, without --config',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system, labels: {k8s-app: kube-proxy}}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.30.2
        command: [/usr/local/bin/kube-proxy, --metrics-bind-address=0.0.0.0:10249]`,
    }],
    pass: [`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system, labels: {k8s-app: kube-proxy}}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.30.2
        command: [/usr/local/bin/kube-proxy, --metrics-bind-address=127.0.0.1:10249]`],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets metricsBindAddress to 127.0.0.1 with the port it had (10249 by default) where kube-proxy reads it: the line of the KubeProxyConfiguration inside the ConfigMap its --config names (the rest of the embedded text unchanged), a KubeProxyConfiguration file, or --metrics-bind-address',
    risk: 'metrics scrapers on other hosts or in pods (Prometheus scraping node IPs on 10249) no longer reach kube-proxy\'s metrics; scrape them through an authenticating proxy on the node instead',
    followUp: 'kube-proxy reads its ConfigMap at start: kubectl -n kube-system rollout restart daemonset kube-proxy',
    plan: kubeProxyMetricsOnLoopback,
  },
});
