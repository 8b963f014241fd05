import { cisVerdict, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'controller-manager-service-account-credentials-off',
  section: 'api-authz',
  severity: 'medium',
  title: 'kube-controller-manager runs every controller with its own, shared credential',
  docs: {
    what: 'Reports every kube-controller-manager whose --use-service-account-credentials is not true (the default is false; kubeadm sets true). The CIS view follows kube-bench (`noteq false`): an unset flag fails there too, since kube-bench requires the flag to be present.',
    why: 'Without it every controller acts with the controller manager\'s own identity (system:kube-controller-manager), which RBAC must then grant the union of all controllers\' permissions. With it each controller uses its own service account in kube-system, bound to a narrow system:controller:* role, so one misbehaving or exploited controller holds only what it needs.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles'],
  },
  remediation: `    - --use-service-account-credentials=true`,
  cis: { '1.12': ['1.3.3'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const setting = s.get('use-service-account-credentials');
      const subject = runSubject(s.run, setting);
      // kube-bench: the flag present and not false (case-insensitively).
      const cisPasses = s.run.flags.has('use-service-account-credentials') && setting.value?.toLowerCase() !== 'false';
      // The component parses it as a Go bool.
      const on = ['true', 't', '1'].includes(setting.value?.toLowerCase() ?? '');
      const cis = cisVerdict('1.3.3', cisPasses, on, `kube-bench passes any value but false (${setting.value})`);
      if (on) yield pass(subject, cis);
      else yield fail(subject, `kube-controller-manager runs all controllers with its own credential: --use-service-account-credentials is ${setting.value ?? 'unset'}${from(setting)}`, { ...(setting.origin.kind === 'flag' ? { field: setting.origin.field } : {}), ...cis });
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1']),
      componentPodYaml('kube-controller-manager', ['--use-service-account-credentials=false']),
    ],
    pass: [componentPodYaml('kube-controller-manager', ['--use-service-account-credentials=true'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets --use-service-account-credentials=true: each controller then acts as its own service account in kube-system',
    risk: 'controllers then depend on the bootstrap system:controller:* ClusterRoles and bindings; where those were changed or removed, controllers lose permissions they had through the controller manager\'s identity',
    plan: flag(['kube-controller-manager'], 'use-service-account-credentials', 'true'),
  },
});
