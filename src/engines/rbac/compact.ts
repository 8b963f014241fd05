// Compacts a subject's effective rules for display: identical rules once, verbs of rules on the
// same resources merged, then resources of rules with the same verbs merged. The rules allow
// exactly the same requests as before.

import type { PolicyRule } from './types.js';

const sorted = (list: string[]): string[] => [...new Set(list)].sort();

function mergeBy(rules: PolicyRule[], keyOf: (r: PolicyRule) => string, merge: (a: PolicyRule, b: PolicyRule) => PolicyRule): PolicyRule[] {
  const byKey = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = keyOf(r);
    const prev = byKey.get(key);
    byKey.set(key, prev ? merge(prev, r) : r);
  }
  return [...byKey.values()];
}

function normalise(r: PolicyRule): PolicyRule {
  const verbs = r.verbs.includes('*') ? ['*'] : sorted(r.verbs);
  return { verbs, apiGroups: sorted(r.apiGroups), resources: sorted(r.resources), resourceNames: sorted(r.resourceNames), nonResourceURLs: sorted(r.nonResourceURLs) };
}

export function compactRules(rules: PolicyRule[]): PolicyRule[] {
  let out = rules.map(normalise);
  // Same target, different verbs: one rule with every verb.
  out = mergeBy(
    out,
    (r) => JSON.stringify([r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]),
    (a, b) => normalise({ ...a, verbs: [...a.verbs, ...b.verbs] }),
  );
  // Same verbs and groups, different resources (no names, no URLs): one rule for all resources.
  out = mergeBy(
    out,
    (r) => (r.resourceNames.length > 0 || r.nonResourceURLs.length > 0 ? JSON.stringify(r) : JSON.stringify(['res', r.verbs, r.apiGroups])),
    (a, b) => normalise({ ...a, resources: [...a.resources, ...b.resources] }),
  );
  // Same verbs, URLs only: one rule for all URLs.
  out = mergeBy(
    out,
    (r) => (r.resources.length === 0 && r.nonResourceURLs.length > 0 ? JSON.stringify(['url', r.verbs]) : JSON.stringify(r)),
    (a, b) => normalise({ ...a, nonResourceURLs: [...a.nonResourceURLs, ...b.nonResourceURLs] }),
  );
  return out.sort((a, b) => describeRule(a).localeCompare(describeRule(b)));
}

/** "get,list pods,secrets (group core) names=[a]" style description of a rule. */
export function describeRule(r: PolicyRule): string {
  if (r.nonResourceURLs.length > 0 && r.resources.length === 0) return `${r.verbs.join(',')} nonResourceURLs ${r.nonResourceURLs.join(',')}`;
  const groups = r.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  const names = r.resourceNames.length > 0 ? ` names=[${r.resourceNames.join(',')}]` : '';
  const urls = r.nonResourceURLs.length > 0 ? ` urls=[${r.nonResourceURLs.join(',')}]` : '';
  return `${r.verbs.join(',')} ${r.resources.join(',')} (apiGroups ${groups || '(none)'})${names}${urls}`;
}
