import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from './admission-plugins.js';

export default defineCheck({
  id: 'apiserver-namespace-lifecycle-disabled',
  section: 'api-authz',
  severity: 'medium',
  title: 'The NamespaceLifecycle admission plugin is turned off',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those without NamespaceLifecycle, which is on by default. The CIS view follows kube-bench, which fails only when --disable-admission-plugins names it.',
    why: 'NamespaceLifecycle refuses objects in namespaces that do not exist or are being deleted, and protects default, kube-system and kube-public from deletion. Without it objects can be created in a terminating namespace and survive its policies (quotas, Pod Security labels, NetworkPolicies) being deleted, and the system namespaces can be removed.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle'],
  },
  remediation: `Take NamespaceLifecycle out of --disable-admission-plugins (it is on by default), or add it to --admission-control.`,
  cis: { '1.12': ['1.2.13'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'NamespaceLifecycle', 'kept', '1.2.13', 'objects may be created in terminating or missing namespaces, and the system namespaces deleted');
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--disable-admission-plugins=NamespaceLifecycle,DefaultStorageClass'])],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--disable-admission-plugins=DefaultStorageClass'])],
  },
  fix: {
    safety: 'safe',
    summary: 'takes NamespaceLifecycle out of --disable-admission-plugins (or adds it to --admission-control): the upstream default',
    plan: admissionPluginFix('NamespaceLifecycle', 'kept'),
  },
});
