import { forEachKubelet, hostInventory, isWritten, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-anonymous-auth-enabled',
  section: 'kubelet-access',
  severity: 'critical',
  title: 'Kubelet accepts anonymous requests',
  docs: {
    what: 'Reports every kubelet whose effective authentication.anonymous.enabled is true: set by --anonymous-auth or a config file, or by default when the kubelet runs without --config (flags-only kubelets default to true; a KubeletConfiguration file defaults to false). Read from node roots (unit, drop-ins, config and drop-in config dir, merged flags > drop-ins > file > defaults), from KubeletConfiguration files, and from live /configz snapshots. CIS 4.2.1, as kube-bench audits it, also wants the value written: a config file that leaves it to its default passes here and fails there.',
    why: 'Anonymous requests to port 10250 reach the kubelet API as system:anonymous; with the AlwaysAllow authorizer (the flags-only default) that is remote code execution in every container on the node (/run, /exec) and every Secret mounted there.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'],
  },
  cis: { '1.12': ['4.2.1'] },
  remediation: `KubeletConfiguration (and remove --anonymous-auth=true from the kubelet's flags):

authentication:
  anonymous:
    enabled: false`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'authentication.anonymous.enabled', (v) => v === 'false', () => 'anonymous requests are authenticated as system:anonymous', {
        control: '4.2.1',
        passes: (s) => isWritten(s) && s.value === 'false',
        note: () => 'CIS 4.2.1 (kube-bench) wants authentication.anonymous.enabled: false (or --anonymous-auth=false) written; the config file\'s default is false, which kubeward accepts',
      });
    });
  },
  examples: {
    fail: [
      kubeletConfigYaml('authentication:\n  anonymous: {enabled: true}'),
      {
        description: 'a kubelet run with flags only keeps the legacy default (anonymous on)',
        build: () => hostInventory({
          kubeletCommandLine: {
            argv: ['/usr/bin/kubelet', '--kubeconfig=/etc/kubernetes/kubelet.conf'],
            locations: [{ file: '/host/etc/systemd/system/kubelet.service', line: 7 }, { file: '/host/etc/systemd/system/kubelet.service', line: 7 }],
          },
        }),
      },
    ],
    pass: [
      { description: 'config-file default is secure', yaml: kubeletConfigYaml('rotateCertificates: true') },
      { description: 'configz snapshot', yaml: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
metadata: {name: node-1, annotations: {kubeward.io/source: configz}}
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}}
authorization: {mode: Webhook}` },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets authentication.anonymous.enabled: false in the kubelet\'s config file (and takes --anonymous-auth off its command line)',
    plan: kubeletField('authentication.anonymous.enabled', false),
  },
});
