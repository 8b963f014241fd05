// kubeward fix --unsafe-fixes --write on the eight vendors' install manifests (copies): nothing
// new fails, every file still parses, the documents no fix touched keep their bytes, the written
// files scan as the fix said, and a second fix changes nothing.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { planFixes, writeFixes } from '../src/fix/run.js';
import { describeWithCorpus } from '../src/testing/corpus.js';

const NOW = new Date('2026-12-01T00:00:00Z');

/** The source text of each document of a YAML stream. */
function documents(text: string): string[] {
  const docs = parseAllDocuments(text);
  assert.ok(Array.isArray(docs));
  for (const d of docs) assert.deepEqual(d.errors, []);
  return docs.map((d, i) => text.slice(i === 0 ? 0 : docs[i - 1]!.range[2], d.range[2]));
}

describeWithCorpus('real-world', 'kubeward fix on real install manifests', (root) => {
  for (const vendor of readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    it(`${vendor}: no introduced finding, every file parses, untouched documents kept, idempotent`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `kubeward-fix-${vendor}-`));
      try {
        cpSync(join(root, vendor), dir, { recursive: true });
        const outcome = await planFixes({ paths: [dir], unsafe: true, now: NOW });
        assert.deepEqual(outcome.errors, []);
        assert.deepEqual(outcome.refused, []);
        assert.deepEqual(outcome.introduced.map((f) => `${f.check} ${f.resource.kind}/${f.resource.name}: ${f.message}`), []);
        assert.deepEqual(await writeFixes(outcome.changes), []);
        for (const change of outcome.changes.filter((c) => c.action === 'edit')) {
          const before = documents(change.before!);
          const after = documents(readFileSync(change.file, 'utf8'));
          assert.equal(after.length, before.length, 'documents keep their number and order');
          // A document whose bytes changed is one whose content a fix changed.
          before.forEach((doc, i) => {
            if (doc !== after[i]) assert.notDeepEqual(parseAllDocuments(after[i]!)[0]?.toJS(), parseAllDocuments(doc)[0]?.toJS(), `${change.file}: document ${i + 1} changed bytes without a fix`);
          });
        }
        const again = await planFixes({ paths: [dir], unsafe: true, now: NOW });
        assert.deepEqual(again.errors, []);
        assert.deepEqual(again.changes.map((c) => `${c.action} ${c.file}`), [], 'a second fix changes nothing');
        assert.equal(again.before.findings.filter((f) => f.status === 'fail').length, outcome.after.findings.filter((f) => f.status === 'fail').length);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
