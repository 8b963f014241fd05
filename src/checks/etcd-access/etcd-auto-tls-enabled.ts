import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'etcd-auto-tls-enabled',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd uses self-signed automatic TLS',
  docs: {
    what: 'Reports every etcd with auto-tls or peer-auto-tls true (flags, ETCD_* variables, or its --config-file).',
    why: 'Automatic TLS generates self-signed certificates that clients and peers cannot verify; the connection is encrypted but not authenticated, so a man in the middle or a rogue member goes unnoticed.',
    references: ['Securing a Cluster: Restricting access to etcd', 'CIS Kubernetes 2.3, 2.6'],
  },
  remediation: `Remove --auto-tls and --peer-auto-tls; give certificates signed by the etcd CA (--cert-file, --peer-cert-file ...).`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      for (const flag of ['auto-tls', 'peer-auto-tls']) {
        const setting = s.get(flag);
        if (setting.unresolved) yield notEvaluated(runSubject(s.run, setting), setting.unresolved);
        else if (setting.value === 'true') yield fail(runSubject(s.run, setting), `etcd ${flag} is on: self-signed, unverifiable certificates${from(setting)}`);
        else yield pass(runSubject(s.run, setting));
      }
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--auto-tls=true'])],
    pass: [componentPodYaml('etcd', ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key'])],
  },
});
