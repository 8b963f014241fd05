// What the pod-privileges checks share: the Pod Security Standards engine evaluated once per scan
// at the cluster's version, and the PodSecurity admission configuration in the input.

import {
  LATEST, denialMessage, evaluatePlan, evaluatePod, findPodSecurityConfiguration, formatVersion, isExemptNamespace, isExemptRuntimeClass, planFor, policyVersion,
  type Level, type PodSecurityAdmissionConfig, type PodSecurityResult, type PolicyVersion,
} from '../../engines/podsecurity/index.js';
import { objectField } from '../../engines/podsecurity/workloads.js';
import type { PodSpecRef } from '../../inventory/inventory.js';
import { fail, pass } from '../define.js';
import type { CheckContext, CheckResult, PassResult } from '../types.js';

/** A result's CIS outcomes and note. */
export type CisJudgement = Pick<PassResult, 'cis' | 'cisNote'>;

export interface PodSecurityScan {
  version: PolicyVersion;
  /** Says which version was used and why, for messages. */
  versionNote: string;
  config: PodSecurityAdmissionConfig | undefined;
  /** Undefined when the admission configuration exempts the pod (namespace or runtime class). */
  evaluate(pod: PodSpecRef, level: Level): PodSecurityResult | undefined;
  /** One copy of each distinct message: the pods of a workload repeat their template's. */
  intern(text: string): string;
}

export function podSecurityScan(ctx: CheckContext): PodSecurityScan {
  return ctx.shared('podsecurity', () => {
    const k8s = ctx.k8sVersion;
    const version = k8s && k8s.major === 1 ? policyVersion(k8s.minor) : LATEST;
    const versionNote = k8s && k8s.major === 1
      ? `policy version ${formatVersion(version)}, the cluster's version`
      : 'policy version latest: the cluster version is unknown (give --k8s-version)';
    const config = findPodSecurityConfiguration(ctx.inventory);
    // Restricted runs the baseline checks (less those it overrides) and its own: on a pod that
    // meets baseline, only its own can fail, so a pod's baseline evaluation is not run twice.
    const baselineIds = new Set(planFor('baseline', version).map((c) => c.id));
    const beyondBaseline = planFor('restricted', version).filter((c) => !baselineIds.has(c.id));
    // Only baseline verdicts are kept: both checks ask for them, and restricted builds on them.
    // The restricted check asks once per pod, so keeping its verdicts would only hold memory.
    const baselineCache = new Map<PodSpecRef, PodSecurityResult>();
    const baseline = (pod: PodSpecRef): PodSecurityResult => {
      let result = baselineCache.get(pod);
      if (!result) {
        result = evaluatePod('baseline', version, pod.podMetadata, pod.spec);
        baselineCache.set(pod, result);
      }
      return result;
    };
    const run = (pod: PodSpecRef, level: Level): PodSecurityResult => {
      if (level === 'baseline') return baseline(pod);
      return level === 'restricted' && baseline(pod).allowed
        ? evaluatePlan(beyondBaseline, pod.podMetadata, pod.spec)
        : evaluatePod(level, version, pod.podMetadata, pod.spec);
    };
    const texts = new Map<string, string>();
    return {
      version,
      versionNote,
      config,
      evaluate(pod, level) {
        if (isExemptNamespace(config, pod.namespace) || isExemptRuntimeClass(config, pod.spec.runtimeClassName)) return undefined;
        return run(pod, level);
      },
      intern(text) {
        const known = texts.get(text);
        if (known !== undefined) return known;
        texts.set(text, text);
        return text;
      },
    };
  });
}

/** The securityContext change that fixes each upstream check, for per-finding remediations. */
export const FIXES: Record<string, string> = {
  hostNamespaces: 'remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false)',
  privileged: 'set securityContext.privileged: false (or remove it) on every container',
  capabilities_baseline: 'add only capabilities of the default set (never NET_RAW, SYS_ADMIN, SYS_MODULE...) in securityContext.capabilities.add',
  hostPathVolumes: 'replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes',
  hostPorts: 'remove ports[].hostPort; expose the pod through a Service instead',
  appArmorProfile: 'set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost), never Unconfined',
  seLinuxOptions: 'remove seLinuxOptions.user and .role; use a container_t type or leave type empty',
  procMount: 'remove securityContext.procMount (or set it to Default)',
  procMount_restricted: 'remove securityContext.procMount (or set it to Default)',
  seccompProfile_baseline: 'set securityContext.seccompProfile.type: RuntimeDefault (or Localhost), never Unconfined',
  sysctls: 'set only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, ...) in securityContext.sysctls',
  windowsHostProcess: 'remove securityContext.windowsOptions.hostProcess (or set it to false)',
  hostProbesAndHostLifecycle: 'remove .host from probes and lifecycle handlers (they then target the pod IP)',
  allowPrivilegeEscalation: 'set securityContext.allowPrivilegeEscalation: false on every container',
  capabilities_restricted: 'set securityContext.capabilities.drop: [ALL] on every container; add back at most NET_BIND_SERVICE',
  restrictedVolumes: 'use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes',
  runAsNonRoot: 'set spec.securityContext.runAsNonRoot: true (the image must run as a non-zero UID)',
  runAsUser: 'remove runAsUser: 0; set a non-zero runAsUser',
  seccompProfile_restricted: 'set spec.securityContext.seccompProfile.type: RuntimeDefault',
};

/** A pod's verdict at a level as a check result: a pass, or a failure with upstream's message. */
export function verdictResult(scan: PodSecurityScan, pod: PodSpecRef, level: Level, result: PodSecurityResult, cis: CisJudgement = {}): CheckResult {
  if (result.allowed) return pass(pod.item, cis);
  const firstField = result.violations[0]!.fields[0];
  return fail(pod.item, scan.intern(`${denialMessage(level, scan.version, result.violations)} (${scan.versionNote})`), {
    ...(firstField ? { field: scan.intern(objectField(pod, firstField)) } : {}),
    remediation: scan.intern(remediationFor(result)),
    ...cis,
  });
}

/** A per-finding remediation: one line per violated check. */
export function remediationFor(result: PodSecurityResult): string {
  return result.violations.map((v) => `- ${v.reason}: ${FIXES[v.check] ?? 'see the Pod Security Standards'}`).join('\n');
}

export const RESTRICTED_SECURITY_CONTEXT = `spec:                      # the pod spec (spec.template.spec in a workload)
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
      privileged: false`;
