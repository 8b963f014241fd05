import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from './admission-plugins.js';

export default defineCheck({
  id: 'node-restriction-admission-disabled',
  section: 'api-authz',
  severity: 'high',
  title: 'NodeRestriction admission plugin is not enabled',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (the version\'s default-on set from upstream, plus --enable-admission-plugins, minus --disable-admission-plugins; the deprecated --admission-control replaces the set) and reports those without NodeRestriction, which is NOT on by default. The CIS view follows kube-bench, which looks for NodeRestriction in --enable-admission-plugins only.',
    why: 'The Node authorizer lets a kubelet write Node and Pod objects; only NodeRestriction limits it to its own Node and the pods bound to it, and stops it from setting node-restriction.kubernetes.io/ labels. Without it a compromised node can relabel other nodes to attract sensitive workloads, or tamper with any pod\'s status.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction'],
  },
  remediation: `Enable it (kubeadm does):

    - --enable-admission-plugins=NodeRestriction`,
  cis: { '1.12': ['1.2.14'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'NodeRestriction', 'on', '1.2.14', 'kubelets may change other nodes\' Node objects and labels and any pod\'s status');
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']),
      componentPodYaml('kube-apiserver', ['--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NodeRestriction']),
    ],
    pass: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      { description: 'the legacy --admission-control (kube-bench does not read it)', yaml: componentPodYaml('kube-apiserver', ['--admission-control=NamespaceLifecycle,ServiceAccount,NodeRestriction']) },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'adds NodeRestriction to --enable-admission-plugins (and takes it out of --disable-admission-plugins): kubelets may then change only their own Node and pods, as kubeadm sets up',
    plan: admissionPluginFix('NodeRestriction', 'on'),
  },
});
