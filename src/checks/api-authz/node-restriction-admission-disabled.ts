import { enabledAdmissionPlugins } from '../../engines/config/index.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'node-restriction-admission-disabled',
  section: 'api-authz',
  severity: 'high',
  title: 'NodeRestriction admission plugin is not enabled',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (the version\'s default-on set from upstream, plus --enable-admission-plugins, minus --disable-admission-plugins; the deprecated --admission-control replaces the set) and reports those without NodeRestriction, which is NOT on by default.',
    why: 'The Node authorizer lets a kubelet write Node and Pod objects; only NodeRestriction limits it to its own Node and the pods bound to it, and stops it from setting node-restriction.kubernetes.io/ labels. Without it a compromised node can relabel other nodes to attract sensitive workloads, or tamper with any pod\'s status.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction', 'CIS Kubernetes 1.2.15'],
  },
  remediation: `Enable it (kubeadm does):

    - --enable-admission-plugins=NodeRestriction`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const plugins = enabledAdmissionPlugins(s, ctx.k8sVersion);
      const origin = plugins.enabled.get('NodeRestriction');
      if (origin) return yield pass({ ref: s.run.ref, location: origin.kind === 'default' ? s.run.location : origin.location });
      const disabledBy = plugins.disabled.get('NodeRestriction');
      const enable = s.get('enable-admission-plugins');
      const subject = runSubject(s.run, disabledBy ? { value: '', origin: disabledBy } : enable);
      yield fail(subject, disabledBy ? 'kube-apiserver disables the NodeRestriction admission plugin (--disable-admission-plugins)' : 'kube-apiserver does not enable the NodeRestriction admission plugin (it is off by default)');
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']),
      componentPodYaml('kube-apiserver', ['--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=NodeRestriction']),
    ],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
  fix: {
    safety: 'safe',
    summary: 'adds NodeRestriction to --enable-admission-plugins (and takes it out of --disable-admission-plugins): kubelets may then change only their own Node and pods, as kubeadm sets up',
    plan: (ctx, failures) => {
      const list = (value: string | undefined) => (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      flag(['kube-apiserver'], 'enable-admission-plugins', (s) => [...list(s.get('enable-admission-plugins').value).filter((p) => p !== 'NodeRestriction'), 'NodeRestriction'].join(','))(ctx, failures);
      flag(['kube-apiserver'], 'disable-admission-plugins', (s) => (s.get('disable-admission-plugins').origin.kind === 'flag' ? list(s.get('disable-admission-plugins').value).filter((p) => p !== 'NodeRestriction').join(',') || undefined : undefined))(ctx, failures);
    },
  },
});
