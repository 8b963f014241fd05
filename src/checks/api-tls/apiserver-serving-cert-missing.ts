import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-serving-cert-missing',
  section: 'api-tls',
  severity: 'medium',
  title: 'kube-apiserver serves TLS without a configured certificate',
  docs: {
    what: 'Reports every kube-apiserver whose effective --tls-cert-file or --tls-private-key-file is unset.',
    why: 'Without them the API server generates a self-signed certificate at start-up that no client can verify; clients are then configured to skip verification, and anyone on the path can impersonate the API server and read every credential sent to it.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
  remediation: `Give the API server a certificate signed by the cluster CA (kubeadm does this):

    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key`,
  cis: { '1.12': ['1.2.24'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const cert = s.get('tls-cert-file');
      const key = s.get('tls-private-key-file');
      for (const setting of [cert, key]) if (setting.unresolved) return yield notEvaluated(runSubject(s.run, setting), setting.unresolved);
      if (cert.value && key.value) yield pass(runSubject(s.run, cert));
      else {
        const missing = !cert.value ? cert : key;
        yield fail(runSubject(s.run), `kube-apiserver has no ${!cert.value ? '--tls-cert-file' : '--tls-private-key-file'}${from(missing)}: it serves a self-signed certificate`);
      }
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC'])],
    pass: [componentPodYaml('kube-apiserver', ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'])],
  },
});
