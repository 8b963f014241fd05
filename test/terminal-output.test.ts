// What people read: the text outputs. (1) Names, namespaces, subjects, file names, messages and
// etcd keys from the input cannot control the terminal: every command is run on a real manifest
// whose names carry ESC, BEL, CR/LF, C1 and bidi characters, and no such character may reach
// stdout or stderr raw. (2) A manifest-only scan summarises what it could not evaluate.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../src/report/types.js';
import { escapeTerminal, terminalLines } from '../src/report/terminal.js';
import { itWithCorpus } from '../src/testing/corpus.js';
import { kubeward, tempTree, type CliResult } from '../src/testing/cli.js';
import { EtcdServer, plaintextProtobuf, putRaw } from '../src/testing/etcd.js';

/**
 * Sets the window title (OSC 0), clears the screen (CSI 2J), returns the carriage and starts a
 * line that looks like a HIGH finding, then opens a C1 CSI (U+009B) and reverses the text that
 * follows (U+202E RIGHT-TO-LEFT OVERRIDE).
 */
const EVIL = 'x\u001b]0;OWNED\u0007\u001b[2J\r\n  HIGH     forged-check\u009b31m\u202e';
/** EVIL as the printers must show it. */
const EVIL_SHOWN = 'x^[]0;OWNED^G^[[2J\\r\\n  HIGH     forged-check\\u009b31m\\u202e';

/** Every character a text output may not carry raw (a newline is the printers' own). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function assertSafe(text: string, what: string): void {
  const m = UNSAFE.exec(text);
  assert.equal(m, null, `${what}: raw U+${m?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 20))}`);
  assert.doesNotMatch(text, /^\s*HIGH\s+forged-check/m, `${what}: a forged line`);
}

/** Runs a text command: nothing unsafe on stdout or stderr, and the name shown escaped. */
function runText(args: string[], options: { shows?: boolean; input?: string } = {}): CliResult {
  const r = kubeward(args, options.input === undefined ? {} : { input: options.input });
  assertSafe(r.stdout, `kubeward ${args.slice(0, 3).join(' ')} stdout`);
  assertSafe(r.stderr, `kubeward ${args.slice(0, 3).join(' ')} stderr`);
  if (options.shows !== false) assert.ok(`${r.stdout}${r.stderr}`.includes(EVIL_SHOWN), `kubeward ${args.join(' ')} does not show the name escaped:\n${r.stdout}${r.stderr}`);
  return r;
}

/** A YAML double-quoted scalar with every character outside printable ASCII as a \u escape. */
function q(text: string): string {
  return `"${[...text].map((c) => (c === '"' || c === '\\' ? `\\${c}` : c >= ' ' && c <= '~' ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)).join('')}"`;
}

const E = q(EVIL);
const HOSTILE = `apiVersion: v1
kind: Namespace
metadata:
  name: ${E}
  labels: {pod-security.kubernetes.io/enforce: ${E}}
---
apiVersion: v1
kind: Pod
metadata: {name: ${E}, namespace: ${E}, labels: {app: web}}
spec:
  serviceAccountName: ${E}
  containers:
  - name: ${E}
    image: nginx:1.27.1
    securityContext: {privileged: true}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${E}, namespace: ${E}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${E}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ${E}, namespace: ${E}}, {kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${E}}
rules: [{apiGroups: [${E}], resources: [${E}], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${E}, namespace: ${E}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${E}}
subjects: [{kind: ServiceAccount, name: ${E}, namespace: ${E}}, {kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${E}, namespace: ${E}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: ${E}}
webhooks:
- name: ${E}
  clientConfig: {service: {name: ${E}, namespace: ${E}}}
  rules: [{apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
  sideEffects: None
  admissionReviewVersions: [v1]
`;

/** A file name is input too: one with the same characters (no "/"), and a broken one beside it. */
const FILE = `hostile${EVIL}.yaml`;
const BROKEN = `broken${EVIL}.yaml`;

describe('terminal injection: every text output escapes what the input carries', () => {
  const tree = tempTree({ [FILE]: HOSTILE, [BROKEN]: 'kind: [unclosed\n' });
  const file = `${tree.dir}/${FILE}`;
  after(tree.cleanup);

  it('escapeTerminal: C0, DEL, C1 and bidi controls are shown, printable text is kept', () => {
    assert.equal(escapeTerminal(EVIL), EVIL_SHOWN);
    assert.equal(escapeTerminal('\u0000\u0008\t\u007f\u0085\u061c\u200f\u2028\u2066\u2069'), '^@^H\\t^?\\u0085\\u061c\\u200f\\u2028\\u2066\\u2069');
    const plain = 'web-0 café 名前 🚀 "quoted" \\ back';
    assert.equal(escapeTerminal(plain), plain);
    // A line per line: a value cannot add one.
    assert.equal(terminalLines(['a\nb', 'c']), 'a\\nb\nc\n');
  });

  it('scan: the table, verbose or not, the input error and the file names', () => {
    const table = runText(['scan', tree.dir, '--fail-on', 'none']);
    assert.equal(table.status, 2, 'the broken file makes the scan incomplete');
    assert.match(table.stdout, /Incomplete scan: 1 input error/);
    assert.ok(table.stdout.includes(`broken${EVIL_SHOWN}.yaml:`), 'the input error names the file, escaped');
    assert.match(table.stdout, /^ {2}CRITICAL cluster-admin-equivalent-subject {2}ClusterRoleBinding x\^\[\]0;OWNED/m);
    runText(['scan', tree.dir, '--fail-on', 'none', '-v']);
  });

  it('scan --format junit: control characters escaped as in the table (most are not XML 1.0)', () => {
    const r = runText(['scan', file, '--format', 'junit', '--fail-on', 'none']);
    assert.match(r.stdout, /^<\?xml/);
  });

  it('scan --format json and sarif: the encoders escape every C0 character', () => {
    for (const format of ['json', 'sarif']) {
      const r = kubeward(['scan', file, '--format', format, '--fail-on', 'none']);
      assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f]/, format);
      assert.ok(r.stdout.includes('\\u001b]0;OWNED\\u0007'), `${format} keeps the name, JSON-escaped`);
    }
  });

  it('podsecurity: the verdicts and the namespace dry-run', () => {
    const verdicts = runText(['podsecurity', '--level', 'baseline', file]);
    assert.equal(verdicts.status, 1);
    assert.match(verdicts.stdout, /^DENIED {3}Pod x\^\[/m);
    runText(['podsecurity', '--namespace-dry-run', 'baseline', file]);
  });

  it('rbac: who-can, can, permissions and every format of paths', () => {
    runText(['rbac', 'who-can', 'get', 'secrets', file]);
    // SUBJECT arguments are checked, so the hostile names are reached through user alice's bindings.
    const can = runText(['rbac', 'can', 'user:alice', 'get', 'secrets', file]);
    assert.match(can.stdout, /^yes\n {2}ClusterRoleBinding x\^\[/);
    runText(['rbac', 'permissions', 'user:alice', file]);
    for (const format of ['text', 'mermaid']) runText(['rbac', 'paths', '--format', format, file]);
    // Graphviz strings are JSON-quoted (C0 as \u escapes); C1 and bidi are escaped on top.
    const dot = runText(['rbac', 'paths', '--format', 'dot', file], { shows: false });
    assert.ok(dot.stdout.includes('x\\u001b]0;OWNED\\u0007\\u001b[2J\\r\\n  HIGH     forged-check\\u009b31m\\u202e'), dot.stdout);
  });

  it('review: accounts, workloads and webhooks', () => {
    const r = runText(['review', file]);
    assert.match(r.stdout, /^Admission webhooks \(1\)$/m);
  });

  it('netpol: reach, matrix, and the input errors on stderr', () => {
    const reach = runText(['netpol', 'reach', '--from', `${EVIL}/${EVIL}`, '--to', `${EVIL}/${EVIL}`, '--port', '80', file]);
    assert.match(reach.stdout, /: ALLOWED$/m);
    runText(['netpol', 'matrix', file]);
    const broken = runText(['netpol', 'matrix', tree.dir]);
    assert.equal(broken.status, 2);
    assert.ok(broken.stderr.includes(`broken${EVIL_SHOWN}.yaml:`));
  });

  it('error messages: a missing file named like the input, an unknown command', () => {
    const missing = runText(['scan', `${tree.dir}/missing${EVIL}.yaml`]);
    assert.equal(missing.status, 2);
    const unknown = runText([EVIL]);
    assert.equal(unknown.status, 2);
  });

  describe('etcd verify-encryption: keys read from a real etcd', () => {
    let etcd: EtcdServer;
    before(async () => {
      etcd = await EtcdServer.start();
      const gateway = etcd.gateway();
      try {
        await putRaw(gateway, [[`/registry/secrets/${EVIL}/${EVIL}`, plaintextProtobuf('password=not-printed')]]);
      } finally {
        gateway.close();
      }
    });
    after(() => etcd.stop());

    it('names the plaintext Secret and its key escaped', () => {
      const r = runText(['etcd', 'verify-encryption', '--endpoints', etcd.endpoint]);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^ {2}HIGH {2}Secret x\^\[/m);
      assert.doesNotMatch(r.stdout, /not-printed/);
    });
  });
});

describe('checks --write', () => {
  it('to a folder that does not exist: a clear error naming the file, exit 2', () => {
    const tree = tempTree({});
    try {
      const r = kubeward(['checks', '--write', `${tree.dir}/missing-folder/checks.md`]);
      assert.equal(r.status, 2);
      assert.equal(r.stderr, `kubeward checks: cannot write --write ${tree.dir}/missing-folder/checks.md: no such file or directory\n`);
      assert.equal(r.stdout, '');
    } finally {
      tree.cleanup();
    }
  });
});

describe('manifest-only scans: not-evaluated results summarised in the table', () => {
  itWithCorpus('real-world', 'the Argo CD install fits one screen of findings plus the summary; -v and JSON keep every result', (realWorld) => {
    const install = `${realWorld}/argo-cd/install.yaml`;
    const json = JSON.parse(kubeward(['scan', install, '--format', 'json']).stdout) as Report;
    const notEvaluated = json.findings.filter((f) => f.status === 'not-evaluated');
    assert.equal(notEvaluated.length, 89, 'JSON keeps every not-evaluated finding');

    const table = kubeward(['scan', install]).stdout;
    const lines = table.trimEnd().split('\n');
    assert.equal(lines.length, 76, `the table:\n${table}`);
    // Every failure is there, two lines each; no not-evaluated finding is listed one by one.
    assert.equal(lines.filter((l) => /^ {2}(CRITICAL|HIGH|MEDIUM|LOW|INFO) /.test(l)).length, json.findings.filter((f) => f.status === 'fail').length);
    assert.ok(!table.includes('NOT-EVAL'));
    assert.ok(!lines.some((l) => l.includes('no kube-apiserver static pod')), 'the reasons are summarised, not repeated');
    // At most one not-evaluated line per section: on its own line, or on the section's line.
    const sections = table.split(/\n(?=\S.* \[[a-z-]+\])/).slice(1);
    assert.equal(sections.length, 17);
    for (const section of sections) assert.ok(section.split('\n').filter((l) => /not evaluated: /.test(l)).length <= 1, section);
    assert.match(table, /^Use Transport Layer Security \(TLS\) for all API traffic \[api-tls\] {2}\(13 not evaluated: 12 checks need --node-root or --cluster; 1 check needs --node-root\)$/m);
    assert.match(table, /^ {2}not evaluated: 6 checks need --node-root or --cluster; 2 checks need --node-root; binding-to-missing-serviceaccount \(3\): -v lists why$/m);
    // The closing line: how many checks each flag would evaluate, and that -v lists them.
    const closing = lines.find((l) => l.startsWith('Not evaluated for lack of input: '));
    assert.equal(closing, 'Not evaluated for lack of input: 65 checks need --node-root or --cluster, 15 checks need --node-root, 3 checks need --k8s-version, 2 checks need --etcd-endpoints (-v lists them with the reason)');
    const help = kubeward(['scan', '--help']).stdout;
    for (const flag of closing!.match(/--[a-z0-9-]+/g)!) assert.ok(help.includes(`  ${flag} `), `${flag} is a scan flag`);

    const verbose = kubeward(['scan', install, '-v']).stdout;
    assert.equal(verbose.split('\n').filter((l) => l.startsWith('  NOT-EVAL ')).length, 89, '-v lists each');
    assert.ok(verbose.includes(`\n${closing!.replace(' (-v lists them with the reason)', '')}\n`), 'the closing line, without the pointer to -v');
  });
});
