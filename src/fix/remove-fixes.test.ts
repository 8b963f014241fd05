// Fixes that remove objects of the input (legacy ServiceAccount token and bootstrap token Secrets):
// the removed document or List item is cut out and every other byte of the file kept, JSON stays
// JSON, a file left without objects stays a manifest, the safety is decided per Secret, a second
// fix changes nothing, a live cluster's bundle deletes with kubectl, and no Secret value ever
// reaches the diff or the JSON output.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocuments } from '../sources/documents.js';
import { emptyLoadResult } from '../sources/types.js';
import { clusterBundle } from './bundle.js';
import { redactSecretData, redactSecrets, unifiedDiff } from './diff.js';
import { withTempTree } from '../testing/cli.js';
import { planFixes, writeFixes, type FixOptions, type FixOutcome } from './run.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const LEGACY = 'legacy-service-account-token-secret';
const BOOTSTRAP = 'bootstrap-token-secret-present';
/** A token value that must never be printed (base64 of a made-up JWT). */
const TOKEN = 'ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXlKemRXSWlPaUp6ZVhOMFpXMDZjMlZ5ZG1salpXRmpZMjkxYm5RNlkyazZaR1Z3Ykc5NVpYSWlmUS5zZWNyZXQ=';
const PLAIN = 'hunter2-plain-secret-value';
const BIN = fileURLToPath(new URL('../../../bin/kubeward.js', import.meta.url));

const legacyToken = (name: string, namespace: string) => `apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations: {kubernetes.io/service-account.name: deployer}
data:
  token: ${TOKEN}
stringData:
  note: ${PLAIN}
`;


/** Fixes, writes, and checks that a second fix changes nothing and the Secret's findings are gone. */
async function fixAndWrite(options: Omit<FixOptions, 'now'>): Promise<FixOutcome> {
  const outcome = await planFixes({ now: NOW, ...options });
  assert.deepEqual(outcome.refused, []);
  assert.deepEqual(outcome.introduced, []);
  assert.deepEqual(await writeFixes(outcome.changes), []);
  const again = await planFixes({ now: NOW, ...options });
  assert.deepEqual(again.changes.map((c) => `${c.action} ${c.file}`), [], 'a second fix changes nothing');
  assert.deepEqual(again.errors, []);
  return outcome;
}

describe('removing an object from its file', () => {
  it('multi-document YAML: the Secret\'s document goes, every other document and comment stays byte for byte', async () => {
    const head = `# ci namespace, managed by hand\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: ci}  # kept as is\n`;
    const tail = `---\n# settings, not secret\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ci}\ndata: {mode: "fast"}\n`;
    const text = `${head}---\n${legacyToken('deployer-token', 'ci')}${tail}`;
    await withTempTree({ 'ci.yaml': text }, async (dir) => {
      const outcome = await fixAndWrite({ paths: [dir], unsafe: true, only: [LEGACY] });
      assert.equal(await readFile(join(dir, 'ci.yaml'), 'utf8'), head + tail);
      assert.deepEqual(outcome.changes.map((c) => ({ action: c.action, safety: c.safety, removed: c.removed })), [
        { action: 'edit', safety: 'unsafe', removed: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'ci', name: 'deployer-token' }] },
      ]);
      assert.deepEqual(outcome.fixed.map((f) => f.check), [LEGACY]);
    });
  });

  it('a YAML List (kubectl get -o yaml): the item\'s lines go, the other items stay byte for byte; the last one leaves items: []', async () => {
    const item = (name: string, type: string) => `- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: ${name}\n    namespace: ci\n    resourceVersion: "1"\n  type: ${type}\n`;
    const token = `- apiVersion: v1\n  kind: Secret\n  metadata:\n    annotations:\n      kubernetes.io/service-account.name: deployer\n    name: deployer-token\n    namespace: ci\n  type: kubernetes.io/service-account-token\n  data:\n    token: ${TOKEN}\n`;
    const list = (items: string) => `# kubectl get secrets -A -o yaml\napiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ""\nitems:\n${items}`;
    const keep = [item('registry', 'kubernetes.io/dockerconfigjson'), item('settings', 'Opaque')];
    await withTempTree({ 'middle.yaml': list(keep[0] + token + keep[1]), 'last.yaml': list(keep[0] + keep[1] + token.replace(/deployer-token/, 'other-token')), 'only.yaml': list(token) }, async (dir) => {
      await fixAndWrite({ paths: [dir], unsafe: true, only: [LEGACY] });
      assert.equal(await readFile(join(dir, 'middle.yaml'), 'utf8'), list(keep[0]! + keep[1]));
      assert.equal(await readFile(join(dir, 'last.yaml'), 'utf8'), list(keep[0]! + keep[1]));
      assert.equal(await readFile(join(dir, 'only.yaml'), 'utf8'), list('').replace(/items:\n$/, 'items: []\n'));
    });
  });

  it('a JSON List (kubectl get -o json) stays JSON: only the item\'s lines go, and the last one leaves "items": []', async () => {
    const secret = (name: string, type: string, data?: Record<string, string>) => ({ apiVersion: 'v1', ...(data ? { data } : {}), kind: 'Secret', metadata: { name, namespace: 'ci', ...(type.endsWith('account-token') ? { annotations: { 'kubernetes.io/service-account.name': 'deployer' } } : {}) }, type });
    const list = (items: object[]) => `${JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
    const registry = secret('registry', 'kubernetes.io/dockerconfigjson');
    const settings = secret('settings', 'Opaque');
    const token = (name: string) => secret(name, 'kubernetes.io/service-account-token', { token: TOKEN });
    await withTempTree({
      'middle.json': list([registry, token('a-token'), settings]),
      'last.json': list([registry, settings, token('b-token'), token('c-token')]),
      'only.json': list([token('d-token')]),
      'single.json': `${JSON.stringify(token('e-token'), null, 2)}\n`,
    }, async (dir) => {
      await fixAndWrite({ paths: [dir], unsafe: true, only: [LEGACY] });
      assert.equal(await readFile(join(dir, 'middle.json'), 'utf8'), list([registry, settings]));
      assert.equal(await readFile(join(dir, 'last.json'), 'utf8'), list([registry, settings]));
      assert.equal(await readFile(join(dir, 'only.json'), 'utf8'), list([]).replace('"items": [],', '"items": [],'));
      // A file whose only object goes stays a manifest: an empty List.
      assert.deepEqual(JSON.parse(await readFile(join(dir, 'single.json'), 'utf8')), { apiVersion: 'v1', kind: 'List', items: [] });
    });
  });

  it('a cluster dump too large to re-read (JSON over 4 MB): the items are cut from its text when it is written', async () => {
    const configMap = (n: number) => ({ apiVersion: 'v1', data: { settings: 'x'.repeat(900) }, kind: 'ConfigMap', metadata: { name: `settings-${n}`, namespace: 'ci' } });
    const token = (name: string) => ({ apiVersion: 'v1', data: { token: TOKEN }, kind: 'Secret', metadata: { name, namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'deployer' } }, type: 'kubernetes.io/service-account-token' });
    const items: object[] = Array.from({ length: 5000 }, (_, n) => configMap(n));
    const list = (of: object[]) => `${JSON.stringify({ apiVersion: 'v1', items: of, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
    const text = list([...items.slice(0, 2500), token('a-token'), ...items.slice(2500), token('b-token')]);
    assert.ok(text.length > 4 * 1024 * 1024);
    await withTempTree({ 'dump.json': text }, async (dir) => {
      const outcome = await fixAndWrite({ paths: [dir], unsafe: true, only: [LEGACY] });
      assert.equal(outcome.fixed.filter((f) => f.check === LEGACY).length, 2);
      assert.equal(await readFile(join(dir, 'dump.json'), 'utf8'), list(items));
    });
  });

  it('a YAML file whose only object goes keeps its comments and holds no object', async () => {
    await withTempTree({ 'token.yaml': `# the deployer's token\n${legacyToken('deployer-token', 'ci')}` }, async (dir) => {
      await fixAndWrite({ paths: [dir], unsafe: true, only: [LEGACY] });
      const text = await readFile(join(dir, 'token.yaml'), 'utf8');
      assert.equal(text, '# the deployer\'s token\n');
      assert.deepEqual(parseDocuments(text, 'token.yaml').items, []);
    });
  });

  it('an edit and a removal in one file: the edited object is rewritten, the removed one cut, the rest kept', async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: ci}\nspec:\n  containers:\n  - name: web\n    image: nginx\n`;
    await withTempTree({ 'both.yaml': `${legacyToken('deployer-token', 'ci')}---\n${pod}` }, async (dir) => {
      const outcome = await fixAndWrite({ paths: [dir], unsafe: true });
      assert.ok(outcome.fixed.some((f) => f.check === LEGACY));
      const docs = parseDocuments(await readFile(join(dir, 'both.yaml'), 'utf8'), 'both.yaml').items;
      assert.deepEqual(docs.map((d) => d.ref.kind), ['Pod']);
    });
  });
});

describe('safety, decided per Secret', () => {
  it('a legacy token in use is removed only with --unsafe-fixes; one the token cleaner invalidated is removed by the safe fixes', async () => {
    const invalidated = legacyToken('old-token', 'ci').replace('  annotations:', '  labels: {kubernetes.io/legacy-token-invalid-since: "2026-01-10"}\n  annotations:');
    await withTempTree({ 'a.yaml': legacyToken('deployer-token', 'ci'), 'b.yaml': invalidated }, async (dir) => {
      const safe = await planFixes({ paths: [dir], unsafe: false, now: NOW, only: ['credential-rotation'] });
      assert.deepEqual(safe.changes.map((c) => [c.file, c.safety]), [[join(dir, 'b.yaml'), 'safe']]);
      const left = safe.remaining.filter((r) => r.finding.check === LEGACY);
      assert.equal(left.length, 1);
      assert.match(left[0]!.why, /^unsafe fix, applied only with --unsafe-fixes: clients that authenticate with the token .* get 401/);
      const unsafe = await planFixes({ paths: [dir], unsafe: true, now: NOW, only: ['credential-rotation'] });
      assert.deepEqual(unsafe.remaining.filter((r) => r.finding.check === LEGACY), []);
      assert.deepEqual(unsafe.changes.find((c) => c.file === join(dir, 'a.yaml'))?.checks, ['legacy-service-account-token-secret', 'legacy-token-secret-readable'].filter((c) => unsafe.before.findings.some((f) => f.check === c && f.status === 'fail')));
    });
  });

  it('a bootstrap token: expired is safe to delete; valid or without expiration only with --unsafe-fixes', async () => {
    const token = (id: string, expiration?: string) => `apiVersion: v1\nkind: Secret\ntype: bootstrap.kubernetes.io/token\nmetadata: {name: bootstrap-token-${id}, namespace: kube-system}\nstringData:\n${expiration ? `  expiration: "${expiration}"\n` : ''}  token-id: ${id}\n  token-secret: ${PLAIN}\n`;
    const files = { 'expired.yaml': token('aaaaaa', '2026-05-01T00:00:00Z'), 'valid.yaml': token('bbbbbb', '2026-06-02T00:00:00Z'), 'forever.yaml': token('cccccc') };
    await withTempTree(files, async (dir) => {
      const safe = await planFixes({ paths: [dir], unsafe: false, now: NOW, only: [BOOTSTRAP] });
      assert.deepEqual(safe.changes.map((c) => c.file), [join(dir, 'expired.yaml')]);
      assert.deepEqual(safe.remaining.filter((r) => r.finding.check === BOOTSTRAP).map((r) => r.why.replace(/:.*/, '')), ['unsafe fix, applied only with --unsafe-fixes', 'unsafe fix, applied only with --unsafe-fixes']);
      assert.match(safe.remaining[0]!.why, /kubeadm token create --ttl 1h/);
      // At a later --now, the valid one has expired too.
      const later = await planFixes({ paths: [dir], unsafe: false, now: new Date('2026-07-01T00:00:00Z'), only: [BOOTSTRAP] });
      assert.deepEqual(later.changes.map((c) => c.file).sort(), [join(dir, 'expired.yaml'), join(dir, 'valid.yaml')]);
      await fixAndWrite({ paths: [dir], unsafe: true, only: [BOOTSTRAP] });
      for (const name of Object.keys(files)) assert.equal(await readFile(join(dir, name), 'utf8'), '');
    });
  });
});

describe('a live cluster: the bundle deletes with kubectl, after everything it applies', () => {
  it('the README lists kubectl delete last, and no manifest of the Secret is written', async () => {
    const url = 'https://10.0.0.1:6443/api/v1/secrets';
    const load = emptyLoadResult();
    for (const item of parseDocuments(`${legacyToken('deployer-token', 'ci')}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ci}\n`, url).items) load.items.push({ ...item, location: { file: url } });
    load.sources.push({ type: 'cluster', name: url, objects: load.items.length } as never);
    const bundle = '/tmp/kubeward-bundle-never-written';
    const outcome = await planFixes({ paths: [], load, unsafe: true, now: NOW, fixesFile: join(bundle, 'kubeward-fixes.yaml'), bundleDir: bundle });
    const deletion = outcome.changes.find((c) => c.action === 'delete');
    assert.deepEqual(deletion && { file: deletion.file, removed: deletion.removed, safety: deletion.safety }, { file: url, removed: [{ apiVersion: 'v1', kind: 'Secret', namespace: 'ci', name: 'deployer-token' }], safety: 'unsafe' });
    assert.ok(outcome.fixed.some((f) => f.check === LEGACY));
    const files = clusterBundle(outcome, bundle);
    const readme = files.find((f) => f.name === 'README.md')!.text;
    const steps = readme.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.ok(steps.length >= 2, 'the namespace fixes are applied too');
    assert.match(steps[steps.length - 1]!, /^\d+\. `kubectl delete secret deployer-token -n ci` \(unsafe; fixes legacy-service-account-token-secret\)$/);
    assert.ok(files.every((f) => !f.text.includes(TOKEN)));
    assert.equal(unifiedDiff(deletion!), '# kubectl delete secret deployer-token -n ci\n');
  });
});

describe('Secret values never reach the output', () => {
  it('the diff and the JSON output of removing Secrets (YAML document, YAML List, JSON List) show no value', async () => {
    const jsonList = `${JSON.stringify({ apiVersion: 'v1', items: [{ apiVersion: 'v1', data: { token: TOKEN, 'ca.crt': TOKEN.slice(5) }, kind: 'Secret', metadata: { name: 'json-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'deployer' } }, type: 'kubernetes.io/service-account-token' }, { apiVersion: 'v1', data: { password: PLAIN }, kind: 'Secret', metadata: { name: 'kept', namespace: 'ci' }, type: 'Opaque' }], kind: 'List', metadata: {} }, null, 4)}\n`;
    const yamlList = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: kept, namespace: ci}\n  data:\n    password: ${PLAIN}\n- ${legacyToken('list-token', 'ci').replace(/\n(?=.)/g, '\n  ')}`;
    await withTempTree({ 'doc.yaml': legacyToken('doc-token', 'ci'), 'list.yaml': yamlList, 'list.json': jsonList }, async (dir) => {
      const diff = execFileSync(process.execPath, [BIN, 'fix', dir, '--unsafe-fixes', '--now', NOW.toISOString(), '--fail-on', 'none'], { encoding: 'utf8' });
      const json = execFileSync(process.execPath, [BIN, 'fix', dir, '--unsafe-fixes', '--now', NOW.toISOString(), '--fail-on', 'none', '--format', 'json'], { encoding: 'utf8' });
      for (const output of [diff, json]) {
        assert.ok(!output.includes(TOKEN) && !output.includes(TOKEN.slice(5)), 'no token value');
        assert.ok(!output.includes(PLAIN), 'no stringData value, nor a kept Secret\'s value shown as context');
      }
      assert.match(diff, /^-  token: <redacted>$/m);
      assert.match(diff, /^-\s+"token": <redacted>$/m);
      assert.match(diff, /^-  name: doc-token$/m, 'the removed Secret is named in the diff');
      const changes = (JSON.parse(json) as { changes: { file: string; action: string; removed?: { name: string }[] }[] }).changes;
      assert.deepEqual(changes.map((c) => [c.action, c.removed?.map((r) => r.name)]).sort(), [['edit', ['doc-token']], ['edit', ['json-token']], ['edit', ['list-token']]]);
    });
  });

  it('a compact one-line JSON file: a kept Secret beside an edited Pod shows no value in the diff', async () => {
    const compact = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: TOKEN }, stringData: { note: PLAIN } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } },
    ] });
    await withTempTree({ 'dump.json': `${compact}\n` }, async (dir) => {
      const diff = execFileSync(process.execPath, [BIN, 'fix', dir, '--unsafe-fixes', '--only', 'pod-violates-baseline-pod-security', '--now', NOW.toISOString(), '--fail-on', 'none'], { encoding: 'utf8' });
      assert.match(diff, /^-.*"privileged":true/m, 'the Pod is edited on that line');
      assert.ok(!diff.includes(TOKEN) && !diff.includes(PLAIN), 'no Secret value on the edited line');
      assert.match(diff, /"password":"<redacted>"/);
    });
  });

  it('redactSecretData on flow maps: compact JSON and YAML flow Secrets, keys kept, metadata and ConfigMaps untouched', () => {
    assert.equal(redactSecretData(`{"kind":"Secret","metadata":{"name":"x"},"data":{"a":"${TOKEN}","b":"x,y"}}`), '{"kind":"Secret","metadata":{"name":"x"},"data":{"a":"<redacted>","b":"<redacted>"}}');
    assert.equal(redactSecretData(`{kind: Secret, metadata: {name: x}, stringData: {a: ${PLAIN}}}`), '{kind: Secret, metadata: {name: x}, stringData: {a: "<redacted>"}}');
    assert.equal(redactSecretData('{"kind":"ConfigMap","data":{"a":"b"}}'), '{"kind":"ConfigMap","data":{"a":"b"}}');
  });

  it('redactSecretData: the values of Secrets\' data and stringData, and nothing of a ConfigMap', () => {
    const text = [
      'apiVersion: v1', 'kind: Secret', 'metadata: {name: a}', 'data:', `  token: ${TOKEN}`, '  cert: |', '    line one', 'stringData: {note: x}', 'type: Opaque',
      '---', 'apiVersion: v1', 'data:', '  mode: fast', 'kind: ConfigMap',
      '---', 'kind: List', 'items:', '- data:', `    token: ${TOKEN}`, '  kind: Secret', '- kind: ConfigMap', '  data:', '    mode: fast',
    ].join('\n');
    assert.equal(redactSecretData(text), [
      'apiVersion: v1', 'kind: Secret', 'metadata: {name: a}', 'data:', '  token: <redacted>', '  cert: <redacted>', '    <redacted>', 'stringData: <redacted>', 'type: Opaque',
      '---', 'apiVersion: v1', 'data:', '  mode: fast', 'kind: ConfigMap',
      '---', 'kind: List', 'items:', '- data:', '    token: <redacted>', '  kind: Secret', '- kind: ConfigMap', '  data:', '    mode: fast',
    ].join('\n'));
    const json = JSON.stringify({ items: [{ apiVersion: 'v1', data: { token: TOKEN }, kind: 'Secret' }, { data: { mode: 'fast' }, kind: 'ConfigMap' }] }, null, 2);
    const redacted = redactSecretData(json);
    assert.ok(!redacted.includes(TOKEN) && redacted.includes('"mode": "fast"'));
    assert.equal(redactSecrets(unifiedDiff({ file: 'x.yaml', action: 'edit', checks: [], safety: 'safe', before: text, after: '' })).includes(TOKEN), false);
  });
});
