import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from './admission-plugins.js';

export default defineCheck({
  id: 'apiserver-always-admit-enabled',
  section: 'api-authz',
  severity: 'medium',
  title: 'kube-apiserver runs the AlwaysAdmit admission plugin',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those that run AlwaysAdmit. The CIS view follows kube-bench, which looks for it in --enable-admission-plugins only.',
    why: 'AlwaysAdmit (deprecated) admits every request and exists only for testing. Its presence says that admission control was treated as something to switch off; it does nothing itself, and the other plugins (NodeRestriction, PodSecurity, ResourceQuota…) are what actually restrict requests.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwaysadmit'],
  },
  remediation: `Take AlwaysAdmit out of --enable-admission-plugins (or --admission-control).`,
  cis: { '1.12': ['1.2.10'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'AlwaysAdmit', 'off', '1.2.10', 'a deprecated plugin for tests that admits everything');
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--enable-admission-plugins=NodeRestriction,AlwaysAdmit']),
      { description: 'the legacy --admission-control (kube-bench does not read it)', yaml: componentPodYaml('kube-apiserver', ['--admission-control=AlwaysAdmit']) },
    ],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
  fix: {
    safety: 'safe',
    summary: 'takes AlwaysAdmit out of --enable-admission-plugins (or --admission-control): it admits nothing the other plugins refuse',
    plan: admissionPluginFix('AlwaysAdmit', 'off'),
  },
});
