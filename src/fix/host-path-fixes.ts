// The fix of the hostPath checks: the hostPath volume a finding names becomes an emptyDir of the
// same name, on pods that are not node components; those keep it, with why, for a person.

import { hostPathVolumes, leftAsNodeComponent, nodeComponent } from '../checks/pod-privileges/host-paths.js';
import type { FailResult } from '../checks/types.js';
import { PodChange, refKey, replaceHostPathVolumes } from './helpers.js';
import type { FixContext } from './types.js';

/** Replaces, on each failing pod, the hostPath volumes its failures name (by their field). */
export function replaceFailingHostPaths(ctx: FixContext, failures: readonly FailResult[]): void {
  const byRef = new Map<string, FailResult[]>();
  for (const failure of failures) {
    const key = refKey(failure.subject.ref);
    byRef.set(key, [...(byRef.get(key) ?? []), failure]);
  }
  for (const pod of ctx.check.inventory.podSpecs()) {
    const podFailures = byRef.get(refKey(pod.item.ref));
    if (!podFailures) continue;
    const component = nodeComponent(ctx.check.inventory, pod);
    if (component) {
      for (const failure of podFailures) ctx.manual(failure, leftAsNodeComponent(component));
      continue;
    }
    const fields = new Set(podFailures.map((f) => f.field));
    const names = new Set(hostPathVolumes(pod).filter((v) => fields.has(v.field)).map((v) => v.name));
    const change = new PodChange(ctx, pod);
    replaceHostPathVolumes(change, names);
    change.commit();
  }
}
