// The fast YAML reader (js-yaml) against the full one (the `yaml` library): the same items,
// values, lines and errors, and the full reader taking over whenever the fast one cannot match it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCluster, toYamlList } from '../../bench/generate.js';
import { describeWithCorpus } from '../testing/corpus.js';
import { fieldLinesOf } from '../inventory/field-lines.js';
import { parseDocuments, readFast } from './documents.js';

/** Parses with the fast reader (the default) and with the full reader only, and checks they agree. */
function bothWays(text: string, source = 'input.yaml') {
  const fast = parseDocuments(text, source);
  const full = parseDocuments(text, source, { fastReader: false });
  assert.deepEqual(fast, full);
  return fast;
}

const linesOf = (text: string) => parseDocuments(text, 'x.yaml').items.map((i) => [i.ref.name, i.location.line]);

describeWithCorpus('real-world', 'fast YAML reader on the real-world manifests', (REAL_WORLD) => {
  const files = readdirSync(REAL_WORLD, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(REAL_WORLD, d.name)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(REAL_WORLD, d.name, f)));

  it('finds the real-world manifests', () => assert.equal(files.length, 8));

  for (const file of files) {
    it(`reads ${file.slice(REAL_WORLD.length + 1)} fast, with the full reader's items and lines`, () => {
      const text = readFileSync(file, 'utf8');
      assert.equal(readFast(text).ok, true, 'the fast reader took it');
      const parsed = bothWays(text, file);
      assert.ok(parsed.items.length > 0);
      assert.deepEqual(parsed.errors, []);
    });
  }

  it('CRLF line ends: the same items and lines', () => {
    const text = readFileSync(join(REAL_WORLD, 'metallb/metallb-native.yaml'), 'utf8').replace(/\n/g, '\r\n');
    assert.equal(readFast(text).ok, true);
    assert.equal(bothWays(text).items.length, 26);
  });
});

describe('fast YAML reader', () => {
  it('gives the lines of documents and List items, whatever the layout', () => {
    const text = `# leading comment
---

# comment before the root
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a, namespace: ns}
-
  # comment inside an item
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: b, namespace: ns}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: ns}}
---
kind: ConfigMapList
apiVersion: v1
items:
  - metadata: {name: d, namespace: ns}
  - metadata:
      name: e
      namespace: ns
---
apiVersion: v1
kind: ConfigMap
metadata: {name: f, namespace: ns}
`;
    assert.equal(readFast(text).ok, true);
    bothWays(text);
    assert.deepEqual(linesOf(text), [['a', 8], ['b', 13], ['c', 16], ['d', 21], ['e', 22], ['f', 26]]);
  });

  it('gives the lines of List items in flow style and of bare sequences', () => {
    const text = `{apiVersion: v1, kind: List, items: [
  {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: ns}},
  {apiVersion: v1, kind: ConfigMap,
   metadata: {name: b, namespace: ns}}]}
---
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: ns}}
-
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: d, namespace: ns}
---
apiVersion: v1
kind: List
items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: e, namespace: ns}},
  {apiVersion: v1, kind: ConfigMap, metadata: {name: f, namespace: ns}}]
`;
    assert.equal(readFast(text).ok, true);
    bothWays(text);
    assert.deepEqual(linesOf(text), [['a', 2], ['b', 3], ['c', 6], ['d', 6], ['e', 14], ['f', 15]]);
  });

  it('a generated kubectl List dump: same objects and lines', () => {
    const text = toYamlList(generateCluster({ objects: 300, seed: 7 }));
    assert.equal(readFast(text).ok, true);
    assert.equal(bothWays(text, 'dump.yaml').items.length, 300);
  });

  it('keeps the values of YAML 1.2 core: yes/on stay strings, 017 is 17, 0b101 and 1_000 stay strings', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: values, namespace: ns}
data:
  yes: yes
  on: on
  off: Off
  y: y
  n: N
  true: True
  false: FALSE
  octal: 017
  octal12: 0o17
  hex: 0x1F
  binary: 0b101
  underscored: 1_000
  sexagesimal: 1:20
  exp: 1e3
  float: 1.50
  dot: .5
  inf: -.inf
  nan: .NaN
  tilde: ~
  upper: NULL
  empty:
  plus: +12
  zero: 012345
  timestamp: 2024-01-01T00:00:00Z
  date: 2024-01-01
  quoted: "0x1F"
  single: '017'
  folded: >
    a
    b
  literal: |
    x
      y
  tagged: !!str 17
  duplicated: first
  duplicated: last
`;
    assert.equal(readFast(text).ok, true);
    const data = bothWays(text).items[0]!.object.data as Record<string, unknown>;
    assert.deepEqual(data, {
      yes: 'yes', on: 'on', off: 'Off', y: 'y', n: 'N', true: true, false: false,
      octal: 17, octal12: 15, hex: 31, binary: '0b101', underscored: '1_000', sexagesimal: '1:20',
      exp: 1000, float: 1.5, dot: 0.5, inf: -Infinity, nan: NaN, tilde: null, upper: null, empty: null,
      plus: 12, zero: 12345, timestamp: '2024-01-01T00:00:00Z', date: '2024-01-01', quoted: '0x1F', single: '017',
      folded: 'a b\n', literal: 'x\n  y\n', tagged: '17', duplicated: 'last',
    });
  });

  it('a %YAML 1.1 directive goes to the full reader, which reads yes as true there', () => {
    const text = '%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: v, namespace: ns}\ndata: {a: yes}\n';
    assert.deepEqual(readFast(text), { ok: false, reason: 'has a %YAML directive' });
    assert.deepEqual(bothWays(text).items[0]!.object.data, { a: true });
  });

  it('null and collection keys go to the full reader, which names them as before', () => {
    for (const text of [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k, namespace: ns}\ndata:\n  ~: tilde\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k, namespace: ns}\ndata:\n  ? [a, b]\n  : pair\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k, namespace: ns}\ndata: {? {a: 1} : x}\n',
    ]) {
      assert.equal(readFast(text).ok, false, text);
      assert.equal(bothWays(text).items.length, 1);
    }
  });

  it('anchors and aliases go to the full reader: same values, and an alias bomb is still caught', () => {
    const anchored = `apiVersion: v1
kind: ConfigMap
metadata: {name: anchored, namespace: ns, labels: &labels {app: web}}
data: {copy: *labels}
`;
    assert.deepEqual(readFast(anchored), { ok: false, reason: 'uses anchors or aliases' });
    assert.deepEqual(bothWays(anchored).items[0]!.object.data, { copy: { app: 'web' } });
    const bomb = `apiVersion: v1
kind: ConfigMap
metadata: {name: fine, namespace: ns}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: lol, namespace: ns}
data:
  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]
`;
    assert.equal(readFast(bomb).ok, false);
    const parsed = bothWays(bomb);
    assert.deepEqual(parsed.items.map((i) => i.ref.name), ['fine']);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0]!.message, /alias/);
    assert.equal(parsed.errors[0]!.line, 5);
  });

  it('an invalid document among valid ones: the full reader reports it, the others are still read', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: before, namespace: ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
  labels: [unclosed
  namespace: ns
---
apiVersion: v1
kind: ConfigMap
metadata: {name: after, namespace: ns}
`;
    const fast = readFast(text);
    assert.equal(fast.ok, false);
    assert.ok(!fast.ok && fast.line !== undefined && fast.line >= 9, 'js-yaml says where');
    const parsed = bothWays(text);
    assert.deepEqual(parsed.items.map((i) => [i.ref.name, i.location.line]), [['before', 1], ['after', 12]]);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0]!.message, /^invalid YAML: /);
    assert.equal(parsed.errors[0]!.source, 'input.yaml');
  });

  it('Helm templates keep the full reader and its hint at the template line', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  namespace: ns\n';
    const parsed = bothWays(text);
    assert.equal(parsed.errors.length, 1);
    assert.equal(parsed.errors[0]!.line, 4);
    assert.match(parsed.errors[0]!.message, /Helm template/);
  });

  it('empty documents and comments only: nothing read, nothing reported', () => {
    for (const text of ['\n---\n# only a comment\n---\n', '# nothing\n', '---\n...\n']) {
      const parsed = bothWays(text);
      assert.deepEqual([parsed.items, parsed.errors, parsed.skipped.notKubernetes], [[], [], 0]);
    }
  });

  it('deep nesting beyond js-yaml limits falls back rather than failing', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: ns}\ndata: {x: ${'['.repeat(150)}1${']'.repeat(150)}}\n`;
    const parsed = bothWays(deep);
    assert.deepEqual(parsed.items.map((i) => i.ref.name), ['deep']);
  });
});

describe('field lines from the fast reader', () => {
  const fieldLines = (text: string, fastReader: boolean): [string, [string, number][] | undefined][] =>
    parseDocuments(text, 'config.yaml', { fieldLines: true, fastReader }).items.map((i) => [i.ref.name, fieldLinesOf(i.object) && [...fieldLinesOf(i.object)!]]);

  describeWithCorpus('real-world', 'on the real-world manifests', (REAL_WORLD) => {
    for (const dir of readdirSync(REAL_WORLD, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      it(`${dir.name}: the same line for every field as the full reader`, () => {
        for (const file of readdirSync(join(REAL_WORLD, dir.name)).filter((f) => /\.ya?ml$/.test(f))) {
          const text = readFileSync(join(REAL_WORLD, dir.name, file), 'utf8');
          assert.equal(readFast(text, { fieldLines: true }).ok, true);
          const fast = fieldLines(text, true);
          assert.ok(fast.every(([, lines]) => lines && lines.length > 3), 'every object has field lines');
          assert.deepEqual(fast, fieldLines(text, false));
        }
      });
    }
  });

  it('empty values, flow collections and comments', () => {
    const text = `apiVersion: audit.k8s.io/v1
kind: Policy
metadata:
  name: p
omitStages:
rules:
- {}
- level: Metadata   # comment
  users: ["a", b]

  verbs:
  - get
  - ""
  - list
- level: None
  resources: [{group: "", resources: [secrets]}]
`;
    assert.equal(readFast(text, { fieldLines: true }).ok, true);
    const [[, fast]] = fieldLines(text, true);
    assert.deepEqual(fast, fieldLines(text, false)[0]![1]);
    const lines = new Map(fast);
    assert.equal(lines.get('omitStages'), 5);
    assert.equal(lines.get('rules[0]'), 7);
    assert.equal(lines.get('rules[1].verbs[2]'), 14);
    assert.equal(lines.get('rules[2].resources[0].resources[0]'), 16);
  });

  it('empty list elements: the full reader tells their lines', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n-\n- level: None\n';
    assert.equal(readFast(text, { fieldLines: true }).ok, false);
    const [[, lines]] = fieldLines(text, true);
    assert.equal(new Map(lines).get('rules[0]'), 4);
  });

  it('duplicate keys: the full reader tells the lines', () => {
    const text = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\nreadOnlyPort: 0\n';
    assert.equal(readFast(text).ok, true);
    assert.equal(readFast(text, { fieldLines: true }).ok, false);
    assert.deepEqual(fieldLines(text, true), fieldLines(text, false));
    assert.equal(parseDocuments(text, 'config.yaml').items[0]!.object.readOnlyPort, 0);
  });
});
