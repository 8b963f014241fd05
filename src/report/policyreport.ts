// A scan as Kubernetes objects that dashboards read (Policy Reporter, Kyverno's UI): one
// PolicyReport per namespace and one ClusterPolicyReport for cluster-scoped and node-level
// results (wgpolicyk8s.io/v1alpha2), or Report/ClusterReport (openreports.io/v1alpha1, its
// successor). The mapping (README, "In the cluster"):
//   policy = check id, category = section title, severity, source = kubeward, timestamp = scan time;
//   fail -> fail; pass -> pass (one per passing subject); not-evaluated -> skip with the reason
//   as message (never pass); excepted -> skip with the exception's reason; an input or API error
//   -> error (policy "scan-input"); scored = false for skip and error, else true;
//   resources = the subject; properties = field, file, line, exception where known;
//   summary = the counts of the report's own results.
// An etcd object is limited to about 1.5 MB: a report whose results exceed MAX_REPORT_BYTES is
// split into several, named NAME, NAME-2, NAME-3... in the results' sorted order, so that the
// same scan always gives the same objects.

import { createHash } from 'node:crypto';
import { sectionTitle } from '../checks/sections.js';
import type { K8sObject, Location, ResourceRef } from '../inventory/types.js';
import { fileLine } from '../inventory/types.js';
import type { Finding, Report } from './types.js';

export const REPORT_APIS = ['wgpolicy', 'openreports'] as const;
export type ReportApi = (typeof REPORT_APIS)[number];

export interface ReportKind {
  group: string;
  version: string;
  kind: string;
  /** The resource name in API paths. */
  plural: string;
  namespaced: boolean;
}

/** The namespaced and the cluster-scoped kind of each API. */
export const REPORT_KINDS: Record<ReportApi, { namespaced: ReportKind; cluster: ReportKind }> = {
  wgpolicy: {
    namespaced: { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'PolicyReport', plural: 'policyreports', namespaced: true },
    cluster: { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'ClusterPolicyReport', plural: 'clusterpolicyreports', namespaced: false },
  },
  openreports: {
    namespaced: { group: 'openreports.io', version: 'v1alpha1', kind: 'Report', plural: 'reports', namespaced: true },
    cluster: { group: 'openreports.io', version: 'v1alpha1', kind: 'ClusterReport', plural: 'clusterreports', namespaced: false },
  },
};

/** Labels on every report kubeward writes: it deletes only reports it owns. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubeward' } as const;
const SCOPE_LABEL = 'kubeward.io/report-scope';

/**
 * Room for the results of one report: etcd refuses objects over 1.5 MiB, and the API server adds
 * metadata (managedFields, uid...) to what is sent; 1 MiB leaves that margin.
 */
export const MAX_REPORT_BYTES = 1024 * 1024;

/** The name of the cluster-scoped report of a scan, and of a node agent's report for `node`. */
export function clusterReportName(node?: string): string {
  return node ? `kubeward-node-${node}` : 'kubeward-cluster';
}
export const NAMESPACE_REPORT_NAME = 'kubeward';

/** Chunk i (from 1) of the report named `base`: base, base-2, base-3... */
export function chunkName(base: string, index: number): string {
  return index === 1 ? base : `${base}-${index}`;
}

export interface PolicyReportOptions {
  api: ReportApi;
  /** A node agent's run: every result goes into one cluster-scoped report scoped to this Node. */
  node?: string;
  /** Results per report at most this many bytes of JSON (default MAX_REPORT_BYTES). */
  maxBytes?: number;
  /**
   * The namespaces that exist (a cluster scan's): results naming another one (the subject of a
   * binding in a namespace that is gone) go into the cluster-scoped report, since the API server
   * refuses objects in a namespace that does not exist.
   */
  namespaces?: ReadonlySet<string>;
}

type ResultStatus = 'pass' | 'fail' | 'skip' | 'error';

interface PolicyResult {
  policy: string;
  category?: string;
  severity?: Finding['severity'];
  result: ResultStatus;
  message: string;
  scored: boolean;
  source: 'kubeward';
  timestamp: { seconds: number; nanos: number };
  resources?: Record<string, string>[];
  properties?: Record<string, string>;
}

/** The reports of a scan, cluster-scoped first, then by namespace, each split as needed. */
export function policyReports(report: Report, options: PolicyReportOptions): K8sObject[] {
  const kinds = REPORT_KINDS[options.api];
  const seconds = Math.floor(Date.parse(report.generatedAt) / 1000);
  const timestamp = { seconds, nanos: 0 };
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  // Namespace ('' = cluster-scoped) -> its results.
  const groups = new Map<string, PolicyResult[]>([['', []]]);
  const add = (namespace: string | undefined, result: PolicyResult) => {
    const key = options.node || !namespace || (options.namespaces && !options.namespaces.has(namespace)) ? '' : namespace;
    const list = groups.get(key) ?? [];
    groups.set(key, list);
    list.push(result);
  };
  const base = (check: string, severity: Finding['severity'] | undefined, section: Finding['section'] | undefined) => ({
    policy: check,
    ...(section ? { category: sectionTitle(section) } : {}),
    ...(severity ? { severity } : {}),
    source: 'kubeward' as const,
    timestamp,
  });

  for (const f of report.findings) {
    const properties = propertiesOf(f.location, f.field);
    if (f.exception) {
      properties.exception = f.exception.reason;
      if (f.exception.expires) properties.exceptionExpires = f.exception.expires;
    }
    add(f.resource.namespace, {
      ...base(f.check, f.severity, f.section),
      result: f.status === 'fail' ? 'fail' : 'skip',
      message: f.status === 'excepted' ? `excepted (${f.exception?.reason ?? 'exceptions file'}): ${f.message}` : f.message,
      scored: f.status === 'fail',
      resources: [referenceOf(f.resource)],
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    });
  }
  for (const p of report.passes ?? []) {
    const check = checks.get(p.check);
    const properties = propertiesOf(p.location);
    add(p.resource.namespace, {
      ...base(p.check, check?.severity, check?.section),
      result: 'pass',
      message: check?.title ?? p.check,
      scored: true,
      resources: [referenceOf(p.resource)],
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    });
  }
  // An incomplete scan must not look complete on a dashboard.
  for (const e of report.errors) {
    add(undefined, {
      ...base('scan-input', undefined, undefined),
      result: 'error',
      message: `${fileLine(e.source, e.line)}: ${e.message}`,
      scored: false,
    });
  }

  const out: K8sObject[] = [];
  for (const namespace of [...groups.keys()].sort()) {
    const results = sortResults(groups.get(namespace)!);
    const cluster = namespace === '';
    const kind = cluster ? kinds.cluster : kinds.namespaced;
    const name = cluster ? clusterReportName(options.node) : NAMESPACE_REPORT_NAME;
    const chunks = split(results, options.maxBytes ?? MAX_REPORT_BYTES);
    chunks.forEach((chunk, i) => {
      out.push({
        apiVersion: `${kind.group}/${kind.version}`,
        kind: kind.kind,
        metadata: {
          name: chunkName(name, i + 1),
          ...(cluster ? {} : { namespace }),
          labels: { ...MANAGED_BY, [SCOPE_LABEL]: options.node ? nodeLabel(options.node) : 'cluster' },
        },
        ...(options.node ? { scope: { apiVersion: 'v1', kind: 'Node', name: options.node } } : {}),
        // openreports has a report-level source; v1alpha2 only the results' own.
        ...(options.api === 'openreports' ? { source: 'kubeward' } : {}),
        summary: summaryOf(chunk),
        results: chunk,
      });
    });
  }
  return out;
}

/** `kubeward scan --format policyreport`: the reports as one List, in JSON (kubectl apply -f reads it). */
export function formatPolicyReports(report: Report, options: PolicyReportOptions): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: policyReports(report, options) }, null, 2)}\n`;
}

function referenceOf(ref: ResourceRef): Record<string, string> {
  return {
    ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}),
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}

function propertiesOf(location: Location | undefined, field?: string): Record<string, string> {
  return {
    ...(field ? { field } : {}),
    ...(location ? { file: location.file } : {}),
    ...(location?.line ? { line: String(location.line) } : {}),
  };
}

function summaryOf(results: PolicyResult[]): Record<ResultStatus | 'warn', number> {
  const summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result]++;
  return summary;
}

/** Sorted by policy, resource, field and message: the same scan always splits the same way. */
function sortResults(results: PolicyResult[]): PolicyResult[] {
  const keyed = results.map((r) => {
    const res = r.resources?.[0];
    return { r, key: [r.policy, res?.namespace ?? '', res?.kind ?? '', res?.name ?? '', r.properties?.field ?? '', r.message].join('\u0000') };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}

/** Consecutive runs of results, each at most maxBytes of JSON; always at least one (maybe empty). */
function split(results: PolicyResult[], maxBytes: number): PolicyResult[][] {
  const chunks: PolicyResult[][] = [[]];
  let bytes = 0;
  for (const r of results) {
    const size = Buffer.byteLength(JSON.stringify(r)) + 1;
    if (bytes + size > maxBytes && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1]!.push(r);
    bytes += size;
  }
  return chunks;
}

/** A label value for a node name: node names may be longer than a label value's 63 characters. */
function nodeLabel(node: string): string {
  const value = `node.${node}`;
  if (value.length <= 63) return value;
  return `node.${node.slice(0, 40).replace(/[^A-Za-z0-9]+$/, '')}.${createHash('sha256').update(node).digest('hex').slice(0, 12)}`;
}
