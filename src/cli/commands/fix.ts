// kubeward fix: plan the changes that take the input to the guide's secured state, prove each by
// re-scanning, print them as a diff (or JSON), and write them with --write.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SEVERITIES } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { describeRef, fileLine } from '../../inventory/types.js';
import { terminalLines } from '../../report/terminal.js';
import type { FailOn } from '../../scan/run.js';
import { CLUSTER_FLAGS, CLUSTER_USAGE, readClusterFromFlags } from '../../sources/cluster/command.js';
import { appendAll } from '../../sources/types.js';
import { clusterBundle } from '../../fix/bundle.js';
import { redactSecrets, unifiedDiff } from '../../fix/diff.js';
import { FIXES_FILE, fixExitCode, FixUsageError, planFixes, writeFixes, type FixOutcome } from '../../fix/run.js';
import { kubeVersionFlag, nowFlag, oneOf, parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward fix [flags] PATH...     kubeward fix --cluster -o DIR

Plans the changes that fix what kubeward scan finds, proves each by re-scanning with the same
checks and engines, and prints them as a unified diff with a summary. Nothing is written
without --write. Safe fixes do not change what a working workload or control plane does;
unsafe fixes may (what could break is listed) and need --unsafe-fixes. New objects go into
kubeward-fixes.yaml in the first PATH (beside it when PATH is a file).

Flags:
  --write                     apply the changes (atomically; files changed since they were
                              read are not written)
  --unsafe-fixes              also apply fixes that may change what workloads do
  --only ID|SECTION           fix only this check or section; repeatable
  --format diff|json          output (default diff); json: {changes, fixed, remaining, introduced}
  --fail-on SEVERITY|none     exit 1 when failures at or above it remain after the fixes
                              (default high)
  --node-root DIR             also fix a node's filesystem at DIR (a copy, or "/" on the node);
                              repeatable
  --k8s-version VERSION       Kubernetes version to evaluate against (default: detected)
  -n, --namespace NS          namespace for objects that name none (default "default")
  --now TIME                  evaluate dates at TIME (ISO 8601)
  -o, --output DIR            with --cluster: write the fix bundle (manifests, patches and a
                              README of the order to apply them) to DIR; the cluster is not changed
${CLUSTER_USAGE}`;

const OPTIONS = {
  write: { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  only: { type: 'string', multiple: true },
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  'node-root': { type: 'string', multiple: true },
  'k8s-version': { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  now: { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...CLUSTER_FLAGS,
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, ['diff', 'json'] as const, 'diff');
  const failOn = oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'none'], 'high');
  const now = nowFlag(values.now);
  if (positionals.includes('-')) throw new UsageError('fix edits files: give paths, not stdin ("-")');
  if (values.cluster && !values.output) throw new UsageError('--cluster needs -o DIR: fix writes a bundle to apply and never changes the cluster itself');
  if (values.output && !values.cluster) throw new UsageError('-o DIR is for --cluster; without it fix edits the files it reads (--write)');
  if (values.cluster && values.write) throw new UsageError('--write changes files; with --cluster the bundle goes to -o DIR and the cluster is not changed');
  if (!values.cluster && positionals.length === 0 && !values['node-root']?.length) throw new UsageError('nothing to fix: give a PATH, --node-root DIR, or --cluster -o DIR');

  const cluster = values.cluster ? (await readClusterFromFlags(values)).result : undefined;
  let outcome: FixOutcome;
  try {
    outcome = await planFixes({
      paths: positionals,
      nodeRoots: values['node-root'] ?? [],
      only: values.only ?? [],
      unsafe: values['unsafe-fixes'] ?? false,
      now,
      ...(kubeVersionFlag(values['k8s-version']) ? { k8sVersion: values['k8s-version']! } : {}),
      ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
      ...(cluster ? { load: cluster, fixesFile: join(values.output!, FIXES_FILE), bundleDir: values.output! } : {}),
    });
  } catch (e) {
    if (e instanceof FixUsageError) throw new UsageError(e.message);
    throw e;
  }
  for (const e of [...outcome.errors, ...outcome.refused]) process.stderr.write(terminalLines([`kubeward fix: ${fileLine(e.source, e.line)}: ${e.message}`]));

  if (cluster) {
    await writeBundle(values.output!, outcome);
    process.stderr.write(`kubeward fix: wrote the fix bundle to ${values.output} (the cluster was not changed)\n`);
  } else if (values.write) {
    const refused = await writeFixes(outcome.changes);
    for (const e of refused) process.stderr.write(terminalLines([`kubeward fix: ${e.source}: ${e.message}`]));
    outcome.refused.push(...refused);
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(jsonOutcome(outcome), null, 2)}\n` : textOutcome(outcome, values.write ?? false, values['unsafe-fixes'] ?? false));
  return fixExitCode(outcome, failOn);
}

async function writeBundle(dir: string, outcome: FixOutcome): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of clusterBundle(outcome, dir)) {
    await mkdir(dirname(join(dir, file.name)), { recursive: true });
    await writeFile(join(dir, file.name), file.text, { mode: 0o644 });
  }
}

/** The JSON contract: {changes:[{file, action, checks, safety, removed?}], fixed, remaining:[{finding, why}], introduced}. */
function jsonOutcome(o: FixOutcome) {
  return {
    changes: o.changes.map((c) => ({ file: c.file, action: c.action, checks: c.checks, safety: c.safety, ...(c.risks ? { risks: c.risks } : {}), ...(c.mode ? { mode: { from: c.mode.from.toString(8), to: c.mode.to.toString(8) } } : {}), ...(c.removed ? { removed: c.removed } : {}) })),
    fixed: o.fixed,
    remaining: o.remaining,
    introduced: o.introduced,
    ...(o.errors.length || o.refused.length ? { errors: [...o.errors, ...o.refused] } : {}),
  };
}

function textOutcome(o: FixOutcome, wrote: boolean, unsafe: boolean): string {
  const out: string[] = [];
  // A cluster dump's diff has more lines than a spread may pass as arguments.
  for (const c of o.changes) appendAll(out, redactSecrets(unifiedDiff(c), o.generated).replace(/\n$/, '').split('\n'));
  const safe = o.changes.filter((c) => c.safety === 'safe').length;
  out.push(
    `${wrote ? 'Changed' : 'Would change'} ${o.changes.length} file${o.changes.length === 1 ? '' : 's'} (${safe} safe, ${o.changes.length - safe} unsafe).`,
    `Fixed ${o.fixed.length} of ${o.fixed.length + o.remaining.length} failing findings; ${o.remaining.length} remain; ${o.introduced.length} introduced.`,
  );
  for (const c of o.changes.filter((c) => c.risks)) out.push(`  unsafe: ${c.file}: ${c.risks!.join('; ')}`);
  if (o.introduced.length) for (const f of o.introduced) out.push(`  introduced: ${f.check} ${describeRef(f.resource)}: ${f.message}`);
  const why = new Map<string, number>();
  for (const r of o.remaining) why.set(`${r.finding.check}: ${r.why}`, (why.get(`${r.finding.check}: ${r.why}`) ?? 0) + 1);
  if (why.size) out.push('Remaining:', ...[...why].map(([w, n]) => `  ${n} × ${w}`));
  if (o.followUps.length) out.push('Then:', ...o.followUps.map((f) => `  ${f}`));
  if (!wrote && o.changes.length) out.push(`Run again with --write to apply${!unsafe && o.remaining.some((r) => r.why.startsWith('unsafe fix')) ? ' (add --unsafe-fixes for the unsafe ones)' : ''}.`);
  return terminalLines(out);
}
