// Escalation paths from subjects to a target, and their renderings (text, JSON, Graphviz dot,
// Mermaid). Pure: strings in, strings out.

import { describeCite, EscalationGraph, isSystemSubject, nodeIdOf, type Cite, type Edge, type Target } from './escalation.js';
import { terminalLines } from '../../report/terminal.js';
import { compareSubjects, describeSubject } from './index.js';
import type { SubjectId } from './types.js';

export interface EscalationPath {
  subject: SubjectId;
  target: Target;
  edges: Edge[];
}

export interface PathQuery {
  to: Target;
  /** Only this subject; otherwise every subject named in a binding. */
  from?: SubjectId;
  /** Include the API server's own identities (system:* users and groups, kube-system accounts). */
  includeSystem?: boolean;
}

export function escalationPaths(graph: EscalationGraph, query: PathQuery): EscalationPath[] {
  const next = graph.shortestPaths(query.to);
  const subjects = query.from
    ? [query.from]
    : [...graph.nodes.values()].flatMap((n) => (n.subject ? [n.subject] : [])).filter((s) => query.includeSystem || !isSystemSubject(s));
  const out: EscalationPath[] = [];
  for (const subject of subjects.sort(compareSubjects)) {
    const edges = EscalationGraph.pathFrom(nodeIdOf(subject), next);
    if (edges && edges.length > 0) out.push({ subject, target: query.to, edges });
  }
  return out;
}

export const PATH_FORMATS = ['text', 'json', 'dot', 'mermaid'] as const;
export type PathFormat = (typeof PATH_FORMATS)[number];

export function formatPaths(graph: EscalationGraph, paths: EscalationPath[], format: PathFormat): string {
  switch (format) {
    case 'json': return `${JSON.stringify({ paths: paths.map((p) => pathJson(graph, p)) }, null, 2)}\n`;
    case 'dot': return dot(graph, paths);
    case 'mermaid': return mermaid(graph, paths);
    default: return text(graph, paths);
  }
}

const label = (graph: EscalationGraph, id: string) => graph.nodes.get(id)?.label ?? id;

function citeJson(c: Cite) {
  return { binding: c.binding, role: c.role, rule: c.rule, ruleIndex: c.ruleIndex };
}

function pathJson(graph: EscalationGraph, p: EscalationPath) {
  return {
    subject: p.subject,
    target: p.target,
    steps: p.edges.map((e) => ({ from: label(graph, e.from), to: label(graph, e.to), type: e.type, description: e.description, because: e.cites.map(citeJson) })),
  };
}

/** One path in words, as findings and `rbac paths` print it. */
export function describePath(graph: EscalationGraph, p: EscalationPath): string {
  return [describeSubject(p.subject), ...p.edges.map((e) => `[${e.type}] ${label(graph, e.to)}`)].join(' -> ');
}

function text(graph: EscalationGraph, paths: EscalationPath[]): string {
  if (paths.length === 0) return 'No escalation path found.\n';
  const lines: string[] = [];
  for (const p of paths) {
    if (lines.length > 0) lines.push('');
    lines.push(`${describeSubject(p.subject)} => ${p.target} (${p.edges.length} step${p.edges.length === 1 ? '' : 's'})`);
    p.edges.forEach((e, i) => {
      lines.push(`  ${i + 1}. ${label(graph, e.from)} -> ${label(graph, e.to)} [${e.type}]: ${e.description}`);
      for (const c of e.cites) lines.push(`       because ${describeCite(c)}`);
    });
  }
  // Names come from the input: printed escaped (terminalLines), as every text output.
  return terminalLines(lines);
}

function unionEdges(paths: EscalationPath[]): Edge[] {
  return [...new Set(paths.flatMap((p) => p.edges))];
}

function dot(graph: EscalationGraph, paths: EscalationPath[]): string {
  const edges = unionEdges(paths);
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const q = (s: string) => JSON.stringify(s);
  const lines = ['digraph escalation {', '  rankdir=LR;', '  node [shape=box];'];
  for (const id of ids) {
    const kind = graph.nodes.get(id)?.kind;
    lines.push(`  ${q(id)} [label=${q(label(graph, id))}${kind === 'target' ? ', shape=doubleoctagon, color=red' : kind === 'hub' || kind === 'role' ? ', style=dashed' : ''}];`);
  }
  for (const e of edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.type)}];`);
  lines.push('}');
  return terminalLines(lines);
}

function mermaid(graph: EscalationGraph, paths: EscalationPath[]): string {
  const edges = unionEdges(paths);
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const short = new Map(ids.map((id, i) => [id, `n${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  for (const id of ids) {
    const kind = graph.nodes.get(id)?.kind;
    const text = esc(label(graph, id));
    lines.push(kind === 'target' ? `  ${short.get(id)}{{"${text}"}}` : `  ${short.get(id)}["${text}"]`);
  }
  for (const e of edges) lines.push(`  ${short.get(e.from)} -->|${e.type}| ${short.get(e.to)}`);
  return terminalLines(lines);
}
