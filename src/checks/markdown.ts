// One check's documentation as Markdown: `kubeward explain`, docs/checks.md and SARIF rule help.

import { CIS_1_12_CONTROLS } from '../frameworks/cis-1.12.js';
import type { Check, CheckExample } from './types.js';

function exampleText(example: CheckExample): string {
  if (typeof example === 'string') return example.trim();
  return example.yaml ? `# ${example.description}\n${example.yaml.trim()}` : `# ${example.description}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One check as Markdown, with Ruff's headings. */
export function checkMarkdown(check: Check): string {
  const out = [
    `### \`${check.id}\`: ${check.title}`,
    '',
    `Section: \`${check.section}\` · Severity: **${check.severity}**`,
    '',
    `**What it does.** ${check.docs.what}`,
    '',
    `**Why is this bad?** ${check.docs.why}`,
    '',
  ];
  const fail = check.examples.fail[0];
  const pass = check.examples.pass[0];
  if (fail !== undefined) out.push('**Example** (fails):', '', '```yaml', exampleText(fail), '```', '');
  if (pass !== undefined) out.push('**Use instead** (passes):', '', '```yaml', exampleText(pass), '```', '');
  out.push(`**Remediation.** ${check.remediation}`, '');
  if (check.fix) {
    const fix = check.fix;
    // A safe fix with a risk is unsafe for the failures where the input shows that risk.
    const safety = fix.safety === 'safe' && fix.risk ? 'safe, or unsafe where the input shows what it could break (decided per finding)' : fix.safety;
    out.push(`**Fix** (\`kubeward fix\`${fix.safety === 'unsafe' ? ' --unsafe-fixes' : ''}): ${safety}. ${capitalise(fix.summary)}.${fix.risk ? ` Could break: ${fix.risk}.` : ''}${fix.followUp ? ` Then ${fix.followUp}.` : ''}`, '');
  } else out.push('**Fix:** manual (`kubeward fix` leaves it to a person).', '');
  const cis = check.cis?.['1.12'] ?? [];
  if (cis.length > 0) {
    out.push('**CIS Kubernetes Benchmark 1.12** (`--framework cis-1.12`):', '', ...cis.map((id) => `- ${id} ${CIS_1_12_CONTROLS.find((c) => c.id === id)!.title}`), '');
  }
  if (check.docs.references?.length) {
    out.push('**References.**', '', ...check.docs.references.map((r) => `- ${r}`), '');
  }
  return out.join('\n');
}
