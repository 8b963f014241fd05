import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { etcdArgument, etcdCis } from './etcd-arguments.js';

const CONTROL = { 'auto-tls': '2.3', 'peer-auto-tls': '2.6' } as const;

export default defineCheck({
  id: 'etcd-auto-tls-enabled',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd uses self-signed automatic TLS',
  docs: {
    what: 'Reports every etcd with auto-tls or peer-auto-tls true (flags, ETCD_* variables, or its --config-file). The CIS view follows kube-bench: each flag (or variable) unset or false.',
    why: 'Automatic TLS generates self-signed certificates that clients and peers cannot verify; the connection is encrypted but not authenticated, so a man in the middle or a rogue member goes unnoticed.',
    references: ['Securing a Cluster: Restricting access to etcd'],
  },
  cis: { '1.12': ['2.3', '2.6'] },
  remediation: `Remove --auto-tls and --peer-auto-tls; give certificates signed by the etcd CA (--cert-file, --peer-cert-file ...).`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      for (const flag of ['auto-tls', 'peer-auto-tls'] as const) {
        const setting = s.get(flag);
        // kube-bench: not set, or eq false.
        const argument = etcdArgument(s, flag);
        const cisPasses = argument === undefined || argument.toLowerCase() === 'false';
        const judged = (kubewardPasses: boolean) => {
          const { outcome, cisNote } = etcdCis(s, cisPasses, kubewardPasses, `kube-bench fails any ${flag} value other than false (${argument ?? 'unset'})`);
          return { cis: { '1.12': { [CONTROL[flag]]: outcome } }, ...(cisNote ? { cisNote } : {}) };
        };
        // etcd parses the value as a Go bool.
        const on = ['true', 't', '1'].includes(setting.value?.toLowerCase() ?? '');
        if (setting.unresolved) yield notEvaluated(runSubject(s.run, setting), setting.unresolved, judged(!cisPasses));
        else if (on) yield fail(runSubject(s.run, setting), `etcd ${flag} is on: self-signed, unverifiable certificates${from(setting)}`, judged(false));
        else yield pass(runSubject(s.run, setting), judged(true));
      }
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--auto-tls=true']), componentPodYaml('etcd', ['--peer-auto-tls'])],
    pass: [componentPodYaml('etcd', ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key'])],
  },
});
