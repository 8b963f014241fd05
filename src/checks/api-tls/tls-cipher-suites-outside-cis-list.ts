import { cipherSuiteKey, type ComponentSettings, type KubeletSettings, type Setting } from '../../engines/config/index.js';
import { FLAG_DEFAULTS, defaultFor } from '../../engines/config/defaults.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { failuresByRef, kubeletConfigItem, refKey } from '../../fix/helpers.js';
import { flag, kubeletField } from '../../fix/node-fixes.js';
import type { FixContext } from '../../fix/types.js';
import { plannedFlag } from '../api-authz/admission-plugins.js';
import { kubeletVersions } from '../security-updates/versions.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRunOf, from, kubeletConfigYaml, kubeletSubject, kubeletsOf, listOf, runSubject, runsOf, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CheckResult, CisOutcome, CisOutcomes, FailResult, Subject } from '../types.js';
import { valueAtPath } from '../../inventory/types.js';

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

/**
 * ECDHE with AES-128-GCM for each kind of serving key: HTTP/2 requires the RSA one of every TLS 1.2
 * client (RFC 7540 9.2.2), and every TLS 1.2 stack of the last decade has both.
 */
const UNIVERSAL_SUITES = { RSA: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', ECDSA: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' } as const;

/** The configured suites CIS allows, or CIS's whole list when none is left. */
function strongSuites(current: readonly string[], allowed: readonly string[]): string[] {
  const kept = current.filter((s) => allowed.includes(s));
  return kept.length > 0 ? kept : [...allowed];
}

/**
 * Why replacing a component's suites may refuse a client that connects today, or undefined.
 * Cipher suites configure TLS 1.2 only. With a minimum of TLS 1.2, a client that connects with a
 * removed suite also offers the universal suite for the server's key, so the change refuses no
 * one as long as, for every kind of key the old list served (Go's defaults, when unset, serve
 * both), the new list keeps that suite or every suite the old list had for that key.
 */
function whyClientsMayBeRefused(current: string[], next: readonly string[], minimum: string | undefined): string | undefined {
  if (minimum !== 'VersionTLS12' && minimum !== 'VersionTLS13') {
    return `its minimum TLS version is ${minimum?.replace(/^VersionTLS1(\d)$/, 'TLS 1.$1') ?? 'not known'} after the planned fixes: TLS 1.0 and 1.1 clients, which cannot use AES-GCM or ChaCha20-Poly1305, lose the CBC suites they connect with`;
  }
  const served = current.length === 0 ? (['RSA', 'ECDSA'] as const) : [...new Set(current.flatMap((c) => cipherSuiteKey(c) ?? []))];
  // Unset, Go's defaults serve both kinds of key with suites beyond CIS's.
  const removes = (key: string) => current.length === 0 || current.some((c) => cipherSuiteKey(c) === key && !next.includes(c));
  const lost = served.filter((key) => removes(key) && !next.includes(UNIVERSAL_SUITES[key]));
  if (lost.length === 0) return undefined;
  return `the new list lacks ${lost.map((key) => UNIVERSAL_SUITES[key]).join(' and ')}: with ${lost.join(' or ')} serving keys, TLS 1.2 clients that connect with the removed suites may find no suite in common`;
}

/** kube-apiserver's minimum TLS version with the flag edits planned so far (Go's default by version when unset). */
function apiServerMinimum(ctx: FixContext, s: ComponentSettings): string | undefined {
  const planned = plannedFlag(ctx, s.run, 'tls-min-version');
  if (planned !== undefined) return planned;
  const setting = s.get('tls-min-version');
  return setting.origin.kind === 'default' ? setting.value : undefined;
}

/** A kubelet's minimum TLS version with the planned config edits; unset, Go's default for its version (from its Node). */
function kubeletMinimum(ctx: FixContext, k: KubeletSettings): string | undefined {
  const setting = k.get('tlsMinVersion');
  // A flag overrides the file; the TLS minimum fix moves it to the file, which the next round reads.
  if (setting.origin.kind === 'flag') return setting.value;
  const item = kubeletConfigItem(ctx, k);
  const planned = item ? valueAtPath(ctx.planned(item), ['tlsMinVersion']) : setting.value;
  if (planned !== undefined) return String(planned);
  const version = kubeletVersions(ctx.check).known.find((v) => v.subject.ref.name === k.node)?.version;
  return version ? defaultFor(FLAG_DEFAULTS['kube-apiserver'], 'tls-min-version', version) : undefined;
}

/** Sets the strong suites on one failing run or kubelet: safe when no client is refused, else unsafe with why. */
function planStrongSuites(ctx: FixContext, failure: FailResult, component: string, why: string | undefined, set: () => void): void {
  if (why === undefined) return set();
  ctx.withSafety('unsafe', `${component}: ${why}`, set, failure);
}

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
      { description: 'a kubelet on Go\'s defaults with a TLS 1.2 minimum (safe: every suite it loses has a kept ECDHE AES-GCM one for the same key)', yaml: kubeletConfigYaml('tlsMinVersion: VersionTLS12') },
      { description: 'a list whose only strong suite needs an ECDSA key beside an RSA one (unsafe: with an RSA key no TLS 1.2 suite would be left)', yaml: kubeletConfigYaml('tlsMinVersion: VersionTLS12\ntlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_AES_128_GCM_SHA256]') },
    ],
    pass: [
      `${componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--tls-cipher-suites=TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'])}
---
${kubeletConfigYaml('tlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]')}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'keeps only the listed suites CIS allows in kube-apiserver\'s --tls-cipher-suites and the kubelet\'s tlsCipherSuites, or sets CIS\'s whole list when none is left. Cipher suites configure TLS 1.2 only, and every TLS 1.2 client of the last decade offers ECDHE with AES-128-GCM: safe when the component\'s minimum is TLS 1.2 after the planned fixes and, for each kind of serving key (RSA, ECDSA) the old list served (an unset list serves both), the new list keeps that suite or removes none for that key, so a client that used a removed suite negotiates a kept one; otherwise unsafe',
    risk: 'clients that offer only the removed suites (RSA key exchange, CBC; TLS 1.0 and 1.1 stacks, very old appliances) can no longer connect',
    plan(ctx, failures) {
      const byRef = failuresByRef(failures);
      for (const s of runsOf(ctx.check, 'kube-apiserver')) {
        const failure = byRef.get(refKey(s.run.ref));
        if (!failure) continue;
        const current = listOf(s.get('tls-cipher-suites'));
        const next = strongSuites(current, CIS_API_SERVER_SUITES);
        planStrongSuites(ctx, failure, 'kube-apiserver', whyClientsMayBeRefused(current, next, apiServerMinimum(ctx, s)), () => flag(['kube-apiserver'], 'tls-cipher-suites', next.join(','))(ctx, [failure]));
      }
      for (const k of kubeletsOf(ctx.check)) {
        const failure = byRef.get(refKey(k.ref));
        if (!failure) continue;
        const current = listOf(k.get('tlsCipherSuites'));
        const next = strongSuites(current, CIS_KUBELET_SUITES);
        planStrongSuites(ctx, failure, `kubelet on ${k.node}`, whyClientsMayBeRefused(current, next, kubeletMinimum(ctx, k)), () => kubeletField('tlsCipherSuites', () => next)(ctx, [failure]));
      }
    },
  },
});
