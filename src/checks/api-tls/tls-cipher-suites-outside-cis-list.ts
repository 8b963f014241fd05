import type { Setting } from '../../engines/config/index.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { flag, kubeletField } from '../../fix/node-fixes.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRunOf, from, kubeletConfigYaml, kubeletSubject, listOf, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CheckResult, CisOutcome, CisOutcomes, Subject } from '../types.js';

/** CIS 1.2.29's strong suites for kube-apiserver (kube-bench cfg/cis-1.12, valid_elements). */
const CIS_API_SERVER_SUITES = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** CIS 4.2.12's strong suites for the kubelet: a shorter list than the API server's. */
const CIS_KUBELET_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];

function judge(component: string, setting: Setting, subject: Subject, allowed: readonly string[], control: Cis112ControlId): CheckResult {
  // Each result judges its own component's control only.
  const outcome = (o: CisOutcome): { cis: CisOutcomes } => ({ cis: { '1.12': { [control]: o } } });
  if (setting.unresolved) return notEvaluated(subject, setting.unresolved, outcome('not-evaluated'));
  const suites = listOf(setting);
  if (suites.length === 0) {
    return fail(subject, `${component} sets no cipher suite list${setting.origin.kind === 'default' ? '' : from(setting)}: Go's defaults include ECDHE CBC-SHA suites outside CIS's strong list`, outcome('fail'));
  }
  const outside = suites.filter((c) => !allowed.includes(c));
  if (outside.length === 0) return pass(subject, outcome('pass'));
  return fail(subject, `${component} allows cipher suites outside CIS's strong list: ${outside.join(', ')}${from(setting)}`, { ...settingField(setting), ...outcome('fail') });
}

export default defineCheck({
  id: 'tls-cipher-suites-outside-cis-list',
  section: 'api-tls',
  severity: 'low',
  title: 'kube-apiserver or kubelet allows cipher suites beyond CIS\'s strong list',
  docs: {
    what: 'Reports every kube-apiserver whose --tls-cipher-suites is unset or names a suite outside CIS 1.2.29\'s list, and every kubelet whose tlsCipherSuites (or --tls-cipher-suites) is unset or names a suite outside CIS 4.2.12\'s shorter list, as kube-bench judges them (valid_elements: an unset list fails). The lists allow only ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (and, for the API server, the TLS 1.3 names). insecure-tls-cipher-suites reports the suites Go itself calls insecure, for all control-plane components.',
    why: 'Left to Go\'s defaults (which keep the ECDHE CBC-SHA suites), or given a list with CBC or RSA key-exchange suites, a component negotiates TLS 1.2 connections without forward secrecy (a stolen key decrypts recorded traffic) or with MAC-then-encrypt CBC, open to padding-oracle attacks. Pinning the strong suites removes them.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://pkg.go.dev/crypto/tls#CipherSuites'],
  },
  remediation: `List only strong suites (a subset is fine):

    - --tls-cipher-suites=${CIS_API_SERVER_SUITES.join(',')}   # kube-apiserver

tlsCipherSuites: [${CIS_KUBELET_SUITES.join(', ')}]   # KubeletConfiguration`,
  cis: { '1.12': ['1.2.29', '4.2.12'] },
  *evaluate(ctx) {
    yield* forEachRunOf(ctx, ['kube-apiserver'], function* (s) {
      const setting = s.get('tls-cipher-suites');
      yield judge(s.run.component, setting, runSubject(s.run, setting), CIS_API_SERVER_SUITES, '1.2.29');
    }, function* (k) {
      const setting = k.get('tlsCipherSuites');
      yield judge(`kubelet on ${k.node}`, setting, kubeletSubject(k, setting), CIS_KUBELET_SUITES, '4.2.12');
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      componentPodYaml('kube-apiserver', ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA']),
      { description: 'RSA key exchange (no forward secrecy) in the kubelet\'s list', yaml: kubeletConfigYaml('tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_GCM_SHA256]') },
      { description: 'a TLS 1.3 name CIS allows for the API server but not for the kubelet', yaml: kubeletConfigYaml('tlsCipherSuites: [TLS_AES_128_GCM_SHA256]') },
    ],
    pass: [
      `${componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--tls-cipher-suites=TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'])}
---
${kubeletConfigYaml('tlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]')}`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'keeps only the listed suites CIS allows in kube-apiserver\'s --tls-cipher-suites and the kubelet\'s tlsCipherSuites, or sets CIS\'s whole list when none is left',
    risk: 'clients that offer only the removed suites (RSA key exchange, CBC; very old TLS stacks and some appliances) can no longer connect',
    plan: (ctx, failures) => {
      const strong = (list: string | undefined, allowed: readonly string[]) => {
        const kept = (list ?? '').split(',').map((s) => s.trim()).filter((s) => allowed.includes(s));
        return kept.length > 0 ? kept : [...allowed];
      };
      flag(['kube-apiserver'], 'tls-cipher-suites', (s) => strong(s.get('tls-cipher-suites').value, CIS_API_SERVER_SUITES).join(','))(ctx, failures);
      kubeletField('tlsCipherSuites', (k) => strong(k.get('tlsCipherSuites').value, CIS_KUBELET_SUITES))(ctx, failures);
    },
  },
});
