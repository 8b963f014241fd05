import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-etcd-client-cert-missing',
  section: 'etcd-access',
  severity: 'high',
  title: 'kube-apiserver does not use mutual TLS to etcd',
  docs: {
    what: 'Reports every kube-apiserver without --etcd-cafile, --etcd-certfile or --etcd-keyfile, or whose --etcd-servers include an http:// URL. The CIS view follows kube-bench: the flags present (1.2.23: --etcd-certfile and --etcd-keyfile; 1.2.26: --etcd-cafile), whatever --etcd-servers says.',
    why: 'Without them the API server neither verifies etcd nor proves itself to it: etcd must then accept unauthenticated clients, and the API server would write Secrets to whoever answers on the etcd address.',
    references: ['Securing a Cluster: Restricting access to etcd'],
  },
  cis: { '1.12': ['1.2.23', '1.2.26'] },
  remediation: `    - --etcd-servers=https://127.0.0.1:2379
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const missing = ['etcd-cafile', 'etcd-certfile', 'etcd-keyfile'].filter((f) => !s.get(f).value);
      const plain = (s.get('etcd-servers').value ?? '').split(',').filter((u) => /^http:\/\//i.test(u.trim()));
      // kube-bench: the flags present on the command line.
      const cis = { '1.12': {
        '1.2.23': s.run.flags.has('etcd-certfile') && s.run.flags.has('etcd-keyfile') ? 'pass' : 'fail',
        '1.2.26': s.run.flags.has('etcd-cafile') ? 'pass' : 'fail',
      } } as const;
      const cisFails = Object.values(cis['1.12']).includes('fail');
      if (missing.length > 0) yield fail(runSubject(s.run), `kube-apiserver has no ${missing.map((f) => `--${f}`).join(', ')}`, { cis, ...(cisFails ? {} : { cisNote: 'kube-bench takes a flag that is present, even empty, as set' }) });
      else if (plain.length > 0) yield fail(runSubject(s.run, s.get('etcd-servers')), `kube-apiserver talks to etcd over plain HTTP: ${plain.join(', ')}`, { cis, cisNote: 'CIS 1.2.23 and 1.2.26 do not look at --etcd-servers' });
      else yield pass(runSubject(s.run), { cis });
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--etcd-servers=https://127.0.0.1:2379'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
