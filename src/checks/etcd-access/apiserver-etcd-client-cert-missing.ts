import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-etcd-client-cert-missing',
  section: 'etcd-access',
  severity: 'high',
  title: 'kube-apiserver does not use mutual TLS to etcd',
  docs: {
    what: 'Reports every kube-apiserver without --etcd-cafile, --etcd-certfile or --etcd-keyfile, or whose --etcd-servers include an http:// URL.',
    why: 'Without them the API server neither verifies etcd nor proves itself to it: etcd must then accept unauthenticated clients, and the API server would write Secrets to whoever answers on the etcd address.',
    references: ['Securing a Cluster: Restricting access to etcd', 'CIS Kubernetes 1.2.29, 1.2.32'],
  },
  remediation: `    - --etcd-servers=https://127.0.0.1:2379
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const missing = ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'].filter((f) => !s.get(f).value);
      const plain = (s.get('etcd-servers').value ?? '').split(',').filter((u) => /^http:\/\//i.test(u.trim()));
      if (missing.length > 0) yield fail(runSubject(s.run), `kube-apiserver has no ${missing.map((f) => `--${f}`).join(', ')}`);
      else if (plain.length > 0) yield fail(runSubject(s.run, s.get('etcd-servers')), `kube-apiserver talks to etcd over plain HTTP: ${plain.join(', ')}`);
      else yield pass(runSubject(s.run));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
