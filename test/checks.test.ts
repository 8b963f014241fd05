// Every check's examples are tests: each failing example gives a failure, each passing one none.
// The registry and the generated catalogue are checked here too.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { catalogueMarkdown } from '../src/checks/catalogue.js';
import { loadCheck, loadSectionChecks } from '../src/checks/load.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { SECTIONS } from '../src/checks/sections.js';
import { itWithCorpus } from '../src/testing/corpus.js';
import { REPO_ROOT, runExample } from '../src/testing/index.js';

describe('check examples', () => {
  for (const check of ALL_CHECKS) {
    describe(check.id, () => {
      it('has docs, a remediation and examples of both kinds', () => {
        assert.ok(check.title.length > 0 && check.docs.what.length > 0 && check.docs.why.length > 0);
        assert.ok(check.remediation.length > 0);
        assert.ok(check.examples.fail.length > 0, 'no failing example');
        assert.ok(check.examples.pass.length > 0, 'no passing example');
      });
      check.examples.fail.forEach((example, i) => {
        it(`failing example ${i + 1} fails`, async () => {
          const results = await runExample(check, example);
          assert.ok(results.some((r) => r.status === 'fail'), `no failure: ${JSON.stringify(results)}`);
        });
      });
      check.examples.pass.forEach((example, i) => {
        it(`passing example ${i + 1} passes`, async () => {
          const results = await runExample(check, example);
          const bad = results.filter((r) => r.status !== 'pass');
          assert.deepEqual(bad, []);
          assert.ok(results.length > 0, 'a passing example must be evaluated (at least one pass)');
        });
      });
    });
  }
});

describe('loading checks one at a time (explain)', () => {
  it('finds every check at checks/<section>/<id>, as the registry has it', async () => {
    for (const check of ALL_CHECKS) assert.equal(await loadCheck(check.id), check, check.id);
    for (const section of SECTIONS) assert.deepEqual(await loadSectionChecks(section.slug), ALL_CHECKS.filter((c) => c.section === section.slug));
  });

  it('finds nothing for a name that is no check, or is a path', async () => {
    for (const id of ['no-such-check', '../registry', 'index', 'API-TLS', '']) assert.equal(await loadCheck(id), undefined, id);
  });
});

describe('catalogue', () => {
  it('docs/checks.md is current (run npm run docs)', () => {
    const onDisk = readFileSync(join(REPO_ROOT, 'docs/checks.md'), 'utf8');
    assert.equal(onDisk, catalogueMarkdown());
  });

  itWithCorpus('guide', 'sections equal the guide sections.yaml', (guide) => {
    // sections.yaml is not strict YAML (a plain scalar holds ": " on one line), so read its
    // slug and title lines directly.
    const text = readFileSync(join(guide, 'sections.yaml'), 'utf8');
    const slugs = [...text.matchAll(/^  - slug: (.+)$/gm)].map((m) => m[1]);
    const titles = [...text.matchAll(/^    title: (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(SECTIONS.map((s) => s.slug), slugs);
    assert.deepEqual(SECTIONS.map((s) => s.title), titles);
  });
});
