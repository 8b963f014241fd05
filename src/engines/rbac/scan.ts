// The RBAC engine as the checks use it: built once per scan and shared (ctx.shared).

import type { CheckContext, Subject } from '../../checks/types.js';
import { clusterFactsOf, EscalationGraph } from './escalation.js';
import { RbacIndex } from './index.js';
import { ResourceScopes } from './resources.js';
import type { BindingRecord, SubjectId } from './types.js';

export interface RbacScan {
  index: RbacIndex;
  /** The escalation graph, built on first use. */
  graph(): EscalationGraph;
  scopes: ResourceScopes;
}

export function rbacScan(ctx: Pick<CheckContext, 'inventory' | 'shared'>): RbacScan {
  return ctx.shared('rbac', () => {
    const { inventory } = ctx;
    const index = new RbacIndex(inventory.items);
    let graph: EscalationGraph | undefined;
    return {
      index,
      graph: () => (graph ??= new EscalationGraph(index, clusterFactsOf(inventory.items, inventory.podSpecs(), index))),
      scopes: new ResourceScopes(inventory.items),
    };
  });
}

/** What a finding about a binding is reported on: the binding object read. */
export function bindingSubject(binding: BindingRecord): Subject {
  if (binding.item) return { ref: binding.item.ref, location: binding.item.location };
  return { ref: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: binding.kind, name: binding.name, ...(binding.namespace ? { namespace: binding.namespace } : {}) } };
}

/** A subject (user, group, account) as a report names it. */
export function subjectRef(s: SubjectId): Subject {
  return { ref: { kind: s.kind, name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) } };
}

/** Bindings a user wrote: not the API server's bootstrap policy. */
export function userBindings(index: RbacIndex): BindingRecord[] {
  return index.bindings.filter((b) => !b.builtin);
}
