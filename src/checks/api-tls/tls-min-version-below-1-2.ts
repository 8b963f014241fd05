import type { Setting } from '../../engines/config/index.js';
import { componentPodYaml, forEachRunOf, from, kubeletSubject, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CheckResult, Subject } from '../types.js';
import { flag, kubeletField } from '../../fix/node-fixes.js';

const WEAK = new Set(['VersionTLS10', 'VersionTLS11']);

function judge(component: string, setting: Setting, subject: Subject): CheckResult {
  if (setting.unresolved) return notEvaluated(subject, setting.unresolved);
  // An unset kubelet tlsMinVersion is Go's default, which the API server's default follows.
  if (setting.value === undefined || !WEAK.has(setting.value)) return pass(subject);
  return fail(subject, `${component} accepts ${setting.value.replace('Version', '')}${from(setting)}`, settingField(setting));
}

export default defineCheck({
  id: 'tls-min-version-below-1-2',
  section: 'api-tls',
  severity: 'medium',
  title: 'Component accepts TLS versions older than 1.2',
  docs: {
    what: 'Reports kube-apiserver, kube-controller-manager, kube-scheduler and kubelet whose effective minimum TLS version is 1.0 or 1.1. Unset, the minimum is Go\'s server default: TLS 1.0 for Kubernetes before 1.30, TLS 1.2 from 1.30 (built with Go 1.22).',
    why: 'TLS 1.0 and 1.1 have known weaknesses (BEAST, weak MAC and cipher suites) and are deprecated by RFC 8996; a client or attacker can downgrade a connection to them.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://www.rfc-editor.org/rfc/rfc8996', 'https://go.dev/doc/go1.22#crypto/tls'],
  },
  remediation: `Set the minimum to TLS 1.2 (or 1.3):

    - --tls-min-version=VersionTLS12          # control-plane flags
    tlsMinVersion: VersionTLS12               # KubeletConfiguration`,
  *evaluate(ctx) {
    yield* forEachRunOf(ctx, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], function* (s) {
      const setting = s.get('tls-min-version');
      yield judge(s.run.component, setting, runSubject(s.run, setting));
    }, function* (k) {
      const setting = k.get('tlsMinVersion');
      yield judge(`kubelet on ${k.node}`, setting, kubeletSubject(k, setting));
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--tls-min-version=VersionTLS11']),
      { description: 'default before 1.30', yaml: componentPodYaml('kube-apiserver', ['--secure-port=6443'], 'registry.k8s.io/kube-apiserver:v1.29.4') },
    ],
    pass: [
      `${componentPodYaml('kube-apiserver', ['--tls-min-version=VersionTLS12'])}
---
${componentPodYaml('kube-controller-manager', ['--tls-min-version=VersionTLS12'])}
---
${componentPodYaml('kube-scheduler', ['--tls-min-version=VersionTLS13'])}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
tlsMinVersion: VersionTLS12`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --tls-min-version=VersionTLS12 on kube-apiserver, kube-controller-manager and kube-scheduler, and tlsMinVersion: VersionTLS12 in the kubelet\'s config file (every supported client speaks TLS 1.2)',
    plan: (ctx, failures) => {
      flag(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], 'tls-min-version', 'VersionTLS12')(ctx, failures);
      kubeletField('tlsMinVersion', 'VersionTLS12')(ctx, failures);
    },
  },
});
