// kubeward explain ID|SECTION|FRAMEWORK: the docs of a check, the checks of a section, or how a
// framework's controls map to checks.

import { loadCheck, loadSectionChecks } from '../../checks/load.js';
import { checkMarkdown } from '../../checks/markdown.js';
import { SECTIONS } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { FRAMEWORK_IDS, frameworkDefinition, type FrameworkId } from '../../frameworks/index.js';
import { parseFlags } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {});
  if (values.help || positionals.length !== 1) {
    process.stdout.write(`Usage: kubeward explain <check-id|section-slug|${FRAMEWORK_IDS.join('|')}>\n`);
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
  if ((FRAMEWORK_IDS as readonly string[]).includes(id)) {
    // Every check is loaded: the mapping is declared on them.
    const [{ ALL_CHECKS }, { frameworkMarkdown }] = await Promise.all([import('../../checks/registry.js'), import('../../frameworks/markdown.js')]);
    process.stdout.write(`${frameworkMarkdown(frameworkDefinition(id as FrameworkId), ALL_CHECKS)}\n`);
    return 0;
  }
  throw new UsageError(`no check, section or framework named "${id}" (see "kubeward checks")`);
}
