// What the pod-privileges checks share: the Pod Security Standards engine evaluated once per scan
// at the cluster's version, and the PodSecurity admission configuration in the input.

import {
  LATEST, denialMessage, evaluatePlan, evaluatePod, findPodSecurityConfiguration, formatVersion, isExemptNamespace, isExemptRuntimeClass, planFor, policyVersion,
  type CheckViolation, type Level, type PodSecurityAdmissionConfig, type PodSecurityResult, type PolicyVersion,
} from '../../engines/podsecurity/index.js';
import { objectField } from '../../engines/podsecurity/workloads.js';
import type { PodSpecRef } from '../../inventory/inventory.js';
import { fail, pass } from '../define.js';
import type { CheckContext, CheckResult, PassResult } from '../types.js';

/** A result's CIS outcomes and note. */
export type CisJudgement = Pick<PassResult, 'cis' | 'cisNote'>;

export interface PodSecurityScan {
  version: PolicyVersion;
  config: PodSecurityAdmissionConfig | undefined;
  /** Undefined when the admission configuration exempts the pod (namespace or runtime class). */
  evaluate(pod: PodSpecRef, level: Level): PodSecurityResult | undefined;
  /** A failing verdict's texts, built once per distinct list of violations at a level. */
  failureTexts(level: Level, violations: readonly CheckViolation[]): FailureTexts;
  /** objectField(pod, podField), one copy of each distinct path. */
  objectField(pod: PodSpecRef, podField: string): string;
}

/** What a failing verdict says: upstream's denial with the version note, and a fix per violation. */
export interface FailureTexts {
  message: string;
  remediation: string;
}

/**
 * A map from strings that first compares a key with the last one asked: neighbouring pods (a
 * workload's, a namespace's) mostly ask the same, and comparing two strings costs less than
 * hashing a freshly built one for the map.
 */
class LastKeyFirstMap<V> {
  private readonly entries = new Map<string, V>();
  private lastKey: string | undefined;
  private lastValue: V | undefined;

  get(key: string, build: () => V): V {
    if (key === this.lastKey) return this.lastValue!;
    let value = this.entries.get(key);
    if (value === undefined) this.entries.set(key, (value = build()));
    this.lastKey = key;
    this.lastValue = value;
    return value;
  }
}

/**
 * Lists of violations as paths through a tree: each violation steps through its check, reason and
 * detail. The pods of a workload, and most pods of a cluster, repeat a few lists, so their texts
 * are built and kept once; looking up the short parts costs less than building the whole message
 * and hashing it.
 */
class ViolationsTree {
  private readonly children = new LastKeyFirstMap<ViolationsTree>();
  texts: FailureTexts | undefined;

  child(key: string): ViolationsTree {
    return this.children.get(key, newViolationsTree);
  }
}

const newViolationsTree = () => new ViolationsTree();

export function podSecurityScan(ctx: CheckContext): PodSecurityScan {
  return ctx.shared('podsecurity', () => {
    const k8s = ctx.k8sVersion;
    const version = k8s && k8s.major === 1 ? policyVersion(k8s.minor) : LATEST;
    // Says which version was used and why, in every failure's message.
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
    const failures = new Map<Level, ViolationsTree>();
    // pod.path is one string per kind, so the paths of a kind's fields share a map.
    const fieldsByPodPath = new Map<string, LastKeyFirstMap<string>>();
    return {
      version,
      config,
      evaluate(pod, level) {
        if (isExemptNamespace(config, pod.namespace) || isExemptRuntimeClass(config, pod.spec.runtimeClassName)) return undefined;
        return run(pod, level);
      },
      failureTexts(level, violations) {
        let node = failures.get(level);
        if (!node) failures.set(level, (node = new ViolationsTree()));
        for (const v of violations) node = node.child(v.check).child(v.reason).child(v.detail);
        return (node.texts ??= {
          message: `${denialMessage(level, version, violations)} (${versionNote})`,
          remediation: remediationFor(violations),
        });
      },
      objectField(pod, podField) {
        let fields = fieldsByPodPath.get(pod.path);
        if (!fields) fieldsByPodPath.set(pod.path, (fields = new LastKeyFirstMap()));
        return fields.get(podField, () => objectField(pod, podField));
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
  const { message, remediation } = scan.failureTexts(level, result.violations);
  const firstField = result.violations[0]!.fields[0];
  // Two literals of fixed shapes: spreading a conditional `{ field }` into one literal cost up to
  // a third of the restricted check's time (lean 50k dump, with --framework cis-1.12).
  return fail(pod.item, message, firstField ? { field: scan.objectField(pod, firstField), remediation, ...cis } : { remediation, ...cis });
}

/** A per-finding remediation: one line per violated check. */
export function remediationFor(violations: readonly CheckViolation[]): string {
  return violations.map((v) => `- ${v.reason}: ${FIXES[v.check] ?? 'see the Pod Security Standards'}`).join('\n');
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
