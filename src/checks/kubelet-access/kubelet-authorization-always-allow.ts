import { forEachKubelet, isWritten, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-authorization-always-allow',
  section: 'kubelet-access',
  severity: 'critical',
  title: 'Kubelet authorizes every request (authorization mode not Webhook)',
  docs: {
    what: 'Reports every kubelet whose effective authorization.mode is not Webhook (--authorization-mode; AlwaysAllow by default without --config, Webhook with a config file). CIS 4.2.2, as kube-bench audits it, wants the mode written and not AlwaysAllow: a config file that leaves it to its default passes here and fails there.',
    why: 'With AlwaysAllow every authenticated caller (and every anonymous one, if anonymous auth is on) may exec into any container on the node, read its logs and environment, and list every pod: node compromise from anyone who can reach port 10250.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authorization'],
  },
  cis: { '1.12': ['4.2.2'] },
  remediation: `KubeletConfiguration:

authorization:
  mode: Webhook`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'authorization.mode', (v) => v === 'Webhook', (v) => `authorization mode is ${v ?? 'unset'}, so every authenticated request is allowed`, {
        control: '4.2.2',
        passes: (s) => isWritten(s) && !(s.value ?? '').includes('AlwaysAllow'),
        note: (s) => (isWritten(s)
          ? `CIS 4.2.2 only refuses AlwaysAllow; kubeward accepts Webhook alone (mode ${s.value})`
          : 'CIS 4.2.2 (kube-bench) wants authorization.mode (or --authorization-mode) written; the config file\'s default is Webhook, which kubeward accepts'),
      });
    });
  },
  examples: {
    fail: [kubeletConfigYaml('authorization: {mode: AlwaysAllow}')],
    pass: [kubeletConfigYaml('authorization: {mode: Webhook}')],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets authorization.mode: Webhook in the kubelet\'s config file (the API server authorizes each request with SubjectAccessReview)',
    risk: 'clients of the kubelet API without RBAC permission on nodes/proxy, nodes/metrics or nodes/log (a metrics scraper) are refused',
    plan: kubeletField('authorization.mode', 'Webhook'),
  },
});
