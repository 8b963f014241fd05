// Per-control break/fix tests of the CIS view, in the style of kube-bench's test data: each case
// copies the hardened example cluster (manifests and a kubeadm control-plane node root), checks
// that its control passes there, breaks it with one change and checks that the control fails.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { ControlReport, ControlVerdict } from '../frameworks/framework.js';
import type { Cis112ControlId } from '../frameworks/cis-1.12.js';
import { runScan } from '../scan/run.js';
import { loadPaths } from '../sources/files.js';
import { STAT_SIDECAR } from '../sources/node-root.js';
import { withTempTree } from './cli.js';
import { REPO_ROOT } from './index.js';

/** The hardened example's certificates are valid around this date (see test/examples.test.ts). */
export const HARDENED_NOW = '2027-01-15T00:00:00Z';
const HARDENED = join(REPO_ROOT, 'examples/hardened-cluster');

/** A writable copy of examples/hardened-cluster: cluster/ (manifests) and node-root/. */
export class CisTree {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'kubeward-cis-'));
    cpSync(HARDENED, this.dir, { recursive: true, verbatimSymlinks: true });
  }

  get nodeRoot(): string {
    return join(this.dir, 'node-root');
  }

  private hostPath(nodePath: string): string {
    return join(this.nodeRoot, nodePath);
  }

  /** Records the mode and owner the file has on the node (the copy's .kubeward-stat.tsv). */
  setStat(nodePath: string, mode: number, uid = 0, gid = 0): void {
    const sidecar = join(this.nodeRoot, STAT_SIDECAR);
    const lines = readFileSync(sidecar, 'utf8').split('\n').filter((l) => l !== '' && l.split('\t')[0] !== nodePath);
    lines.push(`${nodePath}\t${mode.toString(8)}\t${uid}\t${gid}`);
    writeFileSync(sidecar, `${lines.join('\n')}\n`);
  }

  writeNodeFile(nodePath: string, text: string, mode = 0o600, uid = 0, gid = 0): void {
    mkdirSync(dirname(this.hostPath(nodePath)), { recursive: true });
    writeFileSync(this.hostPath(nodePath), text);
    this.setStat(nodePath, mode, uid, gid);
  }

  editNodeFile(nodePath: string, edit: (text: string) => string): void {
    const before = readFileSync(this.hostPath(nodePath), 'utf8');
    const after = edit(before);
    assert.notEqual(after, before, `the edit changed nothing in ${nodePath}`);
    writeFileSync(this.hostPath(nodePath), after);
  }

  removeNodeFile(nodePath: string): void {
    rmSync(this.hostPath(nodePath), { recursive: true });
    const sidecar = join(this.nodeRoot, STAT_SIDECAR);
    const kept = readFileSync(sidecar, 'utf8').split('\n').filter((l) => l !== '' && l.split('\t')[0] !== nodePath && !l.startsWith(`${nodePath}/`));
    writeFileSync(sidecar, `${kept.join('\n')}\n`);
  }

  /**
   * Sets `--flag=value` in the command of /etc/kubernetes/manifests/<component>.yaml (added after
   * the command's first element when absent); undefined removes the flag.
   */
  setFlag(component: string, flag: string, value: string | undefined): void {
    this.editNodeFile(`/etc/kubernetes/manifests/${component}.yaml`, (text) => {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^\\s*- --${flag}(=|$)`).test(l));
      if (at >= 0) {
        if (value === undefined) lines.splice(at, 1);
        else lines[at] = lines[at]!.replace(/- --.*$/, `- --${flag}=${value}`);
        return lines.join('\n');
      }
      assert.ok(value !== undefined, `--${flag} is not set in ${component}.yaml`);
      const command = lines.findIndex((l) => new RegExp(`^\\s*- ${component}$`).test(l));
      assert.ok(command >= 0, `no "- ${component}" command line in ${component}.yaml`);
      lines.splice(command + 1, 0, `${lines[command]!.replace(/- .*$/, '')}- --${flag}=${value}`);
      return lines.join('\n');
    });
  }

  /** Edits /var/lib/kubelet/config.yaml as a plain object. */
  editKubeletConfig(edit: (config: Record<string, unknown>) => void): void {
    this.editNodeFile('/var/lib/kubelet/config.yaml', (text) => {
      const config = parse(text) as Record<string, unknown>;
      edit(config);
      return stringify(config);
    });
  }

  /** A new manifest file in cluster/. */
  addManifest(yaml: string): void {
    let n = 0;
    while (existsSync(join(this.dir, 'cluster', `zz-case-${n}.yaml`))) n++;
    writeFileSync(join(this.dir, 'cluster', `zz-case-${n}.yaml`), yaml);
  }

  editClusterFile(relPath: string, edit: (text: string) => string): void {
    const file = join(this.dir, 'cluster', relPath);
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    assert.notEqual(after, before, `the edit changed nothing in cluster/${relPath}`);
    writeFileSync(file, after);
  }

  /** Edits one object of a cluster/ file that holds a List, as a plain object. */
  editObject(relPath: string, kind: string, namespace: string | undefined, name: string, edit: (object: Record<string, unknown>) => void): void {
    this.editClusterFile(relPath, (text) => {
      const list = parse(text) as { items: Record<string, unknown>[] };
      const found = list.items.find((o) => {
        const meta = o.metadata as { name: string; namespace?: string };
        return o.kind === kind && meta.name === name && meta.namespace === namespace;
      });
      assert.ok(found, `${kind} ${namespace ?? ''}/${name} is not in cluster/${relPath}`);
      edit(found);
      return stringify(list);
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Obj = Record<string, unknown>;

/** A case's change: edits shop/web's pod template and its first container (cluster/apps.yaml). */
export const editShopWeb = (edit: (spec: Obj, container: Obj) => void) => (t: CisTree) => t.editObject('apps.yaml', 'Deployment', 'shop', 'web', (o) => {
  const spec = ((o.spec as Obj).template as Obj).spec as Obj;
  edit(spec, (spec.containers as Obj[])[0]!);
});

/** A pod's or container's securityContext, added when it has none. */
export const securityContext = (o: Obj) => (o.securityContext ??= {}) as Obj;

/** Scans the tree (manifests and node root) and returns each CIS 1.12 control's report. */
export async function cisControls(dir: string): Promise<Map<string, ControlReport>> {
  const load = await loadPaths([dir]);
  const report = runScan(load, { now: new Date(HARDENED_NOW), framework: 'cis-1.12' });
  assert.deepEqual(report.errors, [], 'the input must read without errors');
  return new Map(report.framework!.controls.map((c) => [c.id, c]));
}

export interface CisCase {
  control: Cis112ControlId;
  /** What the mutation does, e.g. "kube-apiserver.yaml mode 0644". */
  change: string;
  mutate: (tree: CisTree) => void;
  /** The verdict after the change (default fail). */
  expect?: ControlVerdict;
}

function describeControl(c: ControlReport | undefined): string {
  if (!c) return 'missing';
  const evidence = c.evidence.map((e) => `${e.check} ${e.outcome}: ${e.message ?? ''}${e.note ? ` (${e.note})` : ''}`).join(' | ');
  return `${c.verdict}${c.reason ? ` (${c.reason})` : ''} checks=[${c.checks.join(', ')}] ${evidence}`;
}

/** One test per case: the control passes on the hardened cluster, and the change gives `expect`. */
export function cisControlCases(title: string, cases: readonly CisCase[]): void {
  describe(title, () => {
    let hardened: Map<string, ControlReport>;
    before(async () => {
      hardened = await cisControls(HARDENED);
    });
    for (const c of cases) {
      it(`${c.control}: ${c.change} → ${c.expect ?? 'fail'}`, async () => {
        assert.equal(hardened.get(c.control)?.verdict, 'pass', `${c.control} on the hardened cluster: ${describeControl(hardened.get(c.control))}`);
        const tree = new CisTree();
        after(() => tree.remove());
        c.mutate(tree);
        const broken = (await cisControls(tree.dir)).get(c.control);
        assert.equal(broken?.verdict, c.expect ?? 'fail', `${c.control} after "${c.change}": ${describeControl(broken)}`);
      });
    }
  });
}

export interface CisManifestCase {
  control: Cis112ControlId;
  change: string;
  /** The whole input: these manifests, nothing else. */
  yaml: string;
  expect: ControlVerdict;
}

/**
 * One test per case on a small input, the way kube-bench's own test data does, for the controls
 * the hardened cluster fails as every kubeadm cluster does.
 */
export function cisManifestCases(title: string, cases: readonly CisManifestCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(`${c.control}: ${c.change} → ${c.expect}`, async () => {
        const control = await withTempTree({ 'cluster.yaml': c.yaml }, async (dir) => (await cisControls(dir)).get(c.control));
        assert.equal(control?.verdict, c.expect, `${c.control} on "${c.change}": ${describeControl(control)}`);
      });
    }
  });
}
