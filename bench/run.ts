// `npm run bench [-- FILTER]`: runs the exported run() of every dist/bench/*.bench.js in turn,
// or only those whose name contains FILTER (e.g. `npm run bench -- scan`).

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
  .sort();
if (benches.length === 0) {
  process.stderr.write(`no benchmark matches "${filter}" (have: ${readdirSync(here).filter((f) => f.endsWith('.bench.js')).join(', ')})\n`);
  process.exitCode = 2;
}
for (const file of benches) {
  process.stdout.write(`\n## ${file.replace(/\.bench\.js$/, '')}\n`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
  if (typeof module.run !== 'function') {
    process.stderr.write(`${file} exports no run()\n`);
    process.exitCode = 2;
    continue;
  }
  try {
    await module.run();
  } catch (e) {
    process.stderr.write(`${file} failed: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
