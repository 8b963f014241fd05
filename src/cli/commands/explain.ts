// kubeward explain ID|SECTION: the docs of a check, or the checks of a section.

import { loadCheck, loadSectionChecks } from '../../checks/load.js';
import { checkMarkdown } from '../../checks/markdown.js';
import { SECTIONS } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { parseFlags } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {});
  if (values.help || positionals.length !== 1) {
    process.stdout.write('Usage: kubeward explain <check-id|section-slug>\n');
    return values.help ? 0 : 2;
  }
  const id = positionals[0]!;
  const check = await loadCheck(id);
  if (check) {
    process.stdout.write(`${checkMarkdown(check)}\n`);
    return 0;
  }
  const section = SECTIONS.find((s) => s.slug === id);
  if (section) {
    const checks = await loadSectionChecks(section.slug);
    process.stdout.write(`# ${section.title} (${section.slug})\n\n${checks.length} checks:\n\n${checks.map((c) => `- ${c.id} (${c.severity}): ${c.title}`).join('\n')}\n`);
    return 0;
  }
  throw new UsageError(`no check or section named "${id}" (see "kubeward checks")`);
}
