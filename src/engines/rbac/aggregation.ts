// ClusterRole aggregation as the clusterrole-aggregation controller computes it
// (pkg/controller/clusterroleaggregation): an aggregated role's rules are the union, without
// duplicates, of the rules of every other ClusterRole its selectors select, selector by selector,
// roles sorted by name. The controller re-runs on every change, so chains (admin <- edit <- view)
// settle at a fixed point; the stored rules of an aggregated role are ignored.

import { selectorMatches, type LabelSelector } from '../../inventory/labels.js';
import type { PolicyRule } from './types.js';

export interface AggregationCandidate {
  name: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  /** clusterRoleSelectors of aggregationRule; undefined when the role is not aggregated. */
  selectors?: LabelSelector[];
}

export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}

/** The effective rules of every aggregated ClusterRole, by name. */
export function aggregateClusterRoles(roles: AggregationCandidate[]): Map<string, PolicyRule[]> {
  const byName = [...roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const current = new Map<string, PolicyRule[]>();
  for (const role of byName) current.set(role.name, role.selectors ? [] : role.rules);
  const aggregated = byName.filter((r) => r.selectors);
  // Each pass can only add rules (the union of sets that only grow), so it ends.
  for (let pass = 0; pass <= aggregated.length + 1; pass++) {
    let changed = false;
    for (const role of aggregated) {
      const seen = new Set<string>();
      const rules: PolicyRule[] = [];
      for (const selector of role.selectors ?? []) {
        for (const other of byName) {
          if (other.name === role.name || !selectorMatches(selector, other.labels)) continue;
          for (const r of current.get(other.name) ?? []) {
            const key = ruleKey(r);
            if (!seen.has(key)) {
              seen.add(key);
              rules.push(r);
            }
          }
        }
      }
      if (rules.length !== current.get(role.name)!.length) {
        current.set(role.name, rules);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return new Map(aggregated.map((r) => [r.name, current.get(r.name)!]));
}
