// Every real-world install manifest in the real-world corpus scans without an input error, with
// the objects per kind that SOURCES.md lists, and its JSON report meets the schema.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { formatReport } from '../src/report/index.js';
import { runScan } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { parseDocuments } from '../src/sources/documents.js';
import { emptyLoadResult } from '../src/sources/types.js';
import { corpus, describeWithCorpus } from '../src/testing/corpus.js';
import { reportValidator } from '../src/testing/report-schema.js';

const REAL_WORLD = corpus('real-world').path;
const validateReport = reportValidator();

/** The "Kinds per file" table of SOURCES.md: file -> kind -> count. */
function expectedKinds(): Map<string, Record<string, number>> {
  const text = readFileSync(join(REAL_WORLD, 'SOURCES.md'), 'utf8');
  const table = text.slice(text.indexOf('## Kinds per file'), text.indexOf('## Integrity'));
  const files = new Map<string, Record<string, number>>();
  for (const [, file, kinds] of table.matchAll(/^\| ([\w./-]+\.ya?ml) \| ([^|]+) \|$/gm)) {
    files.set(file!, Object.fromEntries(kinds!.split(',').map((k) => {
      const [kind, count] = k.trim().split(' ');
      return [kind!, Number(count)];
    })));
  }
  return files;
}

const sorted = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

describeWithCorpus('real-world', 'real-world manifests', () => {
  const expected = expectedKinds();

  it('SOURCES.md lists the eight manifests', () => {
    assert.equal(expected.size, 8);
  });

  for (const [file, kinds] of expected) {
    it(`${file}: no input error, every object of the kinds table read or counted as skipped`, async () => {
      const load = await loadPaths([join(REAL_WORLD, file)]);
      assert.deepEqual(load.errors, []);
      const seen: Record<string, number> = {};
      for (const item of load.items) seen[item.ref.kind] = (seen[item.ref.kind] ?? 0) + 1;
      for (const [kind, n] of Object.entries(load.skipped.byKind)) seen[kind] = (seen[kind] ?? 0) + n;
      assert.deepEqual(sorted(seen), sorted(kinds));
      assert.equal(load.skipped.notKubernetes, 0);
      assert.ok(load.items.every((i) => i.location.file.endsWith(file) && (i.location.line ?? 0) >= 1));

      const report = runScan(load, { now: new Date('2026-06-01T00:00:00Z') });
      const json = JSON.parse(formatReport(report, 'json', { color: false }));
      assert.ok(validateReport(json), JSON.stringify(validateReport.errors));
      assert.deepEqual(report.errors, []);
    });
  }

  it('custom resource instances beside the CRDs that define them are skipped and counted', () => {
    // Argo CD's install defines Application; an Application and a cert-manager Certificate are
    // custom resources kubeward does not check: counted by kind, never silently dropped.
    const argo = readFileSync(join(REAL_WORLD, 'argo-cd/install.yaml'), 'utf8');
    const text = `${argo}---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec: {project: default}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: argocd-tls, namespace: argocd}
`;
    const parsed = parseDocuments(text, 'argo-cd-with-apps.yaml');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.skipped.byKind, { Application: 1, Certificate: 1 });
    const load = emptyLoadResult();
    load.items.push(...parsed.items);
    load.skipped = parsed.skipped;
    const report = runScan(load);
    assert.deepEqual(report.skipped.byKind, { Application: 1, Certificate: 1 });
  });

  it('the whole folder scans as one cluster with a valid report', async () => {
    const report = runScan(await loadPaths([REAL_WORLD]), { now: new Date('2026-06-01T00:00:00Z') });
    const total = [...expected.values()].reduce((n, kinds) => n + Object.values(kinds).reduce((a, b) => a + b, 0), 0);
    assert.equal(report.sources[0]!.objects, total);
    assert.ok(validateReport(JSON.parse(formatReport(report, 'json', { color: false }))));
  });
});
