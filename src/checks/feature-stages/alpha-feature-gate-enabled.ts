import { componentPodYaml } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { ALL_ALPHA, ALL_BETA, describeHolder, forEachGateHolder, gateAt } from './gates.js';
import { dropFeatureGates, gateStage } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'alpha-feature-gate-enabled',
  section: 'feature-stages',
  severity: 'high',
  title: 'A component enables alpha feature gates',
  docs: {
    what: 'Reports every control-plane component, kubelet and kube-proxy that turns on a feature gate whose stage is alpha at the cluster\'s Kubernetes version (from the versioned feature list upstream keeps, shipped in data/feature-gates.json).',
    why: 'Alpha features are off by default because they are incomplete: they may be buggy, lack security review, change incompatibly or be removed, and they are not covered by the security response as released features are. Each one enabled widens what an attacker can use for little operational gain.',
    references: [
      'Securing a Cluster: Restricting access to alpha or beta features',
      'https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/',
    ],
  },
  remediation: `Remove the alpha gates from --feature-gates (or featureGates in the kubelet/kube-proxy config file), keeping only features you have weighed and need; on a production cluster, none.`,
  *evaluate(ctx) {
    const version = ctx.k8sVersion;
    yield* forEachGateHolder(ctx, function* (holder) {
      const named = [...holder.gates].filter(([name, on]) => on && name !== ALL_ALPHA && name !== ALL_BETA).map(([name]) => name);
      if (named.length === 0) {
        yield pass(holder.subject);
        return;
      }
      if (!version) {
        yield notEvaluated(holder.subject, `the Kubernetes version is unknown, so the stage of ${named.join(', ')} cannot be looked up; give --k8s-version`);
        return;
      }
      const alpha: string[] = [];
      const unknown: string[] = [];
      let asOf: string | undefined;
      for (const name of named) {
        const lookup = gateAt(name, version);
        if (!lookup.known) unknown.push(lookup.reason);
        else if (lookup.spec.stage === 'alpha') {
          alpha.push(name);
          asOf ??= lookup.asOf;
        }
      }
      if (alpha.length > 0) {
        const at = `v${version.major}.${version.minor}${asOf ? ` (stage as of ${asOf}, the newest version kubeward knows)` : ''}`;
        yield fail(holder.subject, `${describeHolder(holder)} enables alpha feature gate${alpha.length > 1 ? 's' : ''} ${alpha.join(', ')} (alpha at ${at})`, holder.field ? { field: holder.field } : {});
      } else if (unknown.length > 0) yield notEvaluated(holder.subject, unknown.join('; '));
      else yield pass(holder.subject);
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--feature-gates=InPlacePodVerticalScaling=true,StorageVersionAPI=true']),
      { description: 'a gate that was alpha at the cluster\'s version', yaml: componentPodYaml('kube-scheduler', ['--feature-gates=UserNamespacesSupport=true']), k8sVersion: 'v1.29.4' },
      {
        description: 'an alpha gate in a kubelet config file',
        yaml: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates: {MemoryQoS: true, GracefulNodeShutdown: true}`,
        k8sVersion: 'v1.30.2',
      },
    ],
    pass: [
      componentPodYaml('kube-apiserver', ['--feature-gates=InPlacePodVerticalScaling=false']),
      { description: 'the same gate once it went GA', yaml: componentPodYaml('kube-apiserver', ['--feature-gates=InPlacePodVerticalScaling=true']), k8sVersion: 'v1.35.0' },
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'takes the alpha feature gates that are on off --feature-gates (and the kubelet\'s featureGates)',
    risk: 'whatever uses the feature stops working at the next restart of the component',
    plan: dropFeatureGates((name, on, version) => on && gateStage(name, version)?.stage === 'alpha'),
  },
});
