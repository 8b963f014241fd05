import { INSECURE_CIPHER_SUITES, cipherSuiteKey, type Setting } from '../../engines/config/index.js';
import { componentPodYaml, forEachRunOf, from, kubeletSubject, listOf, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CheckResult, Subject } from '../types.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { flag, kubeletField } from '../../fix/node-fixes.js';

const STRANDED_KEY = 'removing the insecure suites leaves a kind of serving key (RSA or ECDSA) the list served with no TLS 1.2 suite, so TLS 1.2 clients of that key would find none: choose the suites by hand (tls-cipher-suites-outside-cis-list has CIS\'s list)';

/**
 * The list without its insecure suites (empty: Go's defaults, which are secure), or null when a
 * kind of serving key the list served would be left with no suite at all.
 */
function secureSuites(setting: Setting): string[] | null {
  const current = listOf(setting);
  const next = current.filter((s) => !INSECURE_CIPHER_SUITES.has(s));
  if (next.length === 0) return next;
  const stranded = current.some((s) => {
    const key = cipherSuiteKey(s);
    return key !== undefined && !next.some((n) => cipherSuiteKey(n) === key);
  });
  return stranded ? null : next;
}

/**
 * Only a failure bears on CIS (an insecure suite is outside CIS's list too); a pass or an unset
 * list is left to tls-cipher-suites-outside-cis-list, which judges CIS's allow-list.
 */
function judge(component: string, setting: Setting, subject: Subject, control?: Cis112ControlId): CheckResult {
  const none = { cis: { '1.12': {} } };
  if (setting.unresolved) return notEvaluated(subject, setting.unresolved, none);
  const insecure = listOf(setting).filter((c) => INSECURE_CIPHER_SUITES.has(c));
  if (insecure.length === 0) return pass(subject, none);
  const cis = control ? { cis: { '1.12': { [control]: 'fail' as const } } } : none;
  return fail(subject, `${component} allows insecure cipher suites ${insecure.join(', ')}${from(setting)}`, { ...settingField(setting), ...cis });
}

export default defineCheck({
  id: 'insecure-tls-cipher-suites',
  section: 'api-tls',
  severity: 'medium',
  title: 'Component allows insecure TLS cipher suites',
  docs: {
    what: 'Reports kube-apiserver, kube-controller-manager, kube-scheduler and kubelet whose --tls-cipher-suites (tlsCipherSuites) name a suite Go lists as insecure (RC4, 3DES, CBC with SHA-256). Unset, Go\'s secure default list applies. Looser than CIS 1.2.29 and 4.2.12, whose allow-lists tls-cipher-suites-outside-cis-list checks.',
    why: 'RC4 and 3DES are broken (Sweet32, RC4 biases) and the CBC-SHA256 suites are open to Lucky13-style timing attacks; allowing them lets a man in the middle downgrade and decrypt API traffic.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://pkg.go.dev/crypto/tls#InsecureCipherSuites'],
  },
  remediation: `List only secure suites, or leave the flag unset for Go's secure defaults:

    - --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`,
  cis: { '1.12': ['1.2.29', '4.2.12'] },
  *evaluate(ctx) {
    yield* forEachRunOf(ctx, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], function* (s) {
      const setting = s.get('tls-cipher-suites');
      yield judge(s.run.component, setting, runSubject(s.run, setting), s.run.component === 'kube-apiserver' ? '1.2.29' : undefined);
    }, function* (k) {
      const setting = k.get('tlsCipherSuites');
      yield judge(`kubelet on ${k.node}`, setting, kubeletSubject(k, setting), '4.2.12');
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA'])],
    pass: [
      `${componentPodYaml('kube-apiserver', ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'])}
---
${componentPodYaml('kube-controller-manager', [])}
---
${componentPodYaml('kube-scheduler', [])}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'removes the insecure suites from --tls-cipher-suites (the flag goes when none is left: Go\'s defaults are secure) and from the kubelet\'s tlsCipherSuites',
    plan: (ctx, failures) => {
      flag(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], 'tls-cipher-suites', (s) => {
        const next = secureSuites(s.get('tls-cipher-suites'));
        return next === null ? null : next.join(',') || undefined;
      }, STRANDED_KEY)(ctx, failures);
      kubeletField('tlsCipherSuites', (k) => secureSuites(k.get('tlsCipherSuites')) ?? undefined)(ctx, failures);
    },
  },
});
