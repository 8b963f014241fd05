import { describeOrigin, enabledAdmissionPlugins, type Setting } from '../../engines/config/index.js';
import { affectingCves, cveFeed, fixFor, type Cve } from '../../engines/releases/index.js';
import type { Inventory } from '../../inventory/inventory.js';
import { isNamespacedKind } from '../../inventory/kinds.js';
import { describeRef } from '../../inventory/types.js';
import { absentReason, kubeletsOf, runsOf } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { ALL_ALPHA, ALL_BETA, gateAt, parseGates } from '../feature-stages/gates.js';
import { listNames, unseen } from '../network-access/netpol-graph.js';
import type { CheckContext } from '../types.js';
import { API_SERVER_EXAMPLE, CLUSTER_EXAMPLE, CONTROL_PLANE, STORAGE_CLASS_EXAMPLE, versionedSubjects, type VersionedSubject } from './versions.js';

type Requirement = NonNullable<Cve['requires']>;

/** Whether the input shows a CVE's requirement: met (with the evidence), provably unmet, or undecided. */
type Verdict = { state: 'met'; evidence: string } | { state: 'unmet' } | { state: 'unknown'; missing: string };

const UNMET: Verdict = { state: 'unmet' };

/**
 * Why the input may not hold every object of `kind` the cluster has; undefined when it does.
 * `unseen` only knows the gaps a source reported, and a manifest folder reports none: it holds
 * what someone wrote, not what the cluster has. A list that succeeded (a live scan, its snapshot)
 * proves the cluster's set even when empty. Otherwise objects read from an API server (a kubectl
 * get dump) carry metadata.uid, so only those show the cluster's set.
 */
function notListed(inventory: Inventory, resource: string, kind: string): string | undefined {
  const gap = unseen(inventory, resource);
  if (gap) return gap;
  if (inventory.wasListed(resource)) return undefined;
  if (inventory.ofKind(kind).some((i) => i.object.metadata?.uid)) return undefined;
  const get = `kubectl get ${resource}${isNamespacedKind(kind) ? ' -A' : ''} -o yaml`;
  return `the input holds no ${kind} read from the cluster (add the output of ${get}; objects without metadata.uid, as written by hand, do not show what the cluster has)`;
}

/**
 * Why the input may not hold every ServiceAccount; undefined when it does. Every namespace has its
 * default ServiceAccount, so a listed Namespace without any shows a dump of some namespaces only.
 */
function serviceAccountsNotListed(inventory: Inventory): string | undefined {
  const missing = notListed(inventory, 'serviceaccounts', 'ServiceAccount') ?? notListed(inventory, 'namespaces', 'Namespace');
  if (missing) return missing;
  const without = inventory.ofKind('Namespace').map((n) => n.ref.name).filter((ns) => !inventory.inNamespace(ns, 'ServiceAccount').some((i) => i.object.metadata?.uid));
  if (without.length === 0) return undefined;
  return `the input holds no ServiceAccount of namespace ${listNames(without)}, and every namespace has one (add the output of kubectl get serviceaccounts -A -o yaml)`;
}

/**
 * The objects of `kind` that meet a requirement, as evidence ("StorageClass px-fast uses ..."); else
 * unmet when `notAll` finds the input holds them all. `does` is what they do, for one object and for several.
 */
function judgeObjects(inventory: Inventory, kind: string, meets: (object: Record<string, unknown>) => boolean, does: [string, string], notAll: () => string | undefined): Verdict {
  const matching = inventory.ofKind(kind).filter((i) => meets(i.object as Record<string, unknown>));
  if (matching.length > 0) {
    const names = matching.map((i) => (i.ref.namespace ? `${i.ref.namespace}/${i.ref.name}` : i.ref.name));
    return { state: 'met', evidence: matching.length === 1 ? `${kind} ${names[0]} ${does[0]}` : `${kind}s ${listNames(names)} ${does[1]}` };
  }
  const missing = notAll();
  return missing ? { state: 'unknown', missing } : UNMET;
}

/**
 * Whether a component given `--feature-gates` runs the gate at `version`: an explicit setting wins,
 * then AllAlpha or AllBeta for a gate of that stage, then the default (a locked gate is always at
 * its default: the component refuses to start otherwise).
 */
function judgeGate(gate: string, setting: Setting, version: VersionedSubject['version'], holder: string): Verdict {
  const lookup = gateAt(gate, version);
  if (!lookup.known) return { state: 'unknown', missing: lookup.reason };
  const { spec } = lookup;
  const gates = parseGates(setting.value ?? '').gates;
  const all = spec.stage === 'alpha' ? ALL_ALPHA : spec.stage === 'beta' ? ALL_BETA : undefined;
  const explicit = gates.get(gate) ?? (all ? gates.get(all) : undefined);
  const on = spec.lockToDefault || explicit === undefined ? spec.default : explicit;
  if (!on) return UNMET;
  const how = explicit === undefined || spec.lockToDefault ? `on by default at v${version.major}.${version.minor}` : gates.has(gate) ? describeOrigin(setting.origin) : `${all}=true, ${describeOrigin(setting.origin)}`;
  return { state: 'met', evidence: `${holder} enables feature gate ${gate} (${how})` };
}

/** Met when one run shows it, unmet when every run shows it unmet, else the first reason it is undecided. */
function anyOf(verdicts: Verdict[], none: string): Verdict {
  if (verdicts.length === 0) return { state: 'unknown', missing: none };
  return verdicts.find((v) => v.state === 'met') ?? verdicts.find((v) => v.state === 'unknown') ?? UNMET;
}

function judgeRequirement(ctx: CheckContext, s: VersionedSubject, cve: Cve, requirement: Requirement): Verdict {
  const { inventory } = ctx;
  if ('storageClassProvisioner' in requirement) {
    const provisioner = requirement.storageClassProvisioner;
    return judgeObjects(inventory, 'StorageClass', (o) => o.provisioner === provisioner, [`uses ${provisioner}`, `use ${provisioner}`], () => notListed(inventory, 'storageclasses', 'StorageClass'));
  }
  if ('serviceAccountAnnotation' in requirement) {
    const key = requirement.serviceAccountAnnotation;
    const annotated = (o: Record<string, unknown>) => (o.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[key] === 'true';
    return judgeObjects(inventory, 'ServiceAccount', annotated, [`sets ${key}: "true"`, `set ${key}: "true"`], () => serviceAccountsNotListed(inventory));
  }
  if ('admissionPlugin' in requirement) {
    const plugin = requirement.admissionPlugin;
    return anyOf(runsOf(ctx, 'kube-apiserver').map((run) => {
      const origin = enabledAdmissionPlugins(run, s.version).enabled.get(plugin);
      return origin ? { state: 'met', evidence: `${describeRef(run.run.ref)} runs admission plugin ${plugin} (${describeOrigin(origin)})` } : UNMET;
    }), absentReason(ctx, 'kube-apiserver'));
  }
  const gate = requirement.featureGate;
  if (cve.component === 'kubelet') {
    return anyOf(kubeletsOf(ctx).filter((k) => k.node === s.subject.ref.name).map((k) => judgeGate(gate, k.get('featureGates'), s.version, `kubelet on ${k.node}`)), absentReason(ctx, 'kubelet'));
  }
  return anyOf(runsOf(ctx, cve.component).map((run) => judgeGate(gate, run.get('feature-gates'), s.version, describeRef(run.run.ref))), absentReason(ctx, cve.component));
}

export default defineCheck({
  id: 'kubernetes-version-with-known-cve',
  section: 'security-updates',
  severity: 'high',
  title: 'Kubernetes version affected by a known CVE',
  docs: {
    what: "Matches the control plane's version (for kube-apiserver and kube-controller-manager CVEs) and every kubelet's version (on its node's OS) against the affected ranges of the official Kubernetes CVE feed, from a dated snapshot shipped with kubeward (data/kubernetes-cves.json). Each affecting CVE is one finding at its own severity, naming the fixed version of the running minor. A CVE that needs a condition (a StorageClass provisioner, a feature gate, an admission plugin, a ServiceAccount annotation) is decided from the input: left out when the input proves the condition unmet (the StorageClasses, or the ServiceAccounts of every Namespace, listed by a live scan or its snapshot, even when that list is empty, or read from the cluster with metadata.uid in a dump, and none meets it; every run in the input of the component (the API server, for a plugin) has the gate or plugin off, from its flags and the version's defaults), reported with the evidence when the input shows it met, and otherwise reported with what the input lacks to decide it: a possibly affecting CVE stays a finding.",
    why: 'A published CVE comes with the details an attacker needs. Running an affected version leaves the exposure open, often for flaws that let a pod creator or a node take over more of the cluster.',
    references: [
      'Securing a Cluster: Receiving alerts for security updates and reporting a vulnerability',
      'https://kubernetes.io/docs/reference/issues-security/official-cve-feed/',
    ],
  },
  remediation: 'Upgrade the component to the fixed version named in the finding (or a later patch), and follow kubernetes-security-announce for new advisories.',
  *evaluate(ctx) {
    const feed = cveFeed();
    const { subjects, controlPlaneReason } = versionedSubjects(ctx);
    if (controlPlaneReason) yield notEvaluated(CONTROL_PLANE, controlPlaneReason);
    for (const s of subjects) {
      const components = s.component === 'kubelet' ? (['kubelet'] as const) : (['kube-apiserver', 'kube-controller-manager'] as const);
      const found = components
        .flatMap((c) => affectingCves(feed, c, s.version, s.os))
        .map((cve) => ({ cve, verdict: cve.requires && judgeRequirement(ctx, s, cve, cve.requires) }))
        // A CVE whose requirement the input proves unmet does not affect this cluster.
        .filter(({ verdict }) => verdict?.state !== 'unmet');
      if (found.length === 0) {
        yield pass(s.subject);
        continue;
      }
      for (const { cve, verdict } of found) {
        const fix = fixFor(cve, s.version);
        const upgrade = fix ? `fixed in ${fix}` : `no fix in ${s.version.major}.${s.version.minor}; fixed in ${cve.fixed.join(', ')}`;
        const judged = verdict?.state === 'met' ? `; met: ${verdict.evidence}` : verdict?.state === 'unknown' ? `; could not be checked from the input: ${verdict.missing}` : '';
        const condition = cve.condition ? ` Affects ${cve.condition}${judged}.` : '';
        yield fail(s.subject, `${s.what} (${cve.component} ${s.version.text}) is affected by ${cve.id}: ${cve.summary}; ${upgrade}.${condition} ${cve.url}`, {
          severity: cve.severity,
          ...(s.field ? { field: s.field } : {}),
        });
      }
    }
  },
  examples: {
    fail: [
      { description: 'kubelet 1.30.2 (gitRepo volume command execution, CVE-2024-10220)', yaml: CLUSTER_EXAMPLE('v1.30.14', ['worker-1', 'v1.30.2']) },
      { description: 'a 1.33.3 API server (CVE-2025-5187)', yaml: CLUSTER_EXAMPLE('v1.33.3', ['worker-1', 'v1.33.11']) },
      {
        description: 'a 1.34.1 controller manager with an in-tree Portworx StorageClass (CVE-2025-13281)',
        yaml: [API_SERVER_EXAMPLE('v1.34.1'), STORAGE_CLASS_EXAMPLE('px-fast', 'kubernetes.io/portworx-volume')].join('\n---\n'),
      },
      {
        description: 'a 1.27.2 API server running ImagePolicyWebhook (CVE-2023-2727)',
        yaml: API_SERVER_EXAMPLE('v1.27.2', ['--enable-admission-plugins=NodeRestriction,ImagePolicyWebhook']),
      },
    ],
    pass: [
      { description: 'current patches', yaml: CLUSTER_EXAMPLE('v1.35.9', ['worker-1', 'v1.35.9']) },
      {
        description: 'a 1.34.1 controller manager whose cluster, as kubectl get lists it, has no Portworx StorageClass',
        yaml: [API_SERVER_EXAMPLE('v1.34.1'), STORAGE_CLASS_EXAMPLE('standard', 'rancher.io/local-path', '0b7e4c1a-3f55-4d2e-9c1b-7a8d2e6f4b90')].join('\n---\n'),
      },
      {
        description: 'a 1.27.2 API server without ImagePolicyWebhook, in a cluster whose ServiceAccounts do not enforce mountable secrets',
        yaml: `${API_SERVER_EXAMPLE('v1.27.2', ['--enable-admission-plugins=NodeRestriction'])}
---
apiVersion: v1
kind: Namespace
metadata: {name: default, uid: 3a9f6e2d-8c41-4b7a-9e05-6d2c1b8f4a37, resourceVersion: "12"}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: default, uid: 5d0c8f8e-2b7a-4f3e-8a61-0c9e1d4b7f21, resourceVersion: "311"}`,
      },
    ],
  },
});
