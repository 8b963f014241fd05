// Every CEL expression `kubeward admission-policy` exports, evaluated with a CEL evaluator
// (@bufbuild/cel, with the strings extension Kubernetes enables) on each check's failing and
// passing examples and on the real-world corpus: the policy's verdict equals the check's own on
// every object, and where the policy says it does, its message is the check's word for word.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { findCheck } from '../checks/registry.js';
import { Inventory } from '../inventory/inventory.js';
import { POD_TEMPLATE_PATHS, isNamespacedKind } from '../inventory/kinds.js';
import { refOf, type Item, type K8sObject } from '../inventory/types.js';
import { createContext, evaluateCheck } from '../scan/run.js';
import { parseDocuments } from '../sources/documents.js';
import { loadPaths } from '../sources/files.js';
import { describeWithCorpus } from '../testing/corpus.js';
import { defaultConfig, parseConfig } from './config.js';
import { admissionPolicies, CEL_POLICIES, coverage, POD_VARIABLES, type CelPolicy } from './policy.js';
import { OBJECT_CHECKS } from './rules.js';

const env = celEnv({ funcs: strings });
const compiled = new Map<string, ReturnType<typeof plan>>();
function compile(expression: string) {
  let program = compiled.get(expression);
  if (!program) compiled.set(expression, (program = plan(env, parse(expression))));
  return program;
}

/** JSON as Kubernetes gives it to CEL: objects are maps, whole numbers are ints. */
function toCel(value: unknown): CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'object' && value !== null) return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value as CelInput;
}

function evaluate(expression: string, bindings: Record<string, CelInput>): unknown {
  const result = compile(expression)(bindings as never);
  if (isCelError(result)) throw new Error(`CEL error in ${expression.slice(0, 80)}...: ${String(result.message)}`);
  return result;
}

/** What the API server runs: variables in order, then the validation and, on failure, the message. */
function runPolicy(policy: CelPolicy, object: K8sObject): { pass: boolean; message: string } {
  const bindings: Record<string, CelInput> = { object: toCel(object), request: toCel({ namespace: object.metadata?.namespace ?? '', operation: 'CREATE' }) };
  if (policy.kinds === 'pod') {
    const variables = new Map<string, CelInput>();
    bindings.variables = variables;
    for (const v of POD_VARIABLES) variables.set(v.name, evaluate(v.expression, bindings) as CelInput);
  }
  const pass = evaluate(policy.expression, bindings);
  assert.equal(typeof pass, 'boolean', `${policy.check}: the validation must be a bool`);
  return { pass: pass as boolean, message: pass ? '' : String(evaluate(policy.messageExpression, bindings)) };
}

/** The check's verdict on the object alone, as the webhook and a scan of that one object give it. */
function checkVerdict(policy: CelPolicy, object: K8sObject): { pass: boolean; message: string } {
  const item: Item = { object, ref: refOf(object), location: { file: 'object' } };
  const results = evaluateCheck(findCheck(policy.check)!, createContext(new Inventory([item]), undefined, new Date('2026-06-01T00:00:00Z')));
  const fails = results.filter((r) => r.status === 'fail' && r.subject.ref.kind === item.ref.kind && r.subject.ref.name === item.ref.name);
  return { pass: fails.length === 0, message: fails.map((f) => (f.status === 'fail' ? f.message : '')).join('; ') };
}

const kindsOf = (policy: CelPolicy) => (policy.kinds === 'pod' ? Object.keys(POD_TEMPLATE_PATHS) : policy.kinds);

/** As the API server: a namespaced object carries its namespace by the time admission runs. */
function admitted(object: K8sObject): K8sObject {
  const kind = object.kind ?? '';
  return isNamespacedKind(kind) && !object.metadata?.namespace ? { ...object, metadata: { ...object.metadata, namespace: 'default' } } : object;
}

function compare(policy: CelPolicy, object: K8sObject, where: string): boolean {
  const cel = runPolicy(policy, object);
  const check = checkVerdict(policy, object);
  assert.equal(cel.pass, check.pass, `${policy.check} on ${where}: CEL says ${cel.pass ? 'pass' : 'fail'}, the check ${check.pass ? 'pass' : `fail (${check.message})`}`);
  if (!cel.pass && policy.exactMessage) assert.equal(cel.message, check.message, `${policy.check} message on ${where}`);
  return !check.pass;
}

describe('admission-policy CEL on the checks\' examples', () => {
  for (const policy of CEL_POLICIES) {
    it(policy.check, () => {
      const check = findCheck(policy.check)!;
      let failures = 0;
      let judged = 0;
      for (const [which, examples] of [['fail', check.examples.fail], ['pass', check.examples.pass]] as const) {
        examples.forEach((example, i) => {
          const yaml = typeof example === 'string' ? example : example.yaml;
          if (!yaml) return;
          for (const item of parseDocuments(yaml, 'example.yaml').items) {
            if (!kindsOf(policy).includes(item.ref.kind)) continue;
            judged++;
            if (compare(policy, admitted(item.object), `${which} example ${i + 1} (${item.ref.kind} ${item.ref.name})`)) failures++;
          }
        });
      }
      assert.ok(failures > 0, 'no example object fails: the comparison would prove nothing');
      assert.ok(judged > failures, 'no example object passes');
    });
  }
});

describeWithCorpus('real-world', 'admission-policy CEL on real install manifests', (path) => {
  it('gives every check\'s verdict on every object of the corpus', async () => {
    const load = await loadPaths([path]);
    let compared = 0;
    for (const policy of CEL_POLICIES) {
      for (const item of load.items) {
        if (!kindsOf(policy).includes(item.ref.kind)) continue;
        compare(policy, admitted(item.object), `${item.location.file}:${item.location.line ?? 0} ${item.ref.kind} ${item.ref.name}`);
        compared++;
      }
    }
    assert.ok(compared > 100, `only ${compared} objects compared`);
  });
});

describe('admission-policy objects', () => {
  it('one policy and one binding per expressible check, actions from the configuration', () => {
    const objects = admissionPolicies(defaultConfig());
    assert.equal(objects.length, CEL_POLICIES.length * 2);
    const binding = (check: string) => objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata?.name === `kubeward-${check}`)?.spec as { validationActions: string[] };
    assert.deepEqual(binding('container-runtime-socket-mounted').validationActions, ['Deny']);
    assert.deepEqual(binding('service-exposed-outside-cluster').validationActions, ['Warn']);
    const config = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\nactions: {network-access: audit, pod-sets-node-name: off}\nexemptions: {namespaces: [lab], usernames: [ci]}\n', 'c.yaml');
    const custom = admissionPolicies(config);
    assert.equal(custom.filter((o) => o.metadata?.name === 'kubeward-pod-sets-node-name').length, 0);
    const svc = custom.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata?.name === 'kubeward-service-exposed-outside-cluster')!.spec as Record<string, unknown>;
    assert.deepEqual(svc.validationActions, ['Audit']);
    assert.deepEqual(svc.matchResources, { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['lab'] }] } });
    const policy = custom.find((o) => o.kind === 'ValidatingAdmissionPolicy')!.spec as { matchConditions: { expression: string }[]; validations: { messageExpression: string }[] };
    for (const c of policy.matchConditions) assert.equal(evaluate(c.expression, { request: toCel({ userInfo: { username: 'ci', groups: [] } }) }), false);
    // Every message names its check, as the webhook's do.
    assert.ok(policy.validations[0]!.messageExpression.startsWith(`'[${(custom[0]!.metadata!.labels as Record<string, string>)['kubeward.io/check']}] ' + `));
  });

  it('lists every webhook check: a policy, or the reason there is none', () => {
    const rows = coverage();
    for (const id of Object.values(OBJECT_CHECKS).flat()) assert.ok(rows.some((r) => r.check === id), id);
    for (const r of rows) assert.ok(r.expressed || (r.reason && r.reason.length > 20), r.check);
  });
});
