import { componentPodYaml } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { ALL_ALPHA, ALL_BETA, describeHolder, forEachGateHolder, gateAt } from './gates.js';
import { dropFeatureGates, gateStage } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'beta-feature-gate-enabled',
  section: 'feature-stages',
  severity: 'medium',
  title: 'A component explicitly enables off-by-default beta feature gates',
  docs: {
    what: 'Reports components that turn on beta feature gates which are off by default at the cluster\'s version, or every beta feature at once with AllBeta=true. Beta gates that are already on by default are not reported: setting them changes nothing.',
    why: 'A beta feature left off by default upstream is one its authors do not yet trust for every cluster: it is well tested but may still change, and its bugs (security bugs included) are found by the clusters that turn it on. Enabling it should be a decision, weighed and recorded, as the guide asks.',
    references: [
      'Securing a Cluster: Restricting access to alpha or beta features',
      'https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/',
    ],
  },
  remediation: `Remove the beta gates you do not need from --feature-gates (or featureGates in the config file); for those you keep, record why (an exception with a reason and an expiry date).`,
  *evaluate(ctx) {
    const version = ctx.k8sVersion;
    yield* forEachGateHolder(ctx, function* (holder) {
      const extra = holder.field ? { field: holder.field } : {};
      if (holder.gates.get(ALL_BETA) === true) {
        yield fail(holder.subject, `${describeHolder(holder)} enables every beta feature (AllBeta=true)`, { ...extra, severity: 'high' });
        return;
      }
      const named = [...holder.gates].filter(([name, on]) => on && name !== ALL_ALPHA && name !== ALL_BETA).map(([name]) => name);
      if (named.length === 0) {
        yield pass(holder.subject);
        return;
      }
      if (!version) {
        yield notEvaluated(holder.subject, `the Kubernetes version is unknown, so the stage of ${named.join(', ')} cannot be looked up; give --k8s-version`);
        return;
      }
      const beta: string[] = [];
      const unknown: string[] = [];
      for (const name of named) {
        const lookup = gateAt(name, version);
        if (!lookup.known) unknown.push(lookup.reason);
        else if (lookup.spec.stage === 'beta' && !lookup.spec.default) beta.push(name);
      }
      if (beta.length > 0) {
        yield fail(holder.subject, `${describeHolder(holder)} turns on beta feature gate${beta.length > 1 ? 's' : ''} ${beta.join(', ')}, off by default at v${version.major}.${version.minor}`, extra);
      } else if (unknown.length > 0) yield notEvaluated(holder.subject, unknown.join('; '));
      else yield pass(holder.subject);
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--feature-gates=UserNamespacesSupport=true']),
      componentPodYaml('kube-apiserver', ['--feature-gates=AllBeta=true']),
    ],
    pass: [
      { description: 'a beta gate that is on by default', yaml: componentPodYaml('kube-apiserver', ['--feature-gates=ServiceAccountTokenJTI=true']) },
      { description: 'the same gate once it is on by default', yaml: componentPodYaml('kube-apiserver', ['--feature-gates=UserNamespacesSupport=true']), k8sVersion: 'v1.33.1' },
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'takes AllBeta and the beta feature gates that are off by default and turned on off --feature-gates (and the kubelet\'s featureGates)',
    risk: 'whatever uses the feature stops working at the next restart of the component',
    plan: dropFeatureGates((name, on, version) => on && (name === 'AllBeta' || (gateStage(name, version)?.stage === 'beta' && gateStage(name, version)?.default === false))),
  },
});
