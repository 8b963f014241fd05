// `--report-to-cluster`: writes a scan's PolicyReports (or openreports Reports) with server-side
// apply under the field manager "kubeward", then deletes the reports of its own it no longer
// writes. Only create, patch and delete are needed (deploy/ grants exactly those): report names
// are deterministic (NAME, NAME-2, NAME-3...), so the stale ones are found without listing:
// after the N chunks it applied in a scope, kubeward deletes chunk N+1, N+2... until one is not
// there. A scope is a namespace the scan saw (its report goes when nothing is left to say) or
// the cluster-scoped report (of the scan, or of one node agent).

import { NAMESPACE_REPORT_NAME, REPORT_KINDS, chunkName, clusterReportName, policyReports, type ReportApi, type ReportKind } from '../report/policyreport.js';
import type { Report } from '../report/types.js';
import { ApiClient, ApiError } from '../sources/cluster/client.js';
import { connect, type ClusterTarget } from '../sources/cluster/connection.js';

const FIELD_MANAGER = 'kubeward';

export interface WriteOptions {
  api: ReportApi;
  /** A node agent's run: one cluster-scoped report scoped to this Node. */
  node?: string;
  /** The namespaces the scan read: their stale reports are deleted even when none is written. */
  namespaces: readonly string[];
}

export interface WriteSummary {
  applied: { kind: string; namespace?: string; name: string; bytes: number }[];
  deleted: { kind: string; namespace?: string; name: string }[];
  /** Namespaces gone between the scan and the write: nothing was written there. */
  vanished: string[];
}

/** The API the reports need is not served: its CRDs are not installed. */
export class ReportApiMissingError extends Error {
  override name = 'ReportApiMissingError';
}

const CRD_SOURCES: Record<ReportApi, string> = {
  wgpolicy: 'https://github.com/kubernetes-sigs/wg-policy-prototypes/tree/master/policy-report/crd/v1alpha2 (Kyverno and Policy Reporter install them too)',
  openreports: 'https://github.com/openreports/reports-api/tree/main/config/crd',
};

export async function writeReports(client: ApiClient, report: Report, options: WriteOptions): Promise<WriteSummary> {
  const kinds = REPORT_KINDS[options.api];
  const needed = options.node ? [kinds.cluster] : [kinds.cluster, kinds.namespaced];
  for (const kind of needed) await requireServed(client, kind, options.api);

  const objects = policyReports(report, { api: options.api, ...(options.node ? { node: options.node } : options.namespaces.length > 0 ? { namespaces: new Set(options.namespaces) } : {}) });
  const summary: WriteSummary = { applied: [], deleted: [], vanished: [] };
  // Per scope ('' = the cluster-scoped report), how many chunks were applied.
  const counts = new Map<string, number>();
  await Promise.all(objects.map(async (object) => {
    const kind = object.metadata?.namespace ? kinds.namespaced : kinds.cluster;
    const namespace = object.metadata?.namespace ?? '';
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
    const data = JSON.stringify(object);
    try {
      await client.writeJson('PATCH', `${pathOf(kind, namespace, object.metadata!.name!)}?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict`, { contentType: 'application/apply-patch+yaml', data });
      summary.applied.push({ kind: kind.kind, ...(namespace ? { namespace } : {}), name: object.metadata!.name!, bytes: Buffer.byteLength(data) });
    } catch (e) {
      // A namespace deleted since the scan read it: its reports went with it.
      if (namespace && e instanceof ApiError && e.status === 404 && e.message.includes(`namespaces "${namespace}" not found`)) {
        if (!summary.vanished.includes(namespace)) summary.vanished.push(namespace);
      }
      else throw e;
    }
  }));

  const scopes: [ReportKind, string, string][] = options.node
    ? [[kinds.cluster, '', clusterReportName(options.node)]]
    : [[kinds.cluster, '', clusterReportName()], ...[...new Set([...options.namespaces, ...counts.keys()])].filter((ns) => ns && !summary.vanished.includes(ns)).map((ns): [ReportKind, string, string] => [kinds.namespaced, ns, NAMESPACE_REPORT_NAME])];
  await Promise.all(scopes.map(async ([kind, namespace, base]) => {
    for (let i = (counts.get(namespace) ?? 0) + 1; ; i++) {
      const name = chunkName(base, i);
      try {
        await client.writeJson('DELETE', pathOf(kind, namespace, name));
        summary.deleted.push({ kind: kind.kind, ...(namespace ? { namespace } : {}), name });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return;
        throw e;
      }
    }
  }));
  return summary;
}

/** Connects as the scan did (kubeconfig, context, or the pod's service account) and writes. */
export async function reportToCluster(report: Report, target: ClusterTarget, options: WriteOptions): Promise<WriteSummary> {
  const connection = await connect(target, 8);
  return writeReports(new ApiClient(connection), report, options);
}

/** One line for stderr: what was written where. */
export function describeWrite(summary: WriteSummary): string {
  const kinds = [...new Set(summary.applied.map((a) => a.kind))].map((k) => `${summary.applied.filter((a) => a.kind === k).length} ${k}`).join(', ');
  const largest = Math.max(0, ...summary.applied.map((a) => a.bytes));
  const gone = [...summary.vanished].sort();
  const vanished = gone.length === 0 ? '' : `; ${gone.length} namespace(s) no longer exist, nothing written there: ${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', ...' : ''}`;
  return `wrote ${kinds || 'no reports'} (largest ${(largest / 1024).toFixed(0)} KiB), deleted ${summary.deleted.length} stale${vanished}`;
}

async function requireServed(client: ApiClient, kind: ReportKind, api: ReportApi): Promise<void> {
  const groupVersion = `${kind.group}/${kind.version}`;
  let resources: { name?: string }[] = [];
  try {
    resources = ((await client.getJson(`/apis/${groupVersion}`)) as { resources?: { name?: string }[] }).resources ?? [];
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  if (!resources.some((r) => r.name === kind.plural)) {
    const other = api === 'wgpolicy' ? 'openreports' : 'wgpolicy';
    throw new ReportApiMissingError(`the cluster does not serve ${kind.plural}.${kind.group} (${groupVersion} ${kind.kind}): its CRDs are not installed. Install them (${CRD_SOURCES[api]}) or use --report-api ${other} if that API is installed.`);
  }
}

function pathOf(kind: ReportKind, namespace: string, name: string): string {
  const scope = kind.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `/apis/${kind.group}/${kind.version}${scope}/${kind.plural}/${encodeURIComponent(name)}`;
}
