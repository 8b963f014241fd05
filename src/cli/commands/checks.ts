// kubeward checks: list every check; with --write FILE, write the Markdown catalogue.

import { writeFile } from 'node:fs/promises';
import { catalogueMarkdown } from '../../checks/catalogue.js';
import { ALL_CHECKS } from '../../checks/registry.js';
import { parseFlags } from '../args.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { write: { type: 'string' } });
  if (values.help) {
    process.stdout.write('Usage: kubeward checks [--write FILE]\n');
    return 0;
  }
  if (values.write) {
    await writeFile(values.write, catalogueMarkdown());
    process.stdout.write(`wrote ${ALL_CHECKS.length} checks to ${values.write}\n`);
    return 0;
  }
  for (const c of ALL_CHECKS) process.stdout.write(`${c.id.padEnd(40)} ${c.section.padEnd(20)} ${c.severity.padEnd(9)} ${c.title}\n`);
  return 0;
}
