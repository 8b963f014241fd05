// kubeward scan: read the inputs, run every check, print the report, exit as CI expects.

import { SEVERITIES } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { colorWanted } from '../../report/color.js';
import { FORMATS, formatReport } from '../../report/index.js';
import { loadExceptions } from '../../scan/exceptions.js';
import { exitCodeFor, runScan, type FailOn } from '../../scan/run.js';
import { CLUSTER_FLAGS, CLUSTER_USAGE, readClusterFromFlags } from '../../sources/cluster/command.js';
import { ETCD_SCAN_FLAGS, ETCD_SCAN_USAGE, etcdClientFromFlags, etcdResourcesFor, loadEtcdValues } from '../../sources/etcd.js';
import { loadPaths } from '../../sources/files.js';
import { readNodeRoot } from '../../sources/node-root.js';
import { mergeLoadResults, type LoadResult } from '../../sources/types.js';
import { emit, oneOf, parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward scan [flags] PATH...     kubeward scan --cluster [flags]

Reads manifests (files, folders, "-" for stdin; YAML, JSON, List dumps of kubectl get -o yaml,
rendered Helm) and reports every finding of the guide's 17 sections.

Flags:
  --format table|json|sarif|junit  output format (default table)
  -o, --output FILE           write the report to FILE
  --fail-on SEVERITY|none     exit 1 on failures at or above it (default high)
  --exceptions FILE           accepted risks (YAML: check, namespace, kind, name globs, reason, expires)
  --allow-annotation-exceptions  honour kubeward.io/ignore annotations on objects
  --k8s-version VERSION       Kubernetes version to evaluate against (default: detected)
  -n, --namespace NS          namespace for objects that name none (default "default")
  --now TIME                  evaluate dates (certificate expiry, exceptions, EOL) at TIME
                              (ISO 8601; default: the current time)
  -v, --verbose               list every not-evaluated finding
  --node-root DIR             read a node's filesystem at DIR ("/" on the node, or a copy):
                              static pods, kubeconfigs, pki, kubelet unit and config, etcd,
                              modprobe rules, /proc; repeatable. A copy may carry
                              DIR/.kubeward-stat.tsv (path, octal mode, uid, gid per line)
                              with the modes and owners the copy lost
${ETCD_SCAN_USAGE}${CLUSTER_USAGE}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    exceptions: { type: 'string' },
    'allow-annotation-exceptions': { type: 'boolean' },
    'k8s-version': { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    verbose: { type: 'boolean', short: 'v' },
    now: { type: 'string' },
    'node-root': { type: 'string', multiple: true },
    ...ETCD_SCAN_FLAGS,
    ...CLUSTER_FLAGS,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, FORMATS, 'table');
  const failOn = oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'none'], 'high');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now is not a date: ${values.now}`);
  const exceptions = values.exceptions ? await loadExceptions(values.exceptions, now) : undefined;
  const etcd = values['etcd-endpoints'] || values['etcd-cacert'] || values['etcd-cert'] || values['etcd-key'] ? await etcdClientFromFlags(values, 'etcd-', true) : undefined;

  const loads: LoadResult[] = [];
  if (positionals.length > 0) loads.push(await loadPaths(positionals));
  for (const root of values['node-root'] ?? []) loads.push(await readNodeRoot(root));
  if (values.cluster) loads.push((await readClusterFromFlags(values)).result);
  else if (values.context || values.kubeconfig) throw new UsageError('--context and --kubeconfig need --cluster');
  // After the other sources: the resources their EncryptionConfiguration names are read too.
  if (etcd) loads.push(await loadEtcdValues(etcd, etcdResourcesFor(loads.flatMap((l) => l.items))));
  if (loads.length === 0) throw new UsageError('nothing to scan: give a PATH (or "-" for stdin), --cluster, or --etcd-endpoints');

  const report = runScan(mergeLoadResults(loads), {
    now,
    ...(values['k8s-version'] ? { k8sVersion: values['k8s-version'] } : {}),
    ...(exceptions ? { exceptions } : {}),
    ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
    allowAnnotationExceptions: values['allow-annotation-exceptions'] ?? false,
  });
  const color = !values.output && colorWanted(process.stdout);
  await emit(formatReport(report, format, { color, verbose: values.verbose ?? false }), values.output);
  return exitCodeFor(report, failOn);
}
