import { forEachKubelet, hostInventory, kubeletSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

const KUBEADM_UNIT = '/host/etc/systemd/system/kubelet.service.d/10-kubeadm.conf';

export default defineCheck({
  id: 'kubelet-hostname-override-set',
  section: 'kubelet-access',
  severity: 'low',
  title: 'Kubelet overrides its node name (--hostname-override)',
  docs: {
    what: 'Reports every kubelet started with --hostname-override, read from its command line: the systemd unit and drop-ins, kubeadm-flags.env and /etc/default/kubelet, or its process. It is a flag only (no KubeletConfiguration field), so a kubelet seen only through /configz or a config file is not evaluated. Some cloud providers need the flag so the node name matches theirs; there, record an exception.',
    why: 'The node name is the kubelet\'s identity (system:node:<name>) for the Node authorizer and NodeRestriction, and the name its serving certificate is issued for: an override that differs from the host name breaks TLS verification of the kubelet and makes logs and audit events hard to tie to a machine.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/'],
  },
  cis: { '1.12': ['4.2.7'] },
  remediation: `Remove --hostname-override from the kubelet's command line (KUBELET_KUBEADM_ARGS in /var/lib/kubelet/kubeadm-flags.env,
KUBELET_EXTRA_ARGS in /etc/default/kubelet, or the systemd unit), give the machine a resolvable host name, then:
systemctl daemon-reload && systemctl restart kubelet`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      if (!k.run) {
        yield notEvaluated(kubeletSubject(k), `kubelet on ${k.node}: its command line is not in the input (--hostname-override is a flag only); scan the node with --node-root`);
        return;
      }
      const flag = k.run.flags.get('hostname-override');
      const origin = k.run.flagOrigin('hostname-override');
      if (!flag || !origin) {
        yield pass(kubeletSubject(k));
        return;
      }
      yield fail({ ref: k.ref, location: origin.kind === 'default' ? k.location : origin.location }, `kubelet on ${k.node}: --hostname-override=${flag.value} names the node instead of its host name`, {
        ...(origin.kind === 'default' ? {} : { field: origin.field }),
      });
    });
  },
  examples: {
    fail: [{
      description: 'kubeadm-flags style command line with --hostname-override',
      build: () => hostInventory({
        kubeletCommandLine: {
          argv: ['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '--hostname-override=10.0.0.21'],
          locations: [{ file: KUBEADM_UNIT, line: 9 }, { file: KUBEADM_UNIT, line: 4 }, { file: '/host/var/lib/kubelet/kubeadm-flags.env', line: 1 }],
        },
      }),
    }],
    pass: [{
      description: 'kubeadm command line without it',
      build: () => hostInventory({
        kubeletCommandLine: {
          argv: ['/usr/bin/kubelet', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--node-ip=10.0.0.21'],
          locations: [{ file: KUBEADM_UNIT, line: 9 }, { file: KUBEADM_UNIT, line: 3 }, { file: '/host/var/lib/kubelet/kubeadm-flags.env', line: 1 }],
        },
      }),
    }],
  },
});
