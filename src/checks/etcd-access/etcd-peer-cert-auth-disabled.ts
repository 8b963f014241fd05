import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';
import { etcdArgument, etcdArgumentIsTrue, etcdCis } from './etcd-arguments.js';

export default defineCheck({
  id: 'etcd-peer-cert-auth-disabled',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd peers are not authenticated with certificates',
  docs: {
    what: 'Reports every etcd whose effective peer-client-cert-auth is not true, or that lacks peer-trusted-ca-file, peer-cert-file or peer-key-file (flags, ETCD_* variables, or its --config-file). A single-member etcd listening for peers on loopback only is reported too: adding a member later keeps the setting. Two findings at most per etcd: its peer certificate and key (CIS 2.4), and peer client certificate authentication with its CA (CIS 2.5); the CIS view follows kube-bench, which asks for the peer certificate and key flags (or variables) to be present and for --peer-client-cert-auth to be true, and does not look at peer-trusted-ca-file.',
    why: 'Without peer certificates anyone who reaches port 2380 can join the cluster as a member or read replication traffic, which carries every key, every Secret included.',
    references: ['Securing a Cluster: Restricting access to etcd', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
  cis: { '1.12': ['2.4', '2.5'] },
  remediation: `Authenticate peers with certificates (kubeadm does):

    - --peer-client-cert-auth=true
    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      // 2.4: the peer certificate and key; 2.5: peers must present certificates, verified with the peer CA.
      const parts = [
        { control: '2.4', flags: ['peer-cert-file', 'peer-key-file'], cisPasses: etcdArgument(s, 'peer-cert-file') !== undefined && etcdArgument(s, 'peer-key-file') !== undefined, otherwise: 'kube-bench takes a flag that is present, even empty, as set' },
        { control: '2.5', flags: ['peer-client-cert-auth', 'peer-trusted-ca-file'], cisPasses: etcdArgumentIsTrue(s, 'peer-client-cert-auth'), otherwise: 'CIS 2.5 asks only for --peer-client-cert-auth=true; kubeward also wants the peer-trusted-ca-file that peer certificates are verified with' },
      ] as const;
      for (const part of parts) {
        const judged = (kubewardPasses: boolean) => {
          const { outcome, cisNote } = etcdCis(s, part.cisPasses, kubewardPasses, part.otherwise);
          return { cis: { '1.12': { [part.control]: outcome } }, ...(cisNote ? { cisNote } : {}) };
        };
        const settings = part.flags.map((f) => [f, s.get(f)] as const);
        const unresolved = settings.find(([, v]) => v.unresolved);
        if (unresolved) {
          yield notEvaluated(runSubject(s.run, unresolved[1]), unresolved[1].unresolved!, judged(!part.cisPasses));
          continue;
        }
        const bad = settings.find(([flag, v]) => (flag === 'peer-client-cert-auth' ? v.value?.toLowerCase() !== 'true' : !v.value));
        if (!bad) yield pass(runSubject(s.run, settings[0][1]), judged(true));
        else yield fail(runSubject(s.run, bad[1]), `etcd peer ${bad[0]} is ${bad[1].value ?? 'unset'}${from(bad[1])}`, judged(false));
      }
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--client-cert-auth=true', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt'])],
    pass: [componentPodYaml('etcd', ['--peer-client-cert-auth=true', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key'])],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --peer-client-cert-auth=true on etcd; a missing --peer-trusted-ca-file, peer certificate or key is left to a person',
    plan: (ctx, failures) => {
      const missingCertificate = failures.filter((f) => /^etcd peer peer-(cert|key)-file /.test(f.message));
      for (const failure of missingCertificate) ctx.manual(failure, 'etcd has no peer certificate or key: issue them from the etcd CA (kubeadm init phase certs etcd-peer) and set --peer-cert-file and --peer-key-file');
      flag(['etcd'], 'peer-client-cert-auth', (s) => (s.get('peer-trusted-ca-file').value ? 'true' : null), 'etcd has no --peer-trusted-ca-file: set the CA that signed the peers\' certificates first')(ctx, failures.filter((f) => !missingCertificate.includes(f)));
    },
  },
});
