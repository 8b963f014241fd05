// Evaluates every Pod and pod template of an inventory, and what labelling a namespace would
// refuse (what `kubectl label --dry-run=server ns pod-security.kubernetes.io/enforce=L` warns).

import type { Inventory, PodSpecRef } from '../../inventory/inventory.js';
import { evaluatePlan, planFor } from './evaluate.js';
import { forbiddenReason } from './format.js';
import {
  findPodSecurityConfiguration, isExemptNamespace, isExemptRuntimeClass, policyToEvaluate,
  type PodSecurityAdmissionConfig, type ResolvedPolicy,
} from './namespace.js';
import type { Level, PodSecurityResult, PolicyVersion } from './types.js';

export interface WorkloadEvaluation {
  pod: PodSpecRef;
  result: PodSecurityResult;
}

export function evaluateWorkloads(inventory: Inventory, level: Level, version: PolicyVersion): WorkloadEvaluation[] {
  const plan = planFor(level, version);
  return inventory.podSpecs().map((pod) => ({ pod, result: evaluatePlan(plan, pod.podMetadata, pod.spec) }));
}

/** Field path of a violation's field inside the object that holds the pod (spec.template...). */
export function objectField(pod: PodSpecRef, podField: string): string {
  const root = pod.path.slice(0, -'spec'.length); // "" for a Pod, "spec.template." for a Deployment
  return `${root}${podField}`;
}

export interface NamespaceDryRun {
  namespace: string;
  /** The namespace's current policy; undefined when its Namespace object is not in the input. */
  current?: ResolvedPolicy;
  /** Exempt by the PodSecurity admission configuration: labelling it changes nothing. */
  exempt: boolean;
  workloads: number;
  refused: { evaluation: WorkloadEvaluation; reasons: string }[];
  /** Workloads whose runtimeClassName the configuration exempts. */
  exemptByRuntimeClass: number;
}

export function namespaceDryRun(inventory: Inventory, level: Level, version: PolicyVersion): NamespaceDryRun[] {
  const config: PodSecurityAdmissionConfig | undefined = findPodSecurityConfiguration(inventory);
  const byNamespace = new Map<string, WorkloadEvaluation[]>();
  for (const evaluation of evaluateWorkloads(inventory, level, version)) {
    const list = byNamespace.get(evaluation.pod.namespace) ?? [];
    list.push(evaluation);
    byNamespace.set(evaluation.pod.namespace, list);
  }
  const namespaces = new Set([...inventory.ofKind('Namespace').map((n) => n.ref.name), ...byNamespace.keys()]);
  return [...namespaces].sort().map((namespace) => {
    const nsItem = inventory.get('Namespace', undefined, namespace);
    const evaluations = byNamespace.get(namespace) ?? [];
    const exempt = isExemptNamespace(config, namespace);
    let exemptByRuntimeClass = 0;
    const refused: NamespaceDryRun['refused'] = [];
    for (const evaluation of evaluations) {
      if (exempt || evaluation.result.allowed) continue;
      if (isExemptRuntimeClass(config, evaluation.pod.spec.runtimeClassName)) {
        exemptByRuntimeClass++;
        continue;
      }
      refused.push({ evaluation, reasons: forbiddenReason(evaluation.result.violations) });
    }
    return {
      namespace,
      ...(nsItem ? { current: policyToEvaluate(nsItem.object.metadata?.labels, config?.defaults) } : {}),
      exempt,
      workloads: evaluations.length,
      refused,
      exemptByRuntimeClass,
    };
  });
}
