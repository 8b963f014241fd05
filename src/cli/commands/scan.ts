// kubeward scan: read the inputs, run every check, print the report, exit as CI expects.

import { SEVERITIES } from '../../checks/sections.js';
import { UsageError } from '../../errors.js';
import { FRAMEWORK_IDS } from '../../frameworks/index.js';
import { colorWanted } from '../../report/color.js';
import { applyBaseline, newFindingsOnly, readReportFile } from '../../report/baseline.js';
import { FORMATS, renderReport } from '../../report/index.js';
import { loadExceptions } from '../../scan/exceptions.js';
import { exitCodeFor, runScan, type FailOn } from '../../scan/run.js';
import type { WriteOptions } from '../../incluster/writer.js';
import { REPORT_APIS } from '../../report/policyreport.js';
import { terminalLines } from '../../report/terminal.js';
import type { Report } from '../../report/types.js';
import { CLUSTER_FLAGS, CLUSTER_USAGE, readClusterFromFlags, type ClusterFlagValues } from '../../sources/cluster/command.js';
import { ETCD_SCAN_FLAGS, ETCD_SCAN_USAGE, etcdClientFromFlags, etcdResourcesFor, loadEtcdValues } from '../../sources/etcd.js';
import { loadPaths } from '../../sources/files.js';
import { readNodeRoot } from '../../sources/node-root.js';
import { mergeLoadResults, type LoadResult } from '../../sources/types.js';
import { emit, kubeVersionFlag, nowFlag, oneOf, parseFlags } from '../args.js';

export const USAGE = `Usage: kubeward scan [flags] PATH...     kubeward scan --cluster [flags]

Reads manifests (files, folders, "-" for stdin; YAML, JSON, List dumps of kubectl get -o yaml,
rendered Helm) and reports every finding of the guide's 17 sections.

Flags:
  --format table|json|sarif|junit|html|policyreport  output format (default table); html is
                              one self-contained page (charts, RBAC escalation graph,
                              reachability); policyreport a List of PolicyReports (see
                              --report-api)
  --framework cis-1.12        also read the results against the CIS Kubernetes Benchmark 1.12:
                              every control with PASS / FAIL / WARN / NOT EVALUATED and the
                              checks behind it (table, json, junit and html show it)
  --baseline FILE             an earlier JSON report: findings are marked new or unchanged,
                              those gone are listed as fixed, and --fail-on counts new ones only
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
  --report-to-cluster         write the results to the cluster as PolicyReports (server-side
                              apply, field manager kubeward; with --cluster or --node-name) and
                              delete kubeward's reports that no longer apply; the report is
                              then printed only when --format or --output asks for it
  --report-api wgpolicy|openreports  PolicyReport/ClusterPolicyReport (wgpolicyk8s.io/v1alpha2,
                              default) or Report/ClusterReport (openreports.io/v1alpha1), for
                              --format policyreport and --report-to-cluster
  --node-name NAME            the results are this node's: one cluster-scoped report scoped to
                              the Node (the node agent: kubeward node --node-name)
${ETCD_SCAN_USAGE}${CLUSTER_USAGE}`;

const OPTIONS = {
  format: { type: 'string' },
  framework: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  baseline: { type: 'string' },
  exceptions: { type: 'string' },
  'allow-annotation-exceptions': { type: 'boolean' },
  'k8s-version': { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  verbose: { type: 'boolean', short: 'v' },
  now: { type: 'string' },
  'node-root': { type: 'string', multiple: true },
  'report-to-cluster': { type: 'boolean' },
  'report-api': { type: 'string' },
  'node-name': { type: 'string' },
  ...ETCD_SCAN_FLAGS,
  ...CLUSTER_FLAGS,
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, FORMATS, 'table');
  const framework = values.framework === undefined ? undefined : oneOf('framework', values.framework, FRAMEWORK_IDS, 'cis-1.12');
  const failOn = oneOf<FailOn>('fail-on', values['fail-on'], [...SEVERITIES, 'none'], 'high');
  const reportApi = oneOf('report-api', values['report-api'], REPORT_APIS, 'wgpolicy');
  const toCluster = values['report-to-cluster'] ?? false;
  if (toCluster && !values.cluster && !values['node-name']) throw new UsageError('--report-to-cluster needs --cluster (a cluster scan) or --node-name (a node agent)');
  const now = nowFlag(values.now);
  const baseline = values.baseline ? await readReportFile(values.baseline) : undefined;
  const exceptions = values.exceptions ? await loadExceptions(values.exceptions, now) : undefined;
  const etcd = values['etcd-endpoints'] || values['etcd-cacert'] || values['etcd-cert'] || values['etcd-key'] ? await etcdClientFromFlags(values, 'etcd-', true) : undefined;

  const loads: LoadResult[] = [];
  if (positionals.length > 0) loads.push(await loadPaths(positionals));
  for (const root of values['node-root'] ?? []) loads.push(await readNodeRoot(root));
  if (values.cluster) loads.push((await readClusterFromFlags(values)).result);
  else if ((values.context || values.kubeconfig) && !toCluster) throw new UsageError('--context and --kubeconfig need --cluster or --report-to-cluster');
  // After the other sources: the resources their EncryptionConfiguration names are read too.
  if (etcd) loads.push(await loadEtcdValues(etcd, etcdResourcesFor(loads.flatMap((l) => l.items))));
  if (loads.length === 0) throw new UsageError('nothing to scan: give a PATH (or "-" for stdin), --cluster, or --etcd-endpoints');

  const load = mergeLoadResults(loads);
  // What both the scan and the HTML report's views evaluate with.
  const evaluation = {
    now,
    ...(kubeVersionFlag(values['k8s-version']) ? { k8sVersion: values['k8s-version']! } : {}),
    ...(values.namespace ? { defaultNamespace: values.namespace } : {}),
  };
  const scanned = runScan(load, {
    ...evaluation,
    ...(exceptions ? { exceptions } : {}),
    allowAnnotationExceptions: values['allow-annotation-exceptions'] ?? false,
    keepPasses: format === 'policyreport' || toCluster,
    ...(framework ? { framework } : {}),
  });
  process.stderr.write(terminalLines((baseline?.notes ?? []).map((note) => `kubeward scan: note: ${note}`)));
  const report = baseline ? applyBaseline(scanned, baseline.report, values.baseline!) : scanned;
  const views = format === 'html' ? (await import('../../report/html/views.js')).reportViews(load, evaluation) : undefined;
  const color = !values.output && colorWanted(process.stdout);
  const node = values['node-name'] ? { node: values['node-name'] } : {};
  if (!toCluster || values.format || values.output) {
    await emit(await renderReport(report, format, { color, verbose: values.verbose ?? false, flags: Object.keys(OPTIONS), reportApi, ...node, ...(views ? { views } : {}) }), values.output);
  }
  if (toCluster && !(await writeToCluster(report, values, { api: reportApi, ...node, namespaces: load.items.filter((i) => i.ref.kind === 'Namespace').map((i) => i.ref.name) }))) return 2;
  return exitCodeFor(newFindingsOnly(report), failOn);
}

/** --report-to-cluster; false (after saying why on stderr) when the reports could not be written. */
async function writeToCluster(report: Report, target: ClusterFlagValues, options: WriteOptions): Promise<boolean> {
  const { describeWrite, reportToCluster, ReportApiMissingError } = await import('../../incluster/writer.js');
  const { ApiError } = await import('../../sources/cluster/client.js');
  try {
    const summary = await reportToCluster(report, { ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}), ...(target.context ? { context: target.context } : {}) }, options);
    process.stderr.write(terminalLines([`kubeward scan: ${describeWrite(summary)}`]));
    return true;
  } catch (e) {
    if (!(e instanceof ReportApiMissingError || e instanceof ApiError)) throw e;
    process.stderr.write(terminalLines([`kubeward scan: the reports were not written: ${e instanceof ApiError ? `${e.url}: ` : ''}${e.message}`]));
    return false;
  }
}
