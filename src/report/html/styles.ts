// The HTML report's style sheet, inlined (and allowed by its hash in the page's CSP). System
// fonts only, so no font file is embedded or fetched. Print: filters hidden, every picture kept.

export const STYLES = `
:root { --critical: #7b1fa2; --high: #c62828; --medium: #e65100; --low: #0277bd; --info: #616161;
  --fg: #1d2330; --muted: #5f6878; --line: #d9dee7; --bg: #ffffff; --band: #f4f6fa; --accent: #1f4fbf; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #17233b; color: #fff; padding: 18px 28px 14px; }
header h1 { margin: 0 0 10px; font-size: 22px; letter-spacing: .2px; }
header code { color: #dfe8ff; }
.overview { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
.overview dt { color: #aab6cf; }
.overview dd { margin: 0; overflow-wrap: anywhere; }
.overview .muted { color: #aab6cf; }
main { padding: 8px 28px 28px; max-width: 1500px; }
h2 { font-size: 18px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h4 { margin: 10px 0 4px; }
.hint, .muted { color: var(--muted); }
code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; background: var(--band); padding: 8px 10px; border-radius: 4px; margin: 4px 0; }
.sev { display: inline-block; min-width: 62px; text-align: center; padding: 1px 6px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.sev-critical { background: var(--critical); fill: var(--critical); }
.sev-high { background: var(--high); fill: var(--high); }
.sev-medium { background: var(--medium); fill: var(--medium); }
.sev-low { background: var(--low); fill: var(--low); }
.sev-info { background: var(--info); fill: var(--info); }
.totals .sev { margin-right: 2px; }
.sev-text-critical { color: var(--critical); font-weight: 700; }
.sev-text-high { color: var(--high); font-weight: 700; }
.sev-text-medium { color: var(--medium); font-weight: 700; }
.sev-text-low { color: var(--low); font-weight: 700; }
.sev-text-info { color: var(--info); font-weight: 700; }
.zero { color: #b3bac6; }
.incomplete { color: var(--high); }
.badge { display: inline-block; padding: 0 5px; border-radius: 3px; background: #fff3c4; color: #6d4c00; border: 1px solid #e8c64d; font-size: 11px; font-weight: 700; text-transform: uppercase; }
.table-box, .graph-box, .heatmap-box, .chart-box { overflow-x: auto; }
/* Filtering redraws the table and option counts: the pictures and other sections are not laid out again. */
.graph-box, .heatmap-box, .chart-box, #sections, #not-evaluated, #baseline, #escalation, #reachability { contain: content; }
.chart-box svg { width: 100%; max-width: 1060px; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; fill: var(--fg); }
svg .grid { stroke: var(--line); }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .total { font-weight: 700; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--band); position: sticky; top: 0; font-weight: 600; }
table.sections td { text-align: right; font-variant-numeric: tabular-nums; }
table.sections th .muted { font-weight: normal; font-size: 12px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; background: var(--band); padding: 10px 12px; border-radius: 6px; position: sticky; top: 0; z-index: 2; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.filters select, .filters input { font: inherit; font-size: 13px; padding: 3px 4px; width: 200px; border: 1px solid #b9c1cf; border-radius: 4px; background: #fff; color: var(--fg); }
.filters .text input { width: 240px; }
#show-more { margin: 10px 0; font: inherit; padding: 5px 14px; border: 1px solid #b9c1cf; border-radius: 4px; background: #fff; cursor: pointer; }
.filters button { font: inherit; padding: 4px 12px; border: 1px solid #b9c1cf; border-radius: 4px; background: #fff; cursor: pointer; }
table.findings { table-layout: fixed; }
table.findings th:nth-child(1) { width: 92px; } table.findings th:nth-child(2) { width: 120px; }
table.findings th:nth-child(3) { width: 130px; } table.findings th:nth-child(4) { width: 22%; } table.findings th:nth-child(5) { width: 20%; }
tr.finding { cursor: pointer; }
tr.finding td { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
tr.finding:hover, tr.finding:focus { background: #eef3ff; outline: none; }
tr.finding.open td { white-space: normal; overflow-wrap: anywhere; background: #eef3ff; }
tr.finding.is-new td:first-child { box-shadow: inset 3px 0 0 #e8c64d; }
tr.st-not-evaluated, tr.st-excepted { color: var(--muted); }
tr.detail > td { background: #fbfcfe; padding: 6px 16px 12px; }
tr.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 4px 0; }
tr.detail dt { color: var(--muted); }
tr.detail dd { margin: 0; overflow-wrap: anywhere; }
.refs { color: var(--muted); font-size: 12.5px; margin: 4px 0; }
.graph-box svg { max-width: 100%; height: auto; }
.graph .edge path { fill: none; stroke: #7c8799; stroke-width: 1.4; }
.graph .arrowhead { fill: #7c8799; }
.graph .edge-label { font-size: 10.5px; fill: #4a5365; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.graph .node rect { fill: #e8f0ff; stroke: var(--accent); stroke-width: 1.2; }
.graph .node.hub rect { fill: #f6f7f9; stroke: #8a94a6; stroke-dasharray: 4 3; }
.graph .node.target rect { fill: #fde7e7; stroke: var(--high); stroke-width: 2; }
.graph .node.target text { font-weight: 700; fill: var(--high); }
.paths { columns: 2 320px; color: var(--muted); }
.heatmap-box svg { max-width: 100%; height: auto; }
.heatmap .cell.allowed, .key.allowed { fill: #e57373; background: #e57373; }
.heatmap .cell.denied, .key.denied { fill: #81c784; background: #81c784; }
.heatmap .cell.undecided, .key.undecided { fill: #cfd4dc; background: #cfd4dc; }
.key { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-left: 6px; }
details summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
footer { color: var(--muted); padding: 12px 28px 24px; font-size: 12px; border-top: 1px solid var(--line); }
@media (max-width: 720px) {
  header, main, footer { padding-left: 12px; padding-right: 12px; }
  .overview { grid-template-columns: 1fr; }
  .overview dt { margin-top: 4px; }
  .filters { position: static; }
  .filters label, .filters select, .filters .text input { width: 100%; max-width: none; }
  table.findings th:nth-child(3), table.findings td:nth-child(3), table.findings th:nth-child(4), table.findings td:nth-child(4),
  table.findings th:nth-child(2), table.findings td:nth-child(2) { display: none; }
  table.findings th:nth-child(5) { width: 38%; }
}
@media print {
  body { font-size: 11px; }
  header { background: none; color: var(--fg); border-bottom: 2px solid var(--fg); padding: 0 0 8px; }
  header code, .overview dt, .overview .muted { color: var(--fg); }
  main, footer { padding-left: 0; padding-right: 0; max-width: none; }
  .filters, #filter-reset, #show-more, noscript { display: none; }
  thead th, .filters { position: static; }
  .sev, .key, svg rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr.finding td { white-space: normal; }
  tr, svg { break-inside: avoid; }
  h2 { break-after: avoid; }
  details::details-content { content-visibility: visible; display: block; }
}
`;
