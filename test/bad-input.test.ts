// Bad input, as real files in temporary folders through the real CLI: every problem is an error
// naming file and line, the rest is still scanned, exit code 2, and never a stack trace.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateCluster, toJsonList, toYamlList } from '../bench/generate.js';
import type { Report } from '../src/report/types.js';
import { stringify } from 'yaml';
import { MAX_YAML_CHARS, parseDocuments, splitYamlList } from '../src/sources/documents.js';
import { loadPaths } from '../src/sources/files.js';
import { SHOP_DEPLOYMENT, kubeward, tempTree } from '../src/testing/cli.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { reportValidator } from '../src/testing/report-schema.js';

const validateReport = reportValidator();

function scanJson(paths: string[], extra: string[] = []): { status: number; report: Report; stderr: string } {
  const r = kubeward(['scan', ...paths, '--format', 'json', '--fail-on', 'none', ...extra]);
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
  return { status: r.status, report, stderr: r.stderr };
}

const objectsRead = (report: Report) => report.sources.reduce((n, s) => n + (s.objects ?? 0), 0);
const errorsOf = (report: Report, file: string) => report.errors.filter((e) => e.source.endsWith(file));

const ALIAS_BOMB = `apiVersion: v1
kind: ConfigMap
metadata: {name: lol, namespace: shop}
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

describe('bad input', () => {
  const tree = tempTree({
    'good/shop.yaml': SHOP_DEPLOYMENT,
    'invalid/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: [unclosed\n  namespace: x\n',
    'bomb/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: shop}\n---\n${ALIAS_BOMB}`,
    'binary/image.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]),
    'empty/empty.yaml': '',
    'empty/blank.yml': '\n---\n# only a comment\n---\n',
    'kinds/crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: Namespaced, versions: [{name: v1, served: true, storage: true}]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: shop}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w2, namespace: shop}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: tls, namespace: shop}
---
just: a mapping
---
- a list
---
plain scalar
`,
    'unnamed/pod.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: named, namespace: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  namespace: shop\nspec:\n  containers: [{name: a, image: nginx}]\n',
    'helm/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
`,
    'helm/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}-web"\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n',
    'helm/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: templates, namespace: shop}\ndata:\n  message.tmpl: |\n    Hello {{ .user.name }}\n',
    'list/dump.json': JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { 'a.json': '{\n  "items": [\n    {}\n  ]\n}' } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'shop' } },
      ],
    }, null, 2),
    'list/compact.json': '{"kind":"List","apiVersion":"v1","items":[\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}},\n\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"b"}}]}',
    'list/podlist.yaml': 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p1, namespace: shop}\n  spec: {containers: [{name: a, image: nginx}]}\n- metadata: {name: p2, namespace: shop}\n  spec: {containers: [{name: a, image: nginx}]}\n',
  });
  after(tree.cleanup);
  const at = (p: string) => join(tree.dir, p);

  it('invalid YAML: an error with file and line, other files still scanned, exit 2', () => {
    const { status, report } = scanJson([at('invalid'), at('good')]);
    assert.equal(status, 2);
    const [error] = errorsOf(report, 'invalid/broken.yaml');
    assert.ok(error, JSON.stringify(report.errors));
    assert.match(error.message, /^invalid YAML: /);
    assert.ok(error.line !== undefined && error.line >= 5 && error.line <= 7, `line ${error.line}`);
    assert.equal(report.sources.find((s) => s.name.endsWith('good'))!.objects, 1);
    assert.ok(report.findings.some((f) => f.resource.name === 'shop'), 'the good file was scanned');
    const table = kubeward(['scan', at('invalid'), at('good')]);
    assert.equal(table.status, 2);
    assert.match(table.stdout, /Incomplete scan: 1 input error/);
    assert.match(table.stdout, /invalid\/broken\.yaml:\d+: invalid YAML/);
  });

  it('YAML alias bomb: bounded, a clear error, the other document still read', () => {
    const started = Date.now();
    const { status, report } = scanJson([at('bomb')]);
    assert.equal(status, 2);
    const [error] = errorsOf(report, 'bomb.yaml');
    assert.match(error!.message, /alias/);
    assert.equal(error!.line, 5);
    assert.equal(objectsRead(report), 1);
    assert.ok(Date.now() - started < 60_000, 'expanded the bomb');
  });

  it('binary file: an error, not garbage objects', () => {
    const { status, report } = scanJson([at('binary')]);
    assert.equal(status, 2);
    assert.match(errorsOf(report, 'image.yaml')[0]!.message, /binary/);
    assert.equal(objectsRead(report), 0);
  });

  it('empty files and comment-only documents: no error, nothing read', () => {
    const { status, report } = scanJson([at('empty')]);
    assert.equal(status, 0);
    assert.deepEqual(report.errors, []);
    assert.equal(objectsRead(report), 0);
  });

  it('directory symlink loop: detected, reported, everything read once', () => {
    const loopTree = tempTree({ 'apps/shop.yaml': SHOP_DEPLOYMENT });
    try {
      symlinkSync('..', join(loopTree.dir, 'apps', 'up'), 'dir');
      mkdirSync(join(loopTree.dir, 'apps', 'sub'));
      symlinkSync(join(loopTree.dir, 'apps'), join(loopTree.dir, 'apps', 'sub', 'again'), 'dir');
      const { status, report } = scanJson([loopTree.dir]);
      assert.equal(status, 2);
      assert.equal(objectsRead(report), 1, 'the manifest is read exactly once');
      assert.equal(report.errors.length, 2);
      for (const e of report.errors) assert.match(e.message, /symlink loop/);
    } finally {
      loopTree.cleanup();
    }
  });

  it('unknown kinds and custom resources are skipped and counted, non-objects counted', () => {
    const { status, report } = scanJson([at('kinds')]);
    assert.equal(status, 0);
    assert.deepEqual(report.skipped.byKind, { Widget: 2, Certificate: 1 });
    assert.equal(report.skipped.notKubernetes, 3);
    assert.equal(objectsRead(report), 1, 'the CustomResourceDefinition itself is an API object');
    assert.match(kubeward(['scan', at('kinds')]).stdout, /skipped 3 of unchecked kinds, 3 non-Kubernetes documents/);
  });

  it('objects without metadata.name: an error with the line, the rest read', () => {
    const { status, report } = scanJson([at('unnamed')]);
    assert.equal(status, 2);
    assert.deepEqual(errorsOf(report, 'pod.yaml').map((e) => [e.line, e.message]), [[5, 'Pod has no metadata.name; object not scanned']]);
    assert.equal(objectsRead(report), 1);
  });

  it('unrendered Helm templates: a clear error, but templates inside data are data', () => {
    const { status, report } = scanJson([at('helm')]);
    assert.equal(status, 2);
    const errors = report.errors.map((e) => [e.source.split('/').pop(), e.line, e.message.includes('helm template')]);
    // A template in a quoted name is found on the object, at the object's line.
    assert.deepEqual(errors.sort(), [['deployment.yaml', 4, true], ['service.yaml', 1, true]]);
    assert.equal(objectsRead(report), 1, 'the ConfigMap holding a Go template is read');
  });

  it('List dumps keep the line of every item (pretty and compact JSON, typed YAML lists)', async () => {
    const { status, report } = scanJson([at('list')], ['--verbose']);
    assert.equal(status, 0);
    assert.equal(objectsRead(report), 7);
    const log = JSON.parse(kubeward(['scan', at('list'), '--format', 'sarif', '--fail-on', 'none']).stdout);
    assert.equal(log.version, '2.1.0');
    const load = await loadPaths([at('list')]);
    const lines = load.items.map((i) => [i.location.file.split('/').pop(), i.ref.kind, i.ref.name, i.location.line]);
    assert.deepEqual(lines, [
      ['compact.json', 'Namespace', 'a', 2],
      ['compact.json', 'Namespace', 'b', 4],
      ['dump.json', 'Namespace', 'shop', 5],
      ['dump.json', 'ConfigMap', 'c', 12],
      ['dump.json', 'ServiceAccount', 'sa', 23],
      ['podlist.yaml', 'Pod', 'p1', 4],
      ['podlist.yaml', 'Pod', 'p2', 6],
    ]);
  });
});

describe('large input', () => {
  const tree = tempTree({});
  after(tree.cleanup);

  it('a 50 MB kubectl JSON dump scans completely (time and peak memory printed)', (t) => {
    let objects = generateCluster({ objects: 20_000, seed: 7 });
    let text = toJsonList(objects);
    while (text.length < 50 * 1024 * 1024) {
      objects = generateCluster({ objects: Math.ceil((objects.length * 52 * 1024 * 1024) / text.length), seed: 7 });
      text = toJsonList(objects);
    }
    const file = join(tree.dir, 'dump.json');
    writeFileSync(file, text);
    // Peak RSS of the scanning process itself, from inside it (no /usr/bin/time needed).
    const script = `
      import { main } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/cli/main.js'))};
      const started = performance.now();
      const code = await main(['scan', ${JSON.stringify(file)}, '--format', 'json', '--output', ${JSON.stringify(join(tree.dir, 'report.json'))}, '--fail-on', 'none']);
      console.log(JSON.stringify({ code, ms: performance.now() - started, maxRss: process.resourceUsage().maxRSS * 1024 }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.doesNotMatch(run.stderr, /^\s{4}at /m);
    const { code, ms, maxRss } = JSON.parse(run.stdout) as { code: number; ms: number; maxRss: number };
    t.diagnostic(`${(text.length / 1048576).toFixed(1)} MB, ${objects.length} objects: ${(ms / 1000).toFixed(1)} s, peak RSS ${(maxRss / 1048576).toFixed(0)} MB`);
    assert.equal(code, 0);
    const report = JSON.parse(readFileSync(join(tree.dir, 'report.json'), 'utf8')) as Report;
    assert.deepEqual(report.errors, []);
    assert.equal(objectsRead(report), objects.length);
  });

  it('a kubectl YAML List over the YAML limit is read item by item, with lines', () => {
    let objects = generateCluster({ objects: 6_000, seed: 3 });
    let yaml = toYamlList(objects);
    while (yaml.length <= MAX_YAML_CHARS) {
      objects = generateCluster({ objects: Math.ceil((objects.length * (MAX_YAML_CHARS + 1024 * 1024)) / yaml.length), seed: 3 });
      yaml = toYamlList(objects);
    }
    assert.match(yaml, /^apiVersion: v1\nitems:\n- apiVersion: /);
    const file = join(tree.dir, 'dump.yaml');
    writeFileSync(file, yaml);
    const { status, report } = scanJson([file]);
    assert.deepEqual(report.errors, []);
    assert.notEqual(status, 2);
    assert.equal(objectsRead(report), objects.length);
  });

  it('item by item, a YAML List gives the same objects and lines as a whole parse', () => {
    const text = toYamlList(generateCluster({ objects: 400, seed: 5 })).replace('kind: List', 'kind: List\n# trailing comment');
    assert.equal(splitYamlList(text), undefined, 'a top-level comment is not kubectl output');
    const kubectlStyle = toYamlList(generateCluster({ objects: 400, seed: 5 }));
    const whole = parseDocuments(kubectlStyle, 'dump.yaml').items;
    const split = splitYamlList(kubectlStyle)!;
    const byItem = split.items.flatMap((item) => parseDocuments(item.text, 'dump.yaml').items.map((i) => ({ ...i, location: { ...i.location, line: i.location.line! + item.line - 1 } })));
    assert.equal(byItem.length, 400);
    assert.deepEqual(byItem.map((i) => i.location.line), whole.map((i) => i.location.line));
    assert.deepEqual(byItem.map((i) => i.object), whole.map((i) => i.object));
  });

  it('other YAML over the limit: read by the fast reader; with anchors, a clear error advising JSON, no hang', () => {
    // As kubectl writes YAML: no anchors (the generator shares objects, which stringify would alias).
    const docs = generateCluster({ objects: 6_000, seed: 3 }).map((o) => stringify(o, { aliasDuplicateObjects: false }));
    let yaml = docs.join('---\n');
    let copies = 1;
    for (; yaml.length <= MAX_YAML_CHARS; copies *= 2) yaml += `---\n${yaml}`;
    const file = join(tree.dir, 'docs.yaml');
    writeFileSync(file, yaml);
    const read = scanJson([file]);
    assert.deepEqual(read.report.errors, []);
    assert.equal(objectsRead(read.report), docs.length * copies);
    writeFileSync(file, `${yaml}---\napiVersion: v1\nkind: ConfigMap\nmetadata: &meta {name: anchored, namespace: shop}\n`);
    const { status, report } = scanJson([file]);
    assert.equal(status, 2);
    assert.match(report.errors[0]!.message, /uses anchors or aliases; only the full YAML reader takes that, and the input is over its 16 MB limit for YAML other than a kubectl List dump; export it as JSON/);
  });
});
