import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { etcdArgument, etcdCis } from './etcd-arguments.js';

export default defineCheck({
  id: 'etcd-serving-cert-missing',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd has no serving certificate for clients',
  docs: {
    what: 'Reports every etcd without an effective cert-file and key-file (flags, ETCD_* variables, or its --config-file). The CIS view follows kube-bench, which reads the flags and ETCD_* variables only.',
    why: 'Without a serving certificate etcd cannot serve https, so the API server talks to it in clear text and cannot tell a real etcd from an impostor; client certificate authentication is impossible too.',
    references: ['Securing a Cluster: Restricting access to etcd'],
  },
  cis: { '1.12': ['2.1'] },
  remediation: `    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --key-file=/etc/kubernetes/pki/etcd/server.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      const cert = s.get('cert-file');
      const key = s.get('key-file');
      // kube-bench: both flags (or variables) present.
      const cisPasses = etcdArgument(s, 'cert-file') !== undefined && etcdArgument(s, 'key-file') !== undefined;
      const judged = (kubewardPasses: boolean) => {
        const { outcome, cisNote } = etcdCis(s, cisPasses, kubewardPasses, 'kube-bench takes a flag that is present, even empty, as set');
        return { cis: { '1.12': { '2.1': outcome } }, ...(cisNote ? { cisNote } : {}) };
      };
      for (const setting of [cert, key]) if (setting.unresolved) return yield notEvaluated(runSubject(s.run, setting), setting.unresolved, judged(!cisPasses));
      if (cert.value && key.value) yield pass(runSubject(s.run, cert), judged(true));
      else yield fail(runSubject(s.run), `etcd has no ${!cert.value ? 'cert-file' : 'key-file'}${from(!cert.value ? cert : key)}`, judged(false));
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--client-cert-auth=true'])],
    pass: [componentPodYaml('etcd', ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key'])],
  },
});
