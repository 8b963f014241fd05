import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'apiserver-token-auth-file',
  section: 'api-authn',
  severity: 'high',
  title: 'kube-apiserver accepts static bearer tokens from a file',
  docs: {
    what: 'Reports every kube-apiserver started with --token-auth-file.',
    why: 'Static tokens live in clear text on the control-plane disk, never expire, cannot be revoked without restarting the API server, and are usually shared; one leaked line is permanent access under that identity.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file'],
  },
  remediation: `Remove --token-auth-file; authenticate people with OIDC (--authentication-config) or client certificates and workloads with service account tokens.`,
  cis: { '1.12': ['1.2.2'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const file = s.get('token-auth-file');
      if (file.value) yield fail(runSubject(s.run, file), `kube-apiserver reads static tokens from ${file.value}${from(file)}`, file.origin.kind === 'flag' ? { field: file.origin.field } : {});
      else yield pass(runSubject(s.run));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--token-auth-file=/etc/kubernetes/tokens.csv'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes --token-auth-file: static tokens no longer authenticate',
    risk: 'users and scripts that sign in with a token of that file lose access; give them client certificates or OIDC first',
    plan: flag(['kube-apiserver'], 'token-auth-file', undefined),
  },
});
