// A framework's mapping as Markdown: `kubeward explain cis-1.12` and the end of docs/checks.md.

import type { Check } from '../checks/types.js';
import { NO_CHECK_REASON } from './framework.js';
import type { FrameworkDefinition } from './index.js';

export function frameworkMarkdown(framework: FrameworkDefinition, checks: readonly Check[]): string {
  const byControl = new Map<string, string[]>();
  for (const check of checks) {
    for (const id of check.cis?.[framework.cisVersion] ?? []) byControl.set(id, [...(byControl.get(id) ?? []), check.id]);
  }
  const audited = framework.controls.filter((c) => c.audited);
  const covered = (list: typeof framework.controls) => list.filter((c) => byControl.has(c.id)).length;
  const out = [
    `## ${framework.title} (\`--framework ${framework.id}\`)`,
    '',
    `kubeward evaluates ${covered(framework.controls)} of the ${framework.controls.length} controls with its checks, ` +
      `${covered(audited)} of the ${audited.length} that kube-bench audits. A control is FAIL when a check's result fails it, ` +
      'NOT EVALUATED when the input does not show what it judges, PASS otherwise; a control no check decides is WARN ' +
      `(${NO_CHECK_REASON}). Where CIS judges differently from kubeward (kubeward is stricter or looser), the CIS view follows CIS and says why.`,
    '',
  ];
  for (const group of framework.groups) {
    out.push(`### ${group.id} ${group.title}`, '', '| control | assessment | kube-bench audits | kubeward checks |', '|---|---|---|---|');
    for (const c of framework.controls.filter((x) => x.group === group.id)) {
      const mapped = byControl.get(c.id);
      out.push(`| ${c.id} ${c.title} | ${c.assessment} | ${c.audited ? 'yes' : 'no'} | ${mapped ? mapped.map((id) => `\`${id}\``).join(', ') : 'none (WARN)'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
