import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';
import { etcdArgumentIsTrue, etcdCis } from './etcd-arguments.js';

export default defineCheck({
  id: 'etcd-client-cert-auth-disabled',
  section: 'etcd-access',
  severity: 'critical',
  title: 'etcd serves clients without requiring a client certificate',
  docs: {
    what: 'Reports every etcd whose effective client-cert-auth is not true, or that has no trusted-ca-file to verify client certificates with. Values come from flags, ETCD_* variables, or (when given) the --config-file, which makes etcd ignore flags and variables; etcd\'s default is no client authentication. The CIS view follows kube-bench: --client-cert-auth (or ETCD_CLIENT_CERT_AUTH) true, whatever trusted-ca-file is.',
    why: 'Any process that reaches port 2379 then reads and writes the whole cluster state: every Secret, every RBAC binding. The API server\'s authentication and authorization are bypassed entirely.',
    references: ['Securing a Cluster: Restricting access to etcd', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
  cis: { '1.12': ['2.2'] },
  remediation: `Require client certificates signed by the etcd CA (kubeadm does):

    - --client-cert-auth=true
    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'etcd', function* (s) {
      const auth = s.get('client-cert-auth');
      const ca = s.get('trusted-ca-file');
      const cisPasses = etcdArgumentIsTrue(s, 'client-cert-auth');
      const judged = (kubewardPasses: boolean) => {
        const { outcome, cisNote } = etcdCis(s, cisPasses, kubewardPasses, 'CIS 2.2 asks only for --client-cert-auth=true; kubeward also wants the trusted-ca-file that client certificates are verified with');
        return { cis: { '1.12': { '2.2': outcome } }, ...(cisNote ? { cisNote } : {}) };
      };
      for (const setting of [auth, ca]) if (setting.unresolved) return yield notEvaluated(runSubject(s.run, setting), setting.unresolved, judged(!cisPasses));
      if (auth.value?.toLowerCase() !== 'true') yield fail(runSubject(s.run, auth), `etcd does not require client certificates: client-cert-auth is ${auth.value}${from(auth)}`, judged(false));
      else if (!ca.value) yield fail(runSubject(s.run, ca), `etcd has no trusted-ca-file to verify client certificates${from(ca)}`, judged(false));
      else yield pass(runSubject(s.run, auth), judged(true));
    });
  },
  examples: {
    fail: [
      componentPodYaml('etcd', ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key']),
      { description: 'ETCD_CLIENT_CERT_AUTH=false in the environment', yaml: `apiVersion: v1
kind: Pod
metadata: {name: etcd-cp1, namespace: kube-system, labels: {component: etcd}}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.12-0
    command: [etcd]
    env: [{name: ETCD_CLIENT_CERT_AUTH, value: "false"}, {name: ETCD_TRUSTED_CA_FILE, value: /etc/kubernetes/pki/etcd/ca.crt}]` },
    ],
    pass: [
      componentPodYaml('etcd', ['--client-cert-auth=true', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt']),
      { description: 'set through ETCD_* variables', yaml: `apiVersion: v1
kind: Pod
metadata: {name: etcd-cp1, namespace: kube-system, labels: {component: etcd}}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.12-0
    command: [etcd]
    env: [{name: ETCD_CLIENT_CERT_AUTH, value: "true"}, {name: ETCD_TRUSTED_CA_FILE, value: /etc/kubernetes/pki/etcd/ca.crt}]` },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --client-cert-auth=true on etcd (kube-apiserver already presents its --etcd-certfile); a missing --trusted-ca-file is left to a person',
    plan: flag(['etcd'], 'client-cert-auth', (s) => (s.get('trusted-ca-file').value ? 'true' : null), 'etcd has no --trusted-ca-file: set the CA that signed the clients\' certificates first'),
  },
});
