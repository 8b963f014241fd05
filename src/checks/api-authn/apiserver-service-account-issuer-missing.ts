import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-service-account-issuer-missing',
  section: 'api-authn',
  severity: 'medium',
  title: 'kube-apiserver lacks service account issuer or keys',
  docs: {
    what: 'Reports every kube-apiserver without --service-account-issuer, --service-account-signing-key-file or --service-account-key-file. Since 1.20 the API server requires them; an input without them is incomplete or the API server is misconfigured.',
    why: 'Without a dedicated signing key pair and issuer, service account tokens are verified with the TLS serving key (an old fallback), cannot be bound or audience-scoped properly, and cannot be verified by external systems through OIDC discovery.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/'],
  },
  remediation: `Give the API server a service account key pair and issuer (kubeadm does):

    - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key`,
  cis: { '1.12': ['1.2.22'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const missing = ['service-account-issuer', 'service-account-signing-key-file', 'service-account-key-file'].filter((f) => !s.get(f).value);
      if (missing.length === 0) return yield pass(runSubject(s.run));
      // CIS 1.2.22 asks for --service-account-key-file only.
      const cis = { '1.12': { '1.2.22': missing.includes('service-account-key-file') ? 'fail' : 'pass' } } as const;
      yield fail(runSubject(s.run), `kube-apiserver has no ${missing.map((f) => `--${f}`).join(', ')}`, { cis });
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC', '--service-account-key-file=/etc/kubernetes/pki/sa.pub'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
