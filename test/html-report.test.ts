// `--format html` in a real headless browser (Debian's chromium, driven by playwright-core):
// the DOM agrees with the JSON report, every filter shows the rows it should, the page requests
// nothing and logs no error, a 10,000-finding report opens and filters exactly (its speed is
// `npm run bench -- html`), no Secret value is in the file. Screenshots (desktop, narrow) go to
// test-artifacts/html-report/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { generateCluster, toJsonList } from '../bench/generate.js';
import { SECTIONS } from '../src/checks/sections.js';
import { describeRef } from '../src/inventory/types.js';
import type { Finding, Report } from '../src/report/types.js';
import { kubeward, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/html-report');
// .ci/run installs chromium; elsewhere the suite says why it did not run, and CI must not skip.
const SKIP = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install chromium)`;
if (SKIP && process.env.CI === 'true') throw new Error(`${SKIP}: CI needs the browser tests`);

interface Opened {
  page: Page;
  /** URLs the page asked for besides its own file. */
  requests: string[];
  errors: string[];
}

/** The text the page's free-text filter searches, as the report's data gives it. */
const hay = (f: Finding) => [describeRef(f.resource), f.message, f.check, f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : '', f.field ?? '', f.resource.namespace ?? '', f.exception?.reason ?? ''].join('\n').toLowerCase();

describe('kubeward scan --format html, in chromium', { skip: SKIP }, () => {
  let context: BrowserContext;
  const work = mkdtempSync(join(tmpdir(), 'kubeward-html-'));
  const userData = mkdtempSync(join(tmpdir(), 'kubeward-chromium-'));

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1366, height: 900 },
    });
  });
  after(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  });

  /** Writes a scan of `args` as HTML and JSON; the HTML's exit code and text. */
  function scan(name: string, args: string[]): { html: string; json: Report; path: string } {
    const path = join(work, `${name}.html`);
    const html = kubeward(['scan', ...args, '--format', 'html', '--fail-on', 'none', '-o', path]);
    assert.equal(html.status, 0, html.stderr);
    const json = kubeward(['scan', ...args, '--format', 'json', '--fail-on', 'none']);
    return { html: readFileSync(path, 'utf8'), json: JSON.parse(json.stdout) as Report, path };
  }

  async function open(path: string): Promise<Opened> {
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    const own = pathToFileURL(path).href;
    page.on('request', (r) => {
      if (r.url() !== own) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(own, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]');
    return { page, requests, errors };
  }

  /** Rows drawn (the table draws 200 at a time) and rows the filters match. */
  const visibleRows = (page: Page) => page.locator('tr.finding').count();
  const matched = async (page: Page) => Number(await page.locator('body').getAttribute('data-matches'));

  describe('the example cluster', () => {
    let report: Report;
    let opened: Opened;
    let html: string;

    before(async () => {
      const scanned = scan('insecure', [join(REPO_ROOT, 'examples/insecure-cluster')]);
      report = scanned.json;
      html = scanned.html;
      opened = await open(scanned.path);
    });
    after(() => opened?.page.close());

    it('is one self-contained file: no request, no error, a CSP that forbids requests', () => {
      assert.deepEqual(opened.requests, []);
      assert.deepEqual(opened.errors, []);
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
      assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i, 'nothing loads from elsewhere');
    });

    it('shows as many findings as the JSON report, every section, and the pictures', async () => {
      const { page } = opened;
      assert.ok(report.findings.length > 100);
      assert.equal(await page.locator('tr.finding').count(), report.findings.length);
      assert.equal(await visibleRows(page), report.findings.length);
      assert.equal(await page.locator('#shown').textContent(), `${report.findings.length} of ${report.findings.length} findings shown`);
      // All 17 sections in the chart and the section table, with the JSON's failure counts.
      for (const s of SECTIONS) {
        const fails = report.findings.filter((f) => f.section === s.slug && f.status === 'fail').length;
        assert.equal(await page.locator(`svg[data-testid="severity-chart"] g.chart-row[data-section="${s.slug}"]`).getAttribute('data-total'), String(fails), s.slug);
        assert.equal(await page.locator(`#section-table tr[data-section="${s.slug}"]`).count(), 1, s.slug);
      }
      // The escalation graph draws dev-alice's four steps to cluster-admin.
      const graph = page.locator('svg[data-testid="escalation-graph"]');
      assert.ok((await graph.locator('g.node').allTextContents()).includes('User dev-alice'));
      assert.equal(await graph.locator('g.node.target').filter({ hasText: 'cluster-admin' }).count(), 1);
      assert.match((await page.locator('ul.paths').textContent()) ?? '', /User dev-alice: 4 steps/);
      const namespaces = await page.locator('svg[data-testid="reachability-heatmap"] rect.cell').count();
      assert.equal(Math.sqrt(namespaces) % 1, 0);
      assert.ok(namespaces >= 4);
    });

    it('each filter shows exactly the rows it selects, and counts them in its options', async () => {
      const { page } = opened;
      const dims: [string, (f: Finding) => string][] = [
        ['s', (f) => f.section], ['v', (f) => f.severity], ['t', (f) => f.status], ['n', (f) => f.resource.namespace ?? ''], ['c', (f) => f.check],
      ];
      for (const [dim, of] of dims) {
        const values = await page.locator(`#filter-${dim} option`).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
        assert.ok(values.length >= 2, `filter ${dim} offers choices`);
        for (const value of values.slice(0, 4)) {
          const expected = report.findings.filter((f) => of(f) === value).length;
          assert.ok(expected > 0);
          await page.selectOption(`#filter-${dim}`, value);
          assert.equal(await visibleRows(page), expected, `${dim}=${value}`);
          assert.equal(await matched(page), expected);
          const shownValues = await page.locator('tr.finding').evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.i)));
          assert.equal(new Set(shownValues).size, expected);
          assert.match((await page.locator(`#filter-${dim} option:checked`).textContent()) ?? '', new RegExp(`\\(${expected}\\)$`));
        }
        await page.selectOption(`#filter-${dim}`, '');
      }
      // Filters combine: high failures of one section.
      await page.selectOption('#filter-v', 'high');
      await page.selectOption('#filter-s', 'pod-privileges');
      assert.equal(await visibleRows(page), report.findings.filter((f) => f.severity === 'high' && f.section === 'pod-privileges').length);
      await page.click('#filter-reset');
      await page.fill('#filter-text', 'dev-alice');
      const expected = report.findings.filter((f) => hay(f).includes('dev-alice')).length;
      assert.ok(expected > 0);
      assert.equal(await visibleRows(page), expected);
      await page.click('#filter-reset');
      assert.equal(await visibleRows(page), report.findings.length);
      assert.deepEqual(opened.errors, []);
    });

    it('a row opens to its message, file:line, field and the remediation', async () => {
      const { page } = opened;
      const f = report.findings.find((x) => x.status === 'fail' && x.field && x.location?.line && x.remediation)!;
      await page.fill('#filter-text', f.message.slice(0, 60).toLowerCase());
      await page.locator('tr.finding:not([hidden])').first().click();
      const detail = (await page.locator('tr.detail').first().textContent()) ?? '';
      assert.ok(detail.includes(f.message));
      assert.ok(detail.includes(`${f.location!.file}:${f.location!.line}`));
      assert.ok(detail.includes(f.field!));
      assert.ok(detail.includes(f.remediation!.split('\n')[0]!));
      await page.click('#filter-reset');
    });

    it('saves screenshots: desktop and a narrow window', async () => {
      const { page } = opened;
      await page.setViewportSize({ width: 1366, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, 'desktop.png'), fullPage: true });
      await page.screenshot({ path: join(ARTIFACTS, 'desktop-top.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, 'narrow.png') });
      // A narrow window scrolls no wider than itself at the top of the page.
      assert.ok(await page.evaluate(() => document.querySelector('header')!.scrollWidth <= 390));
      await page.setViewportSize({ width: 1366, height: 900 });
      assert.ok(readFileSync(join(ARTIFACTS, 'narrow.png')).length > 10_000);
    });
  });

  it('never holds a Secret value', () => {
    const value = 'kubeward-canary-pa55w0rd-7f3e';
    const tree = tempTree({
      'secret.yaml': `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
type: Opaque
data: {password: ${Buffer.from(value).toString('base64')}}
stringData: {token: ${value}}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  containers:
  - name: app
    image: nginx:1.27.1
    env: [{name: PASSWORD, value: ${value}}]
`,
    });
    try {
      const { html, json } = scan('secret', [tree.dir]);
      assert.ok(json.findings.length > 0);
      assert.ok(!html.includes(value) && !html.includes(Buffer.from(value).toString('base64')), 'the Secret value is in the HTML');
    } finally {
      tree.cleanup();
    }
  });

  // How fast it opens and filters is measured by `npm run bench -- html`, not asserted here.
  it('opens a 10,000-finding report: every finding counted, 200 rows drawn at a time, filters exact', async () => {
    const input = join(work, 'large.json');
    writeFileSync(input, toJsonList(generateCluster({ objects: 40_000 })));
    const { json, path } = scan('large', [input]);
    assert.ok(json.findings.length >= 10_000, `${json.findings.length} findings`);
    const opened = await open(path);
    try {
      assert.equal(await matched(opened.page), json.findings.length);
      assert.equal(await opened.page.locator('#shown').textContent(), `${json.findings.length} of ${json.findings.length} findings shown`);
      // The table draws the first 200 rows; "show more" adds the next 200.
      assert.equal(await visibleRows(opened.page), 200);
      await opened.page.click('#show-more');
      assert.equal(await visibleRows(opened.page), 400);
      await opened.page.selectOption('#filter-v', 'medium');
      await opened.page.fill('#filter-text', 'team-1');
      const expected = json.findings.filter((f) => f.severity === 'medium' && hay(f).includes('team-1')).length;
      assert.ok(expected > 0 && expected < json.findings.length, `${expected} findings match the filters`);
      assert.equal(await matched(opened.page), expected);
      assert.equal(await visibleRows(opened.page), Math.min(200, expected));
      assert.deepEqual(opened.requests, []);
      assert.deepEqual(opened.errors, []);
    } finally {
      await opened.page.close();
    }
  });
});
