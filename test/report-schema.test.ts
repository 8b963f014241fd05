// The report schema is kubeward's own contract (schema/report.schema.json). It may add to the
// shared original (spec/report.schema.json of the corpus) but never break it: reports of every
// kind validate against both, and everything the original defines stands unchanged in ours.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeWithCorpus } from '../src/testing/corpus.js';
import { SHOP_DEPLOYMENT, kubeward, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { REPORT_SCHEMA, schemaValidator } from '../src/testing/report-schema.js';

const ours = JSON.parse(readFileSync(REPORT_SCHEMA, 'utf8')) as Record<string, any>;

/** JSON reports of every shape: failures, passes, not-evaluated, excepted, input errors. */
function sampleReports(): unknown[] {
  const tree = tempTree({
    'apps.yaml': `${SHOP_DEPLOYMENT}---\nkind: : broken\n`,
    'exceptions.yaml': 'exceptions:\n  - check: namespace-without-resource-quota\n    namespace: shop\n    reason: migrating\n',
  });
  try {
    const runs = [
      kubeward(['scan', join(REPO_ROOT, 'examples/insecure-cluster'), '--format', 'json', '--fail-on', 'none']),
      kubeward(['scan', join(REPO_ROOT, 'examples/hardened-cluster'), '--format', 'json', '--fail-on', 'none']),
      kubeward(['scan', join(tree.dir, 'apps.yaml'), '--exceptions', join(tree.dir, 'exceptions.yaml'), '--format', 'json']),
    ];
    return runs.map((r) => JSON.parse(r.stdout) as unknown);
  } finally {
    tree.cleanup();
  }
}

describe('schema/report.schema.json', () => {
  it('has a stable $id and ships in the npm package', () => {
    assert.equal(ours.$id, 'https://kubeward.io/schemas/report/v1.json');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('schema'), 'package.json files lists schema');
  });

  it('every report kind validates against it', () => {
    const validate = schemaValidator(REPORT_SCHEMA);
    for (const report of sampleReports()) assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  });
});

describeWithCorpus('spec', 'the shared report schema (spec/report.schema.json)', (spec) => {
  const sharedPath = join(spec, 'report.schema.json');

  it('every report kind validates against the shared original too', () => {
    const validate = schemaValidator(sharedPath);
    for (const report of sampleReports()) assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  });

  it('ours only adds: every definition and requirement of the original stands unchanged', () => {
    const shared = JSON.parse(readFileSync(sharedPath, 'utf8')) as Record<string, any>;
    const { $id: _shared, ...sharedRest } = shared;
    const { $id: _ours, ...oursRest } = ours;
    assertExtends(oursRest, sharedRest, '#');
  });
});

/** `wider` keeps every key of `base` with the same value, except that objects may gain keys. */
function assertExtends(wider: unknown, base: unknown, path: string): void {
  if (base === null || typeof base !== 'object' || Array.isArray(base)) {
    assert.deepEqual(wider, base, `${path} changed`);
    return;
  }
  assert.ok(wider !== null && typeof wider === 'object' && !Array.isArray(wider), `${path} is no longer an object`);
  for (const [key, value] of Object.entries(base)) {
    // "required" may not shrink, and an enum may not lose values: both are compared as is.
    assertExtends((wider as Record<string, unknown>)[key], value, `${path}/${key}`);
  }
}
