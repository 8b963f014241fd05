import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-basic-auth-file',
  section: 'api-authn',
  severity: 'critical',
  title: 'kube-apiserver accepts static passwords (basic auth)',
  docs: {
    what: 'Reports every kube-apiserver started with --basic-auth-file. The flag was removed in Kubernetes 1.19; clusters still carrying it are older than that, or will not start after an upgrade.',
    why: 'Passwords in a clear-text CSV, sent on every request, never expiring and impossible to revoke without a restart: the weakest authenticator Kubernetes ever had.',
    references: ['Securing a Cluster: API Authentication', 'https://github.com/kubernetes/kubernetes/pull/89069'],
  },
  remediation: `Remove --basic-auth-file; use client certificates or OIDC, then upgrade to a supported release.`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const file = s.get('basic-auth-file');
      if (file.value) yield fail(runSubject(s.run, file), `kube-apiserver reads static passwords from ${file.value}${from(file)}`, file.origin.kind === 'flag' ? { field: file.origin.field } : {});
      else yield pass(runSubject(s.run));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--basic-auth-file=/etc/kubernetes/passwords.csv'], 'registry.k8s.io/kube-apiserver:v1.18.20')],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
