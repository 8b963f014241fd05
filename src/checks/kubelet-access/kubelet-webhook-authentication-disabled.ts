import { forEachKubelet, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-webhook-authentication-disabled',
  section: 'kubelet-access',
  severity: 'high',
  title: 'Kubelet does not authenticate bearer tokens through the API server',
  docs: {
    what: 'Reports every kubelet whose effective authentication.webhook.enabled is not true (--authentication-token-webhook; false by default without --config, true with a config file).',
    why: 'Without webhook authentication the kubelet cannot verify service account or user tokens, so only client certificates work; the Webhook authorizer then has nothing to authorize and operators fall back to anonymous access or AlwaysAllow.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'],
  },
  remediation: `KubeletConfiguration:

authentication:
  webhook:
    enabled: true`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'authentication.webhook.enabled', (v) => v === 'true', () => 'bearer tokens are not verified with the API server (webhook authentication off)');
    });
  },
  examples: {
    fail: [kubeletConfigYaml('authentication:\n  webhook: {enabled: false}')],
    pass: [kubeletConfigYaml('authentication:\n  webhook: {enabled: true}')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets authentication.webhook.enabled: true in the kubelet\'s config file (bearer tokens are verified with the API server)',
    plan: kubeletField('authentication.webhook.enabled', true),
  },
});
