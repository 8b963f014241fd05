import { componentPodYaml, forEachRun, from, isLoopbackHost, listOf, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'etcd-plain-http-listener',
  section: 'api-tls',
  severity: 'high',
  title: 'etcd listens on plain HTTP beyond loopback',
  docs: {
    what: 'Reports every etcd whose effective --listen-client-urls or --listen-peer-urls (flags, ETCD_* variables or its --config-file) contain an http:// URL on an address other than loopback. etcd\'s defaults are http://localhost:2379 and :2380.',
    why: 'etcd holds every Secret of the cluster. On plain HTTP its traffic, including Secret values and the API server\'s writes, can be read and altered by anyone on the network path, and no client certificate can be required.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
  remediation: `Serve https with certificates (kubeadm):

    - --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379
    - --listen-peer-urls=https://10.0.0.10:2380
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --key-file=/etc/kubernetes/pki/etcd/server.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      for (const flag of ['listen-client-urls', 'listen-peer-urls']) {
        const urls = s.get(flag);
        if (urls.unresolved) {
          yield notEvaluated(runSubject(s.run, urls), urls.unresolved);
          continue;
        }
        const plain = listOf(urls).filter((u) => {
          const m = /^http:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(u);
          return m !== null && !isLoopbackHost(m[1]!);
        });
        if (plain.length === 0) yield pass(runSubject(s.run, urls));
        else yield fail(runSubject(s.run, urls), `etcd --${flag} serves plain HTTP on ${plain.join(', ')}${from(urls)}`, settingField(urls));
      }
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--listen-client-urls=http://0.0.0.0:2379', '--listen-peer-urls=https://10.0.0.10:2380'])],
    pass: [componentPodYaml('etcd', ['--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379', '--listen-peer-urls=https://10.0.0.10:2380'])],
  },
});
