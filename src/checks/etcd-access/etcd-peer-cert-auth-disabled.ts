import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'etcd-peer-cert-auth-disabled',
  section: 'etcd-access',
  severity: 'high',
  title: 'etcd peers are not authenticated with certificates',
  docs: {
    what: 'Reports every etcd whose effective peer-client-cert-auth is not true, or that lacks peer-trusted-ca-file, peer-cert-file or peer-key-file (flags, ETCD_* variables, or its --config-file). A single-member etcd listening for peers on loopback only is reported too: adding a member later keeps the setting.',
    why: 'Without peer certificates anyone who reaches port 2380 can join the cluster as a member or read replication traffic, which carries every key, every Secret included.',
    references: ['Securing a Cluster: Restricting access to etcd', 'https://etcd.io/docs/v3.5/op-guide/security/', 'CIS Kubernetes 2.4, 2.5'],
  },
  remediation: `Authenticate peers with certificates (kubeadm does):

    - --peer-client-cert-auth=true
    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      const settings = ['peer-client-cert-auth', 'peer-trusted-ca-file', 'peer-cert-file', 'peer-key-file'].map((f) => [f, s.get(f)] as const);
      const unresolved = settings.find(([, v]) => v.unresolved);
      if (unresolved) return yield notEvaluated(runSubject(s.run, unresolved[1]), unresolved[1].unresolved!);
      const bad = settings.find(([flag, v]) => (flag === 'peer-client-cert-auth' ? v.value !== 'true' : !v.value));
      if (!bad) yield pass(runSubject(s.run));
      else yield fail(runSubject(s.run, bad[1]), `etcd peer ${bad[0]} is ${bad[1].value ?? 'unset'}${from(bad[1])}`);
    });
  },
  examples: {
    fail: [componentPodYaml('etcd', ['--client-cert-auth=true', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt'])],
    pass: [componentPodYaml('etcd', ['--peer-client-cert-auth=true', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key'])],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --peer-client-cert-auth=true on etcd; a missing --peer-trusted-ca-file is left to a person',
    plan: flag(['etcd'], 'peer-client-cert-auth', (s) => (s.get('peer-trusted-ca-file').value ? 'true' : null), 'etcd has no --peer-trusted-ca-file: set the CA that signed the peers\' certificates first'),
  },
});
