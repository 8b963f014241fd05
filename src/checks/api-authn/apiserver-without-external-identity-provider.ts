import { findReferencedFile } from '../../engines/config/index.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-without-external-identity-provider',
  section: 'api-authn',
  severity: 'info',
  title: 'People authenticate without an identity provider (no OIDC)',
  docs: {
    what: 'Reports every kube-apiserver with neither --oidc-issuer-url nor an AuthenticationConfiguration with jwt issuers (structured authentication, --authentication-config) nor a token webhook (--authentication-token-webhook-config-file). Informational: small clusters may rely on client certificates alone.',
    why: 'Without an identity provider, people get client certificates, which cannot be revoked (Kubernetes has no CRL), are often long-lived and shared, and bypass the organisation\'s account lifecycle and MFA. The guide recommends OIDC for larger clusters.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#using-authentication-configuration'],
  },
  remediation: `Configure an OIDC issuer with structured authentication (--authentication-config):

apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer: {url: https://idp.example.com, audiences: [kubernetes]}
  claimMappings: {username: {claim: email, prefix: "oidc:"}, groups: {claim: groups, prefix: "oidc:"}}`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      if (s.get('oidc-issuer-url').value || s.get('authentication-token-webhook-config-file').value) return yield pass(runSubject(s.run));
      const config = s.get('authentication-config');
      if (config.value) {
        const file = findReferencedFile(ctx.inventory, 'AuthenticationConfiguration', config.value);
        if (!file.found) return yield notEvaluated(runSubject(s.run, config), file.reason);
        const jwt = (file.item.object as { jwt?: unknown[] }).jwt;
        if (Array.isArray(jwt) && jwt.length > 0) return yield pass(file.item);
      }
      yield fail(runSubject(s.run), 'kube-apiserver has no OIDC issuer, structured JWT authenticator or token webhook: people authenticate with client certificates or static credentials');
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--oidc-issuer-url=https://idp.example.com', '--oidc-client-id=kubernetes'])],
  },
});
