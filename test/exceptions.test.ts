// Exceptions: the file format, glob matching, expiry, and annotation exemptions (unit level; the
// CLI tests cover them end to end).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { join } from 'node:path';
import { UsageError } from '../src/errors.js';
import type { Finding } from '../src/report/types.js';
import { annotationException, findException, globToRegExp, loadExceptions } from '../src/scan/exceptions.js';
import { runScan } from '../src/scan/run.js';
import { tempTree } from '../src/testing/cli.js';
import { inventoryFromYaml } from '../src/testing/index.js';
import { parseDocuments } from '../src/sources/documents.js';
import { emptyLoadResult } from '../src/sources/types.js';

function finding(check: string, kind: string, name: string, namespace?: string): Finding {
  return { check, section: 'resource-quota', severity: 'medium', status: 'fail', message: 'm', resource: { kind, name, ...(namespace ? { namespace } : {}) } };
}

describe('exceptions file', () => {
  const tree = tempTree({
    'ok.yaml': `exceptions:
  - check: privileged-*
    namespace: monitoring
    kind: DaemonSet
    name: node-exporter
    reason: needs host PID to read /proc
  - check: namespace-without-resource-quota
    namespace: "team-?"
    reason: quotas come with the new scheduler
    expires: 2026-06-30
  - check: "*"
    name: legacy-*
    reason: being removed
    expires: "2026-01-15"
`,
    'bad-date.yaml': 'exceptions:\n  - check: a\n    reason: r\n    expires: next week\n',
    'not-list.yaml': 'exceptions: {check: a}\n',
    'invalid.yaml': 'exceptions: [\n',
    'blank-reason.yaml': 'exceptions:\n  - check: a\n    reason: "   "\n',
    'no-check.yaml': 'exceptions:\n  - reason: r\n',
    'number.yaml': 'exceptions:\n  - check: a\n    reason: r\n    name: 42\n',
  });
  after(tree.cleanup);
  const at = (f: string) => join(tree.dir, f);

  it('reads entries; an entry applies through its expiry day, then moves to expired', async () => {
    const during = await loadExceptions(at('ok.yaml'), new Date('2026-06-30T23:59:00Z'));
    assert.deepEqual(during.active.map((e) => e.check), ['privileged-*', 'namespace-without-resource-quota']);
    assert.deepEqual(during.expired.map((e) => [e.check, e.expires]), [['*', '2026-01-15']]);
    const afterwards = await loadExceptions(at('ok.yaml'), new Date('2026-07-01T00:00:00Z'));
    assert.deepEqual(afterwards.active.map((e) => e.check), ['privileged-*']);
    assert.equal(afterwards.expired.length, 2);
    const before = await loadExceptions(at('ok.yaml'), new Date('2026-01-15T12:00:00Z'));
    assert.equal(before.active.length, 3);
  });

  it('rejects malformed files with a usage error naming the entry', async () => {
    const cases: [string, RegExp][] = [
      ['bad-date.yaml', /entry 1: "expires" is not a date \(next week\)/],
      ['not-list.yaml', /expected a top-level "exceptions:" list/],
      ['invalid.yaml', /invalid\.yaml/],
      ['blank-reason.yaml', /entry 1 \(a\) has no "reason"/],
      ['no-check.yaml', /entry 1 has no "check"/],
      ['number.yaml', /"name" must be a string/],
      ['missing.yaml', /missing\.yaml/],
    ];
    for (const [file, message] of cases) {
      await assert.rejects(loadExceptions(at(file), new Date()), (e: unknown) => e instanceof UsageError && message.test(e.message), file);
    }
  });
});

describe('matching', () => {
  const entries = [
    { check: 'privileged-*', namespace: 'monitoring', kind: 'DaemonSet', name: 'node-exporter', reason: 'a' },
    { check: 'namespace-without-resource-quota', namespace: 'team-?', reason: 'b' },
    { check: '*', name: 'legacy.v1', reason: 'c' },
  ];

  it('matches every given field as a glob; absent fields match anything', () => {
    assert.equal(findException(entries, finding('privileged-container', 'DaemonSet', 'node-exporter', 'monitoring'))?.reason, 'a');
    assert.equal(findException(entries, finding('privileged-container', 'Deployment', 'node-exporter', 'monitoring')), undefined);
    assert.equal(findException(entries, finding('privileged-container', 'DaemonSet', 'node-exporter', 'default')), undefined);
    assert.equal(findException(entries, finding('host-pid', 'DaemonSet', 'node-exporter', 'monitoring')), undefined);
    assert.equal(findException(entries, finding('anything', 'ConfigMap', 'legacy.v1', 'x'))?.reason, 'c');
    // Glob characters only: "." is literal, "?" is one character.
    assert.equal(findException(entries, finding('anything', 'ConfigMap', 'legacyXv1', 'x')), undefined);
    assert.equal(findException(entries, finding('namespace-without-resource-quota', 'Namespace', 'team-10')), undefined);
  });

  it('a namespace pattern also matches the Namespace object itself', () => {
    assert.equal(findException(entries, finding('namespace-without-resource-quota', 'Namespace', 'team-a'))?.reason, 'b');
  });

  it('globToRegExp escapes regular-expression characters', () => {
    assert.ok(globToRegExp('a+b(c)*').test('a+b(c)xyz'));
    assert.equal(globToRegExp('a+b').test('aab'), false);
    assert.equal(globToRegExp('[x]').test('x'), false);
  });
});

describe('annotation exceptions', () => {
  const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: batch
  annotations: {kubeward.io/ignore: "other-check, namespace-without-*", kubeward.io/ignore-reason: sized by the batch scheduler}
---
apiVersion: batch/v1
kind: Job
metadata: {name: nightly, namespace: batch}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: run, image: busybox:1.36}]
`;

  it('reads the ignore annotation as a list of check globs, with its reason', () => {
    const inventory = inventoryFromYaml(yaml);
    const e = annotationException(inventory, finding('namespace-without-resource-quota', 'Namespace', 'batch'));
    assert.equal(e?.reason, 'sized by the batch scheduler');
    assert.equal(annotationException(inventory, finding('privileged-container', 'Namespace', 'batch')), undefined);
    assert.equal(annotationException(inventory, finding('namespace-without-resource-quota', 'Job', 'nightly', 'batch')), undefined);
  });

  it('counts in a scan only when allowed', () => {
    const load = emptyLoadResult();
    load.items.push(...parseDocuments(yaml, 'batch.yaml').items);
    const status = (allow: boolean) =>
      runScan(load, { allowAnnotationExceptions: allow }).findings.find((f) => f.check === 'namespace-without-resource-quota')?.status;
    assert.equal(status(false), 'fail');
    assert.equal(status(true), 'excepted');
  });
});
