// The HTML report's pictures, drawn when the report is written: the file carries the SVG that
// the layout libraries computed (d3-scale and d3-shape for the chart and heat map, dagre for
// the graph), not the libraries, so it opens at once, needs no script to show them and prints
// as vectors.

import dagre from '@dagrejs/dagre';
import { scaleBand, scaleLinear } from 'd3-scale';
import { curveBasis, line, stack } from 'd3-shape';
import { SECTIONS, SEVERITIES, type Severity } from '../../checks/sections.js';
import type { Finding } from '../types.js';
import type { EscalationView, ReachabilityView } from './views.js';

/** Markup-escaped text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Failures by severity for each of the 17 sections: a stacked horizontal bar chart. */
export function severityChart(findings: readonly Finding[]): string {
  const rows = SECTIONS.map((s) => {
    const row: Record<string, number> = Object.fromEntries(SEVERITIES.map((sev) => [sev, 0]));
    for (const f of findings) if (f.section === s.slug && f.status === 'fail') row[f.severity]!++;
    return { slug: s.slug as string, title: s.title as string, counts: row };
  });
  const width = 1000;
  const left = 450;
  const right = 50;
  const top = 28;
  const height = top + rows.length * 24 + 24;
  const y = scaleBand<string>().domain(rows.map((r) => r.slug)).range([top, height - 24]).padding(0.25);
  const max = Math.max(1, ...rows.map((r) => SEVERITIES.reduce((n, s) => n + r.counts[s]!, 0)));
  const x = scaleLinear().domain([0, max]).nice().range([left, width - right]);
  const layers = stack<{ slug: string; counts: Record<string, number> }, Severity>().keys(SEVERITIES).value((r, key) => r.counts[key]!)(rows);

  const out: string[] = [`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" data-testid="severity-chart">`,
    '<title id="chart-title">Failures by severity in each section of the guide</title>'];
  for (const tick of x.ticks(Math.min(max, 8))) {
    out.push(`<line class="grid" x1="${round(x(tick))}" x2="${round(x(tick))}" y1="${top - 4}" y2="${height - 24}"/>`,
      `<text class="tick" x="${round(x(tick))}" y="${height - 8}" text-anchor="middle">${tick}</text>`);
  }
  for (const r of rows) {
    const yy = y(r.slug)!;
    const total = SEVERITIES.reduce((n, s) => n + r.counts[s]!, 0);
    out.push(`<g class="chart-row" data-section="${r.slug}" data-total="${total}">`,
      `<text class="label" x="${left - 8}" y="${round(yy + y.bandwidth() / 2)}" dominant-baseline="central" text-anchor="end">${escapeHtml(r.title)}</text>`);
    for (const layer of layers) {
      const [x0, x1] = layer.find((d) => d.data.slug === r.slug)!;
      if (x1 === x0) continue;
      out.push(`<rect class="sev-${layer.key}" x="${round(x(x0))}" y="${round(yy)}" width="${round(x(x1) - x(x0))}" height="${round(y.bandwidth())}"><title>${escapeHtml(`${r.title}: ${x1 - x0} ${layer.key}`)}</title></rect>`);
    }
    out.push(`<text class="total" x="${round(x(total) + 6)}" y="${round(yy + y.bandwidth() / 2)}" dominant-baseline="central">${total}</text></g>`);
  }
  SEVERITIES.forEach((s, i) => {
    out.push(`<rect class="sev-${s}" x="${left + i * 100}" y="4" width="12" height="12"/><text class="tick" x="${left + i * 100 + 16}" y="14">${s}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** Namespace-to-namespace reachability as a heat map: rows are sources, columns destinations. */
export function reachabilityHeatmap(view: ReachabilityView): string {
  const n = view.namespaces.length;
  const cell = n > 30 ? 14 : 22;
  const labelWidth = Math.min(220, 16 + 7 * Math.max(4, ...view.namespaces.map((s) => s.length)));
  const size = labelWidth + n * cell + 8;
  const band = scaleBand<number>().domain(view.namespaces.map((_, i) => i)).range([labelWidth, labelWidth + n * cell]);
  const out: string[] = [`<svg class="heatmap" viewBox="0 0 ${size} ${size}" width="${size}" role="img" aria-labelledby="heat-title" data-testid="reachability-heatmap">`,
    '<title id="heat-title">Can some pod of the row namespace reach some pod of the column namespace?</title>'];
  view.namespaces.forEach((ns, i) => {
    const mid = round(band(i)! + cell / 2);
    out.push(`<text class="label" x="${labelWidth - 6}" y="${mid}" dominant-baseline="central" text-anchor="end">${escapeHtml(ns)}</text>`,
      `<text class="label" transform="translate(${mid},${labelWidth - 6}) rotate(-90)" dominant-baseline="central">${escapeHtml(ns)}</text>`);
  });
  view.allowed.forEach((row, r) => row.forEach((v, c) => {
    const state = v === true ? 'allowed' : v === false ? 'denied' : 'undecided';
    out.push(`<rect class="cell ${state}" x="${band(c)}" y="${band(r)}" width="${cell - 1}" height="${cell - 1}"><title>${escapeHtml(`${view.namespaces[r]} -> ${view.namespaces[c]}: ${state}`)}</title></rect>`);
  }));
  out.push('</svg>');
  return out.join('');
}

const CHAR = 6.6;

/** The escalation paths to cluster-admin as one graph, laid out left to right by dagre. */
export function escalationGraph(view: EscalationView): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 12, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes) g.setNode(node.id, { width: node.label.length * CHAR + 20, height: 28 });
  view.edges.forEach((e, i) => g.setEdge(e.from, e.to, { width: e.type.length * 5.6 + 6, height: 14, labelpos: 'c' }, String(i)));
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const path = line<{ x: number; y: number }>().x((p) => p.x).y((p) => p.y).curve(curveBasis);
  const out: string[] = [`<svg class="graph" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" role="img" aria-labelledby="graph-title" data-testid="escalation-graph">`,
    '<title id="graph-title">Escalation paths to cluster-admin</title>',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker></defs>'];
  view.edges.forEach((e, i) => {
    const label = g.edge(e.from, e.to, String(i));
    const tip = `${e.type}: ${e.description}${e.because.length > 0 ? `\nbecause ${e.because.join('\nbecause ')}` : ''}`;
    out.push(`<g class="edge"><path d="${path(label.points ?? []) ?? ''}" marker-end="url(#arrow)"><title>${escapeHtml(tip)}</title></path>`,
      `<text class="edge-label" x="${round(label.x ?? 0)}" y="${round(label.y ?? 0)}" text-anchor="middle" dominant-baseline="central">${escapeHtml(e.type)}</text></g>`);
  });
  for (const node of view.nodes) {
    const n = g.node(node.id);
    const kind = node.kind === 'target' ? 'target' : node.kind === 'hub' || node.kind === 'role' ? 'hub' : 'subject';
    out.push(`<g class="node ${kind}" data-kind="${escapeHtml(node.kind)}"><rect x="${round(n.x! - n.width / 2)}" y="${round(n.y! - n.height / 2)}" width="${round(n.width)}" height="${round(n.height)}" rx="6"/>`,
      `<text x="${round(n.x!)}" y="${round(n.y!)}" text-anchor="middle" dominant-baseline="central">${escapeHtml(node.label)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('');
}
