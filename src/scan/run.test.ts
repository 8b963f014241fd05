import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck, fail, pass } from '../checks/define.js';
import type { Check } from '../checks/types.js';
import { Inventory } from '../inventory/inventory.js';
import { parseDocuments } from '../sources/documents.js';
import { emptyLoadResult, type LoadResult } from '../sources/types.js';
import { createContext, evaluateCheck, runScan } from './run.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {containers: [{name: a, image: nginx:1.27}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {containers: [{name: b, image: nginx:1.27}]}`;

function load(): LoadResult {
  const parsed = parseDocuments(YAML, 'pods.yaml');
  assert.deepEqual(parsed.errors, []);
  return { ...emptyLoadResult(), items: parsed.items };
}

function testCheck(id: string, evaluate: Check['evaluate']): Check {
  return defineCheck({ id, section: 'pod-privileges', severity: 'high', title: id, docs: { what: id, why: id }, remediation: 'fix it', evaluate, examples: { fail: [], pass: [] } });
}

/** Fails the first pod, passes the second, then throws: a check that breaks half-way. */
const breaksHalfWay = testCheck('breaks-half-way', function* (ctx) {
  const [first, second] = ctx.inventory.ofKind('Pod');
  yield fail(first!, 'first pod fails');
  yield pass(second!);
  throw new Error('boom after two results');
});

const throwsAtOnce = testCheck('throws-at-once', () => {
  throw new Error('boom before any result');
});

const failsEveryPod = testCheck('fails-every-pod', function* (ctx) {
  for (const pod of ctx.inventory.ofKind('Pod')) yield fail(pod, `pod ${pod.ref.name} fails`);
});

describe('runScan', () => {
  it('streams results, and a check that throws half-way counts only as not evaluated, as evaluateCheck has it', () => {
    const report = runScan(load(), { checks: [failsEveryPod, breaksHalfWay, throwsAtOnce], now: new Date('2026-06-01T00:00:00Z') });
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    assert.deepEqual(
      { pass: byId.get('fails-every-pod')!.pass, fail: byId.get('fails-every-pod')!.fail, notEvaluated: byId.get('fails-every-pod')!.notEvaluated },
      { pass: 0, fail: 2, notEvaluated: 0 },
    );
    for (const id of ['breaks-half-way', 'throws-at-once']) {
      const summary = byId.get(id)!;
      assert.deepEqual({ pass: summary.pass, fail: summary.fail, notEvaluated: summary.notEvaluated, excepted: summary.excepted }, { pass: 0, fail: 0, notEvaluated: 1, excepted: 0 }, id);
      assert.match(summary.reason ?? '', /^internal error in check: Error\b/, id);
    }
    assert.deepEqual(
      report.findings.map((f) => `${f.check} ${f.status} ${f.resource.kind}/${f.resource.name}`),
      ['fails-every-pod fail Pod/a', 'fails-every-pod fail Pod/b', 'breaks-half-way not-evaluated Check/breaks-half-way', 'throws-at-once not-evaluated Check/throws-at-once'],
    );
    // The same result as evaluateCheck gives the check on its own.
    const [alone] = evaluateCheck(breaksHalfWay, createContext(new Inventory(load().items), undefined, new Date()));
    const inScan = report.findings.find((f) => f.check === 'breaks-half-way')!;
    assert.equal(alone?.status, 'not-evaluated');
    assert.equal(inScan.message, alone.status === 'not-evaluated' ? alone.reason : undefined);
  });
});
