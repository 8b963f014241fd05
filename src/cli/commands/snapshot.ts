// kubeward snapshot: read a live cluster once and write what was read to a folder, so
// `kubeward scan DIR` audits it offline (air-gapped review, CI, before/after comparisons).

import { InputUnavailableError, UsageError } from '../../errors.js';
import { CLUSTER_FLAGS, CLUSTER_USAGE, readClusterFromFlags } from '../../sources/cluster/command.js';
import { writeSnapshot } from '../../sources/snapshot.js';
import { terminalLines } from '../../report/terminal.js';
import { parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward snapshot --cluster -o DIR [flags]

Reads the cluster through its API (as "scan --cluster" does: Secrets as metadata only) and writes
one JSON List per kind plus snapshot.json (API version, what could not be read and why) to DIR.
"kubeward scan DIR" then gives the same findings as the live scan did.

Flags:
  -o, --output DIR            folder to write (created; must be empty)
${CLUSTER_USAGE}
Exit codes: 0 complete, 2 some requests failed (listed in DIR/snapshot.json and on stderr).
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    output: { type: 'string', short: 'o' },
    ...CLUSTER_FLAGS,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": a snapshot reads a cluster (--cluster)`);
  if (!values.cluster) throw new UsageError('give --cluster: a snapshot reads the cluster of a kube context');
  if (!values.output) throw new UsageError('give -o DIR: the folder to write the snapshot to');

  const load = await readClusterFromFlags(values);
  let document;
  try {
    document = await writeSnapshot(values.output, load.result, { server: load.server, context: load.context, now: new Date() });
  } catch (e) {
    throw new InputUnavailableError(`cannot write the snapshot: ${(e as Error).message}`);
  }
  process.stderr.write(terminalLines(document.errors.map((error) => `kubeward snapshot: ${error.source}: ${error.message}`)));
  process.stderr.write(terminalLines([
    `kubeward snapshot: wrote ${load.result.items.length} objects (${document.files.length} files) from ${load.server} to ${values.output}` +
      `${document.errors.length > 0 ? `; ${document.errors.length} requests failed, the snapshot is incomplete` : ''}`,
  ]));
  return document.errors.length > 0 ? 2 : 0;
}
