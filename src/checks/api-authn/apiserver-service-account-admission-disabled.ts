import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from '../api-authz/admission-plugins.js';

export default defineCheck({
  id: 'apiserver-service-account-admission-disabled',
  section: 'api-authn',
  severity: 'medium',
  title: 'The ServiceAccount admission plugin is turned off',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those without ServiceAccount, which is on by default. The CIS view follows kube-bench, which fails only when --disable-admission-plugins names it.',
    why: 'The ServiceAccount plugin gives every pod a ServiceAccount (default when unset), refuses pods whose ServiceAccount does not exist, and mounts a bound, expiring, audience-scoped token. Without it pods run with no identity the RBAC rules can name, may reference accounts that do not exist, and workloads fall back to long-lived token Secrets.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount'],
  },
  remediation: `Take ServiceAccount out of --disable-admission-plugins (it is on by default), or add it to --admission-control.`,
  cis: { '1.12': ['1.2.12'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'ServiceAccount', 'kept', '1.2.12', 'pods are admitted without a checked ServiceAccount or a bound token');
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--disable-admission-plugins=ServiceAccount']),
      { description: 'the legacy --admission-control without it (kube-bench does not read it)', yaml: componentPodYaml('kube-apiserver', ['--admission-control=NamespaceLifecycle,NodeRestriction']) },
    ],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
  fix: {
    safety: 'safe',
    summary: 'takes ServiceAccount out of --disable-admission-plugins (or adds it to --admission-control): the upstream default',
    plan: admissionPluginFix('ServiceAccount', 'kept'),
  },
});
