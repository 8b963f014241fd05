import { forEachKubelet, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-iptables-util-chains-disabled',
  section: 'network-access',
  severity: 'low',
  title: 'Kubelet does not manage its iptables chains (makeIPTablesUtilChains false)',
  docs: {
    what: 'Reports every kubelet whose effective makeIPTablesUtilChains (--make-iptables-util-chains; default true) is false.',
    why: 'With the chains left to hand-made rules, the kubelet no longer keeps the iptables rules it relies on (KUBE-FIREWALL drops martian packets to localhost-bound services) in step with the node: a rule set that drifts from the pods\' network configuration can leave node-local ports reachable that the kubelet meant to close.',
    references: ['Securing a Cluster: Restricting network access', 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
  cis: { '1.12': ['4.2.6'] },
  remediation: `KubeletConfiguration (and remove --make-iptables-util-chains from the kubelet's flags), then restart the kubelet:
makeIPTablesUtilChains: true`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'makeIPTablesUtilChains', (v) => v !== 'false', () => 'makeIPTablesUtilChains is false, so its iptables rules are left to others');
    });
  },
  examples: {
    fail: [kubeletConfigYaml('makeIPTablesUtilChains: false')],
    pass: [kubeletConfigYaml('makeIPTablesUtilChains: true'), kubeletConfigYaml('rotateCertificates: true')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets makeIPTablesUtilChains: true in the kubelet\'s config file (and takes the flag off its command line)',
    plan: kubeletField('makeIPTablesUtilChains', true),
  },
});
