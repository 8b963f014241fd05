import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-client-ca-file-missing',
  section: 'api-authn',
  severity: 'medium',
  title: 'kube-apiserver does not authenticate client certificates (no --client-ca-file)',
  docs: {
    what: 'Reports every kube-apiserver without --client-ca-file, the CA whose client certificates it accepts (kubeadm sets the cluster CA). --requestheader-client-ca-file, the front proxy\'s CA, does not count.',
    why: 'Without it no client certificate authenticates: kubelets, the controller manager and the scheduler cannot prove who they are with the certificates kubeadm gives them, so they are moved to static or long-lived tokens, and the Node authorizer cannot tell nodes apart (it reads system:node:<name> from the certificate).',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates'],
  },
  remediation: `Trust the cluster CA for client certificates (kubeadm does):

    - --client-ca-file=/etc/kubernetes/pki/ca.crt`,
  cis: { '1.12': ['1.2.25'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const ca = s.get('client-ca-file');
      if (ca.value) yield pass(runSubject(s.run, ca));
      else yield fail(runSubject(s.run), 'kube-apiserver has no --client-ca-file: no client certificate authenticates to it');
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
