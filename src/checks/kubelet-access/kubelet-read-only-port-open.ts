import { forEachKubelet, hostInventory, isWritten, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-read-only-port-open',
  section: 'kubelet-access',
  severity: 'high',
  title: 'Kubelet serves the unauthenticated read-only port',
  docs: {
    what: 'Reports every kubelet whose effective readOnlyPort is not 0 (--read-only-port; 10255 by default without --config, 0 with a config file). CIS 4.2.4 passes a port that is not set at all, so a kubelet run without --config fails here and passes there.',
    why: 'The read-only port serves /pods, /spec and /metrics over plain HTTP with no authentication or authorization: anyone on the network lists every pod on the node with its environment variables, images and volumes, a map for the next step of an attack.',
    references: ['Securing a Cluster: Controlling access to the Kubelet'],
  },
  cis: { '1.12': ['4.2.4'] },
  remediation: `KubeletConfiguration (and remove --read-only-port from the kubelet's flags):

readOnlyPort: 0`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'readOnlyPort', (v) => v === undefined || v === '0', (v) => `read-only port ${v} is open`, {
        control: '4.2.4',
        passes: (s) => !isWritten(s) || s.value === '0',
        note: () => 'CIS 4.2.4 passes an unset --read-only-port; kubeward does not, since a kubelet run without --config opens 10255 by default',
      });
    });
  },
  examples: {
    fail: [
      kubeletConfigYaml('readOnlyPort: 10255'),
      {
        description: 'a kubelet run without --config keeps the legacy default, port 10255 (CIS passes it: the flag is not set)',
        build: () => hostInventory({
          kubeletCommandLine: { argv: ['/usr/bin/kubelet', '--kubeconfig=/etc/kubernetes/kubelet.conf'], locations: [{ file: '/host/etc/systemd/system/kubelet.service', line: 7 }, { file: '/host/etc/systemd/system/kubelet.service', line: 7 }] },
        }),
      },
    ],
    pass: [kubeletConfigYaml('readOnlyPort: 0')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets readOnlyPort: 0 in the kubelet\'s config file (and takes --read-only-port off its command line)',
    plan: kubeletField('readOnlyPort', 0),
  },
});
