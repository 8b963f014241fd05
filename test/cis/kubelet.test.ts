// CIS 1.12 kubelet controls (4.2.x) and the controller manager's RotateKubeletServerCertificate
// gate (1.3.6), broken one change at a time on a copy of the hardened cluster. The kubelet reads
// flags (kubeadm-flags.env, /etc/default/kubelet) over its config file; so does each case.

import { cisControlCases, type CisTree } from '../../src/testing/cis.js';

const FLAGS_ENV = '/var/lib/kubelet/kubeadm-flags.env';
const GATE = 'RotateKubeletServerCertificate';

/** Adds flags to KUBELET_KUBEADM_ARGS, as `kubeadm join --node-name`/kubeletExtraArgs would. */
function kubeletFlags(...flags: string[]) {
  return (t: CisTree) => t.editNodeFile(FLAGS_ENV, (text) => text.replace(/"\n?$/, ` ${flags.join(' ')}"\n`));
}

function kubeletConfig(edit: (config: Record<string, unknown>) => void) {
  return (t: CisTree) => t.editKubeletConfig(edit);
}

function nested(config: Record<string, unknown>, key: string): Record<string, unknown> {
  return config[key] as Record<string, unknown>;
}

cisControlCases('CIS 1.12 kubelet (4.2) and controller manager gate (1.3.6)', [
  { control: '4.2.1', change: 'authentication.anonymous.enabled: true', mutate: kubeletConfig((c) => { nested(nested(c, 'authentication'), 'anonymous').enabled = true; }) },
  { control: '4.2.1', change: '--anonymous-auth=true over a config file that says false', mutate: kubeletFlags('--anonymous-auth=true') },
  { control: '4.2.1', change: 'authentication.anonymous.enabled left to its default (kube-bench wants it written)', mutate: kubeletConfig((c) => { delete nested(nested(c, 'authentication'), 'anonymous').enabled; }) },

  { control: '4.2.2', change: 'authorization.mode: AlwaysAllow', mutate: kubeletConfig((c) => { nested(c, 'authorization').mode = 'AlwaysAllow'; }) },
  { control: '4.2.2', change: '--authorization-mode=AlwaysAllow', mutate: kubeletFlags('--authorization-mode=AlwaysAllow') },
  { control: '4.2.2', change: 'authorization.mode left to its default (kube-bench wants it written)', mutate: kubeletConfig((c) => { delete nested(c, 'authorization').mode; }) },

  { control: '4.2.3', change: 'no authentication.x509.clientCAFile', mutate: kubeletConfig((c) => { delete nested(c, 'authentication').x509; }) },
  { control: '4.2.3', change: '--client-ca-file= (empty) over the config file', mutate: kubeletFlags('--client-ca-file=') },

  { control: '4.2.4', change: 'readOnlyPort: 10255', mutate: kubeletConfig((c) => { c.readOnlyPort = 10255; }) },
  { control: '4.2.4', change: '--read-only-port=10255', mutate: kubeletFlags('--read-only-port=10255') },
  { control: '4.2.4', change: 'readOnlyPort unset (config-file default 0)', mutate: kubeletConfig((c) => { delete c.readOnlyPort; }), expect: 'pass' },

  { control: '4.2.5', change: 'streamingConnectionIdleTimeout: 0s', mutate: kubeletConfig((c) => { c.streamingConnectionIdleTimeout = '0s'; }) },
  { control: '4.2.5', change: '--streaming-connection-idle-timeout=0', mutate: kubeletFlags('--streaming-connection-idle-timeout=0') },
  { control: '4.2.5', change: 'streamingConnectionIdleTimeout unset (default 4h)', mutate: kubeletConfig((c) => { delete c.streamingConnectionIdleTimeout; }), expect: 'pass' },

  { control: '4.2.6', change: 'makeIPTablesUtilChains: false', mutate: kubeletConfig((c) => { c.makeIPTablesUtilChains = false; }) },
  { control: '4.2.6', change: '--make-iptables-util-chains=false', mutate: kubeletFlags('--make-iptables-util-chains=false') },
  { control: '4.2.6', change: 'makeIPTablesUtilChains unset (default true)', mutate: kubeletConfig((c) => { delete c.makeIPTablesUtilChains; }), expect: 'pass' },

  { control: '4.2.7', change: '--hostname-override in kubeadm-flags.env', mutate: kubeletFlags('--hostname-override=10.0.0.10') },
  {
    control: '4.2.7',
    change: '--hostname-override in /etc/default/kubelet (KUBELET_EXTRA_ARGS)',
    mutate: (t) => t.writeNodeFile('/etc/default/kubelet', 'KUBELET_EXTRA_ARGS="--hostname-override=cp-1.example"\n', 0o644),
  },

  { control: '4.2.8', change: 'eventRecordQPS: -1', mutate: kubeletConfig((c) => { c.eventRecordQPS = -1; }) },
  { control: '4.2.8', change: '--event-qps=-5', mutate: kubeletFlags('--event-qps=-5') },
  { control: '4.2.8', change: 'eventRecordQPS: 0 (no rate limit)', mutate: kubeletConfig((c) => { c.eventRecordQPS = 0; }), expect: 'pass' },

  { control: '4.2.9', change: 'no tlsCertFile', mutate: kubeletConfig((c) => { delete c.tlsCertFile; }) },
  { control: '4.2.9', change: 'no tlsPrivateKeyFile', mutate: kubeletConfig((c) => { delete c.tlsPrivateKeyFile; }) },
  { control: '4.2.9', change: 'neither file, serverTLSBootstrap only (kube-bench wants both files)', mutate: kubeletConfig((c) => { delete c.tlsCertFile; delete c.tlsPrivateKeyFile; }) },

  { control: '4.2.10', change: 'rotateCertificates: false', mutate: kubeletConfig((c) => { c.rotateCertificates = false; }) },
  { control: '4.2.10', change: '--rotate-certificates=false', mutate: kubeletFlags('--rotate-certificates=false') },
  { control: '4.2.10', change: 'rotateCertificates unset (CIS passes it; kubeward does not)', mutate: kubeletConfig((c) => { delete c.rotateCertificates; }), expect: 'pass' },

  { control: '4.2.11', change: `featureGates: {${GATE}: false}`, mutate: kubeletConfig((c) => { c.featureGates = { [GATE]: false }; }) },
  { control: '4.2.11', change: `--feature-gates=${GATE}=false`, mutate: kubeletFlags(`--feature-gates=${GATE}=false`) },
  { control: '4.2.11', change: 'serverTLSBootstrap: false (CIS reads the gate only)', mutate: kubeletConfig((c) => { c.serverTLSBootstrap = false; }), expect: 'pass' },

  { control: '4.2.13', change: 'no podPidsLimit', mutate: kubeletConfig((c) => { delete c.podPidsLimit; }) },
  { control: '4.2.13', change: 'podPidsLimit: -1 (kube-bench only asks that it be set)', mutate: kubeletConfig((c) => { c.podPidsLimit = -1; }), expect: 'pass' },
  { control: '4.2.13', change: '--pod-max-pids=1024 with no podPidsLimit in the file', mutate: (t) => { kubeletConfig((c) => { delete c.podPidsLimit; })(t); kubeletFlags('--pod-max-pids=1024')(t); }, expect: 'pass' },

  { control: '4.2.14', change: 'no seccompDefault', mutate: kubeletConfig((c) => { delete c.seccompDefault; }) },
  { control: '4.2.14', change: 'seccompDefault: false (kube-bench only asks that it be set)', mutate: kubeletConfig((c) => { c.seccompDefault = false; }), expect: 'pass' },

  { control: '1.3.6', change: `--feature-gates=${GATE}=false`, mutate: (t) => t.setFlag('kube-controller-manager', 'feature-gates', `${GATE}=false`) },
  { control: '1.3.6', change: `--feature-gates=AllAlpha=false,${GATE}=False (Go ParseBool)`, mutate: (t) => t.setFlag('kube-controller-manager', 'feature-gates', `AllAlpha=false,${GATE}=False`) },
  { control: '1.3.6', change: `--feature-gates=${GATE}=true`, mutate: (t) => t.setFlag('kube-controller-manager', 'feature-gates', `${GATE}=true`), expect: 'pass' },
]);
