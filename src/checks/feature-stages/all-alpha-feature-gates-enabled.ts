import { componentPodYaml } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { ALL_ALPHA, describeHolder, forEachGateHolder } from './gates.js';
import { dropFeatureGates } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'all-alpha-feature-gates-enabled',
  section: 'feature-stages',
  severity: 'critical',
  title: 'A component runs with every alpha feature enabled (AllAlpha=true)',
  docs: {
    what: 'Reports every kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy whose feature gates set AllAlpha=true.',
    why: 'AllAlpha turns on every alpha feature the binary has, present and future: code that is off by default because it is incomplete, little reviewed and may change or vanish without notice. Alpha features have carried security bugs of their own, and an upgrade silently enables whatever new alpha code it brings.',
    references: [
      'Securing a Cluster: Restricting access to alpha or beta features',
      'https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/',
    ],
  },
  remediation: `Remove AllAlpha from --feature-gates (or featureGates in the component's config file) and enable only the alpha features you need, by name:

--feature-gates=SomeAlphaFeature=true`,
  *evaluate(ctx) {
    yield* forEachGateHolder(ctx, function* (holder) {
      if (holder.gates.get(ALL_ALPHA) === true) {
        yield fail(holder.subject, `${describeHolder(holder)} enables every alpha feature (AllAlpha=true)`, holder.field ? { field: holder.field } : {});
      } else yield pass(holder.subject);
    });
  },
  examples: {
    fail: [componentPodYaml('kube-controller-manager', ['--kubeconfig=/etc/kubernetes/controller-manager.conf', '--feature-gates=AllAlpha=true'])],
    pass: [componentPodYaml('kube-controller-manager', ['--kubeconfig=/etc/kubernetes/controller-manager.conf', '--feature-gates=AllAlpha=false'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'takes AllAlpha=true off --feature-gates (and the kubelet\'s featureGates)',
    risk: 'whatever uses the feature stops working at the next restart of the component',
    plan: dropFeatureGates((name, on) => name === 'AllAlpha' && on),
  },
});
