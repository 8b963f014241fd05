// What the HTML report draws besides findings: the RBAC escalation paths to cluster-admin and
// the namespace-to-namespace NetworkPolicy reachability, from the same engines and inventory
// as the checks. Only `scan --format html` computes them; JSON reports do not carry them.

import { netpolGraph } from '../../checks/network-access/netpol-graph.js';
import { reachabilityTable } from '../../engines/netpol/index.js';
import { describeCite } from '../../engines/rbac/escalation.js';
import { describeSubject } from '../../engines/rbac/index.js';
import { escalationPaths } from '../../engines/rbac/paths.js';
import { rbacScan } from '../../engines/rbac/scan.js';
import { buildInventory, createContext, resolveVersion } from '../../scan/run.js';
import type { LoadResult } from '../../sources/types.js';

export interface EscalationView {
  nodes: { id: string; label: string; kind: string }[];
  edges: { from: string; to: string; type: string; description: string; because: string[] }[];
  /** One line per subject: its path in words. */
  paths: { subject: string; steps: number }[];
  /** Subjects with a path that the drawing leaves out (see kubeward rbac paths). */
  omitted: number;
}

export interface ReachabilityView {
  namespaces: string[];
  /** allowed[from][to]: some pod of `from` reaches some pod of `to` on some port; null undecided. */
  allowed: (boolean | null)[][];
  /** Namespaces left out of the heat map (see kubeward netpol matrix). */
  omitted: number;
}

export interface ReportViews {
  escalation: EscalationView;
  reachability: ReachabilityView;
}

/** Beyond these a drawing stops being readable; the CLI commands give the full answer. */
const MAX_SUBJECTS = 40;
const MAX_NAMESPACES = 60;

export function reportViews(load: LoadResult, options: { k8sVersion?: string; defaultNamespace?: string; now: Date }): ReportViews {
  const inventory = buildInventory(load, options.defaultNamespace);
  const ctx = createContext(inventory, resolveVersion(inventory, load, options.k8sVersion).version, options.now);

  const graph = rbacScan(ctx).graph();
  const all = escalationPaths(graph, { to: 'cluster-admin' });
  const drawn = all.slice(0, MAX_SUBJECTS);
  const edges = [...new Set(drawn.flatMap((p) => p.edges))];
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const escalation: EscalationView = {
    nodes: ids.map((id) => {
      const node = graph.nodes.get(id);
      return { id, label: node?.label ?? id, kind: node?.kind ?? 'hub' };
    }),
    edges: edges.map((e) => ({ from: e.from, to: e.to, type: e.type, description: e.description, because: e.cites.map(describeCite) })),
    paths: drawn.map((p) => ({ subject: describeSubject(p.subject), steps: p.edges.length })),
    omitted: all.length - drawn.length,
  };

  // The namespaces with the most pods first, when there are too many to draw.
  const netpol = netpolGraph(ctx);
  const pods = new Map<string, number>();
  for (const e of netpol.endpoints) pods.set(e.namespace, (pods.get(e.namespace) ?? 0) + 1);
  const namespaces = [...pods.keys()].sort((a, b) => pods.get(b)! - pods.get(a)! || a.localeCompare(b)).slice(0, MAX_NAMESPACES).sort();
  const table = reachabilityTable(netpol, { namespaces });
  return { escalation, reachability: { namespaces: table.rows, allowed: table.allowed, omitted: pods.size - namespaces.length } };
}
