// kubeward checks: list every check; with --write FILE, write the Markdown catalogue.

import { catalogueMarkdown } from '../../checks/catalogue.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { escapeTerminal } from '../../report/terminal.js';
import { emit, parseFlags } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { write: { type: 'string' } });
  if (values.help) {
    process.stdout.write('Usage: kubeward checks [--write FILE]\n');
    return 0;
  }
  if (values.write) {
    await emit(catalogueMarkdown(), values.write, 'write');
    process.stdout.write(`wrote ${ALL_CHECKS.length} checks to ${escapeTerminal(values.write)}\n`);
    return 0;
  }
  for (const c of ALL_CHECKS) process.stdout.write(`${c.id.padEnd(40)} ${c.section.padEnd(20)} ${c.severity.padEnd(9)} ${c.title}\n`);
  return 0;
}
