// Renders an integration review: plain words for people, JSON for tools.

import { describeRule } from '../engines/rbac/compact.js';
import { describeRef } from '../inventory/types.js';
import { terminalLines } from '../report/terminal.js';
import type { IntegrationReview } from './review.js';

export const REVIEW_FORMATS = ['text', 'json'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export function formatReview(review: IntegrationReview, format: ReviewFormat): string {
  return format === 'json' ? `${JSON.stringify(review, null, 2)}\n` : reviewText(review);
}

function reviewText(r: IntegrationReview): string {
  const out: string[] = [];
  const section = (title: string) => out.push('', title, '-'.repeat(title.length));
  out.push(`Risk: ${r.risk.toUpperCase()}`);
  if (r.reasons.length === 0) out.push('  nothing found: no escalation path, host access, webhook, kube-system object or cluster-wide write');
  for (const reason of r.reasons.slice(0, 12)) out.push(`  ${reason}`);
  if (r.reasons.length > 12) out.push(`  ... and ${r.reasons.length - 12} more (--format json lists all)`);

  section(`ServiceAccounts (${r.serviceAccounts.length})`);
  for (const sa of r.serviceAccounts) {
    out.push(`${sa.serviceAccount.namespace}/${sa.serviceAccount.name}`);
    if (sa.can.length === 0 && sa.permissions.every((p) => p.rules.length === 0)) out.push('  holds no RBAC permissions beyond what every authenticated account has');
    for (const c of sa.can) out.push(`  - ${c}`);
    for (const e of sa.escalation) out.push(`  - path to ${e.target}: ${e.path}`);
    for (const p of sa.permissions) {
      if (p.rules.length === 0) continue;
      out.push(`  permissions ${p.namespace ? `in namespace ${p.namespace}` : 'cluster-wide'}:`);
      for (const rule of p.rules) out.push(`      ${describeRule(rule)}`);
    }
    for (const a of sa.alternatives) out.push(`  alternative: ${a}`);
  }

  section(`Pods with host access (${r.workloads.length})`);
  if (r.workloads.length === 0) out.push('none: every pod template meets the Pod Security baseline');
  for (const w of r.workloads) out.push(`${describeRef(w.ref)} (ServiceAccount ${w.serviceAccount}): ${w.hostAccess}`);

  section(`Admission webhooks (${r.webhooks.length})`);
  if (r.webhooks.length === 0) out.push('none');
  for (const w of r.webhooks) out.push(`${describeRef(w.ref)} ${w.webhook}: ${w.sees}; ${w.scope}; failurePolicy ${w.failurePolicy}${w.failurePolicy === 'Fail' ? ' (when it is down, these requests fail)' : ''}`);

  section(`CustomResourceDefinitions (${r.customResourceDefinitions.length})`);
  for (const c of r.customResourceDefinitions) out.push(`${c.name} (${c.scope})`);

  section(`Objects in system namespaces (${r.kubeSystemObjects.length})`);
  for (const ref of r.kubeSystemObjects) out.push(describeRef(ref));

  section(`Other cluster-scoped objects (${r.clusterScopedObjects.length})`);
  for (const ref of r.clusterScopedObjects) out.push(describeRef(ref));
  return terminalLines(out);
}
