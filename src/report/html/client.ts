// Runs in the browser, inlined in the HTML report by html/index.ts: draws the findings table
// from the report's data, filters it and opens each row to its details. It imports nothing and
// requests nothing; the page's Content-Security-Policy would refuse any request anyway.

interface Row {
  /** section, severity, status, namespace, check, baseline state: the filtered dimensions. */
  s: string;
  v: string;
  t: string;
  n: string;
  c: string;
  b: string;
  /** resource, message, where (file:line), field, exception, remediation index, fingerprint. */
  r: string;
  m: string;
  w: string;
  f: string;
  x: string;
  e: number;
  p: string;
}

interface CheckDoc {
  title: string;
  what: string;
  why: string;
  refs: string[];
}

interface Data {
  rows: Row[];
  checks: Record<string, CheckDoc>;
  remediations: string[];
  sections: [string, string][];
  severities: string[];
}

const DIMS = ['s', 'v', 't', 'n', 'c', 'b'] as const;
type Dim = (typeof DIMS)[number];

const data = JSON.parse(document.getElementById('kubeward-data')!.textContent!) as Data;
const sectionTitle = new Map(data.sections);
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STATUS_LABEL: Record<string, string> = { fail: 'fail', excepted: 'excepted', 'not-evaluated': 'not evaluated' };

/**
 * Rows drawn at a time: a browser lays out a table of 10,000 rows in seconds, so the table
 * shows the first matches and "show more" adds the next ones; filters and counts use all rows.
 */
const PAGE = 200;
const tbody = document.getElementById('rows')!;
const more = document.getElementById('show-more') as HTMLButtonElement;
let matches: number[] = [];
let drawn = 0;

const rowHtml = (i: number) => {
  const row = data.rows[i]!;
  return `<tr data-i="${i}" tabindex="0" class="finding st-${row.t}${row.b === 'new' ? ' is-new' : ''}">` +
    `<td><span class="sev sev-${row.v}">${row.v}</span></td>` +
    `<td>${STATUS_LABEL[row.t] ?? esc(row.t)}${row.b === 'new' ? ' <span class="badge">new</span>' : ''}</td>` +
    `<td class="section" title="${esc(sectionTitle.get(row.s) ?? row.s)}">${esc(row.s)}</td>` +
    `<td class="check">${esc(row.c)}</td><td class="resource">${esc(row.r)}</td><td class="message">${esc(row.m)}</td></tr>`;
};

/** Draws the matching rows up to `count`: from the start, or appending to what is drawn. */
function draw(count: number, append: boolean): void {
  const upto = Math.min(count, matches.length);
  const html = matches.slice(append ? drawn : 0, upto).map(rowHtml).join('');
  if (append) tbody.insertAdjacentHTML('beforeend', html);
  else tbody.innerHTML = html;
  drawn = upto;
  const left = matches.length - drawn;
  more.hidden = left === 0;
  more.textContent = `Show ${Math.min(left, PAGE)} more (${left} not shown)`;
}
/** Each filtered dimension as one array over the rows, for the filter loop. */
const columns = DIMS.map((dim) => data.rows.map((r) => r[dim]));
const hay = data.rows.map((r) => `${r.r}\n${r.m}\n${r.c}\n${r.w}\n${r.f}\n${r.n}\n${r.x}`.toLowerCase());

const selects = new Map<Dim, HTMLSelectElement>();
for (const dim of DIMS) {
  const select = document.getElementById(`filter-${dim}`) as HTMLSelectElement | null;
  if (select) selects.set(dim, select);
}
const text = document.getElementById('filter-text') as HTMLInputElement;
const shown = document.getElementById('shown')!;

/** Option values of each filter in their display order. */
const order: Record<Dim, string[]> = {
  s: data.sections.map(([slug]) => slug),
  v: data.severities,
  t: ['fail', 'excepted', 'not-evaluated'],
  n: [...new Set(data.rows.map((r) => r.n))].sort(),
  c: [...new Set(data.rows.map((r) => r.c))].sort(),
  b: ['new', 'unchanged'],
};
const optionLabel = (dim: Dim, value: string) =>
  dim === 's' ? sectionTitle.get(value) ?? value : dim === 't' ? STATUS_LABEL[value] ?? value : dim === 'n' && value === '' ? '(cluster-wide)' : value;

/**
 * Shows the rows every filter accepts, and next to each option of a filter the number of rows
 * it would show with the other filters as they are.
 */
function apply(): void {
  const wanted = DIMS.map((dim) => selects.get(dim)?.value ?? '');
  const needle = text.value.trim().toLowerCase();
  const counts = DIMS.map(() => new Map<string, number>());
  matches = [];
  for (let i = 0; i < data.rows.length; i++) {
    if (needle && !hay[i]!.includes(needle)) continue;
    let misses = 0;
    let missed = -1;
    for (let d = 0; d < DIMS.length; d++) {
      if (wanted[d] && columns[d]![i] !== wanted[d]) {
        misses++;
        missed = d;
      }
    }
    if (misses === 0) {
      matches.push(i);
      for (let d = 0; d < DIMS.length; d++) bump(counts[d]!, columns[d]![i]!);
    } else if (misses === 1) bump(counts[missed]!, columns[missed]![i]!);
  }
  draw(PAGE, false);
  shown.textContent = `${matches.length} of ${data.rows.length} findings shown`;
  document.body.dataset.matches = String(matches.length);
  DIMS.forEach((dim, d) => {
    const select = selects.get(dim);
    if (!select) return;
    const options = select.options;
    let total = 0;
    for (const n of counts[d]!.values()) total += n;
    if (options[0]!.textContent !== `all (${total})`) options[0]!.textContent = `all (${total})`;
    for (let o = 1; o < options.length; o++) {
      const option = options[o]!;
      const label = `${optionLabel(dim, option.value)} (${counts[d]!.get(option.value) ?? 0})`;
      // Only what changed: every option written would be laid out again.
      if (option.textContent !== label) option.textContent = label;
    }
  });
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

more.addEventListener('click', () => draw(drawn + PAGE, true));

for (const [dim, select] of selects) {
  select.innerHTML = `<option value="">all</option>${order[dim].filter((v) => data.rows.some((r) => r[dim] === v)).map((v) => `<option value="${esc(v)}"></option>`).join('')}`;
  select.addEventListener('change', apply);
}
text.addEventListener('input', apply);
document.getElementById('filter-reset')!.addEventListener('click', () => {
  for (const select of selects.values()) select.value = '';
  text.value = '';
  apply();
});

function toggle(tr: HTMLTableRowElement): void {
  const i = Number(tr.dataset.i);
  if (tr.classList.contains('open')) {
    tr.nextElementSibling?.remove();
    tr.classList.remove('open');
    return;
  }
  const row = data.rows[i]!;
  const doc = data.checks[row.c];
  const item = (label: string, value: string) => (value ? `<dt>${label}</dt><dd>${esc(value)}</dd>` : '');
  const detail = document.createElement('tr');
  detail.className = 'detail';
  detail.innerHTML = `<td colspan="6"><dl>${item('Message', row.m)}${item('Object', row.r)}${item('Read from', row.w)}${item('Field', row.f)}` +
    `${item('Excepted', row.x)}${item('Section', sectionTitle.get(row.s) ?? row.s)}${item('Fingerprint', row.p)}</dl>` +
    (doc ? `<div class="explain"><h4>${esc(row.c)}: ${esc(doc.title)}</h4><p>${esc(doc.what)}</p><p><strong>Why it matters.</strong> ${esc(doc.why)}</p>` : '') +
    (row.e >= 0 ? `<h4>Remediation</h4><pre>${esc(data.remediations[row.e]!)}</pre>` : '') +
    (doc && doc.refs.length > 0 ? `<ul class="refs">${doc.refs.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '') +
    `${doc ? '</div>' : ''}</td>`;
  tr.after(detail);
  tr.classList.add('open');
}

tbody.addEventListener('click', (event) => {
  const tr = (event.target as Element).closest<HTMLTableRowElement>('tr.finding');
  if (tr) toggle(tr);
});
tbody.addEventListener('keydown', (event) => {
  const tr = (event.target as Element).closest<HTMLTableRowElement>('tr.finding');
  if (tr && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    toggle(tr);
  }
});

apply();
document.body.dataset.ready = String(Math.round(performance.now()));
