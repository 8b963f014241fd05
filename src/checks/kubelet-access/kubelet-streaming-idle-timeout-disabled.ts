import { forEachKubelet, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck, notEvaluated } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';
import { goDurationSeconds } from '../credential-rotation/service-account-token-max-expiration-long.js';

/** Seconds of a duration setting; Go's time.ParseDuration also takes a bare "0". */
function seconds(value: string): number | undefined {
  return value === '0' ? 0 : goDurationSeconds(value);
}

export default defineCheck({
  id: 'kubelet-streaming-idle-timeout-disabled',
  section: 'kubelet-access',
  severity: 'low',
  title: 'Kubelet never closes idle exec, attach and port-forward streams',
  docs: {
    what: 'Reports every kubelet whose effective streamingConnectionIdleTimeout (--streaming-connection-idle-timeout; default 4h) is a zero duration ("0", "0s", "0m0s"): streaming connections then never time out. kube-bench compares the text with "0", so it lets "0s" through; kubeward reads the duration, for the CIS verdict too.',
    why: 'exec, attach and port-forward sessions through the kubelet stay open for as long as nobody closes them: a forgotten shell into a container, or a port-forward left running on a laptop, is a standing way into the node\'s workloads, and many idle streams exhaust the kubelet\'s connections.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
  cis: { '1.12': ['4.2.5'] },
  remediation: `KubeletConfiguration (and remove --streaming-connection-idle-timeout from the kubelet's flags), then restart the kubelet:
streamingConnectionIdleTimeout: 4h0m0s   # the default; CIS suggests 5m`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      const value = k.get('streamingConnectionIdleTimeout').value;
      if (value !== undefined && seconds(value) === undefined) {
        yield notEvaluated({ ref: k.ref, location: k.location }, `kubelet on ${k.node}: streamingConnectionIdleTimeout "${value}" is not a duration`);
        return;
      }
      yield judgeKubeletField(k, 'streamingConnectionIdleTimeout', (v) => v === undefined || seconds(v) !== 0, (v) => `streamingConnectionIdleTimeout is ${v}, so idle streaming connections never close`);
    });
  },
  examples: {
    fail: [kubeletConfigYaml('streamingConnectionIdleTimeout: 0s'), kubeletConfigYaml('streamingConnectionIdleTimeout: "0"')],
    pass: [kubeletConfigYaml('streamingConnectionIdleTimeout: 5m0s'), kubeletConfigYaml('rotateCertificates: true')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets streamingConnectionIdleTimeout: 4h0m0s (the default) in the kubelet\'s config file (and takes the flag off its command line)',
    plan: kubeletField('streamingConnectionIdleTimeout', '4h0m0s'),
  },
});
