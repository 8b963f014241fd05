// The bundled example clusters, scanned the way users scan them: through the CLI (JSON report,
// validated against the report schema) and through runScan. The insecure cluster must show the
// guide's typical mistakes across sections; the hardened one must have no high or critical
// failure.
//
// The hardened cluster's leaf certificates are valid for one year from the day
// examples/tools/make-pki.sh made them, and end-of-life verdicts depend on the date, so every
// scan here runs at a fixed --now inside that validity: the tests keep passing after the
// certificates expire. Regenerating the certificates means moving SCAN_NOW into their new year.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { SECTIONS, severityRank } from '../src/checks/sections.js';
import type { Report } from '../src/report/types.js';
import { CLUSTER_SCOPED_KINDS, isNamespacedKind } from '../src/inventory/kinds.js';
import { selectorMatches } from '../src/inventory/labels.js';
import { runScan, buildInventory } from '../src/scan/run.js';
import { loadPaths } from '../src/sources/files.js';
import { REPO_ROOT } from '../src/testing/index.js';
import { reportValidator } from '../src/testing/report-schema.js';

const SCAN_NOW = '2027-01-15T00:00:00Z';
/** Sections judged from the control-plane config files the examples ship (audit policy, gates, encryption config). */
const CONFIG_FILE_SECTIONS = new Set(['audit-logging', 'feature-stages', 'secrets-encryption']);
// They judge values read from a live etcd (scan --etcd-endpoints), which an example folder cannot hold.
const LIVE_ETCD_CHECKS = new Set(['secret-stored-in-plaintext', 'stored-value-encrypted-with-old-key']);
const run = promisify(execFile);

async function scanWithCli(example: string): Promise<{ report: Report; exitCode: number }> {
  const args = [join(REPO_ROOT, 'bin/kubeward.js'), 'scan', join('examples', example), '--format', 'json', '--now', SCAN_NOW];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { report: JSON.parse(stdout) as Report, exitCode: 0 };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number' || !err.stdout) throw e;
    return { report: JSON.parse(err.stdout) as Report, exitCode: err.code };
  }
}

function failingSections(report: Report): string[] {
  return [...new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.section))].sort();
}

function describeFindings(report: Report, minSeverity: 'high' | 'info'): string {
  return report.findings
    .filter((f) => f.status === 'fail' && severityRank(f.severity) >= severityRank(minSeverity))
    .map((f) => `${f.severity} ${f.check} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}: ${f.message}`)
    .join('\n');
}

describe('examples/insecure-cluster', () => {
  it('scans completely through the CLI, validates against the report schema, and fails', async () => {
    const { report, exitCode } = await scanWithCli('insecure-cluster');
    const validate = reportValidator();
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(report.errors, [], 'every example file must parse');
    assert.equal(exitCode, 1, 'high or critical findings exit 1');
    assert.equal(report.kubernetesVersion, 'v1.30.2');
  });

  it('fails checks in every one of the guide\'s 17 sections', async () => {
    const { report } = await scanWithCli('insecure-cluster');
    const sections = failingSections(report);
    // Printed so a run shows which sections the example demonstrates.
    console.log(`insecure-cluster fails ${sections.length} sections: ${sections.join(', ')}`);
    assert.ok(sections.length >= 5, `only ${sections.length} sections fail: ${sections.join(', ')}`);
    assert.deepEqual(sections, SECTIONS.map((s) => s.slug).sort());
  });

  it('shows the mistakes the example was written to show', async () => {
    const load = await loadPaths([join(REPO_ROOT, 'examples/insecure-cluster')]);
    const report = runScan(load, { now: new Date(SCAN_NOW) });
    const failed = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.check));
    // The node root gives these sections everything they read: none of their checks is left unjudged.
    const unjudged = report.findings.filter((f) => CONFIG_FILE_SECTIONS.has(f.section) && f.status === 'not-evaluated' && !LIVE_ETCD_CHECKS.has(f.check));
    assert.deepEqual(unjudged.map((f) => `${f.check}: ${f.message}`), []);
    for (const check of [
      'namespace-without-resource-quota',
      'audit-policy-logs-sensitive-bodies',
      'audit-log-without-rotation',
      'audit-rule-shadowed',
      'alpha-feature-gate-enabled',
      'all-alpha-feature-gates-enabled',
      'beta-feature-gate-enabled',
      'alpha-api-enabled',
      'encryption-identity-first',
      'configmaps-not-encrypted',
      'encryption-config-readable-by-others',
    ]) {
      assert.ok(failed.has(check), `expected a failure of ${check}; failing checks: ${[...failed].sort().join(', ')}`);
    }
  });
});

describe('examples/hardened-cluster', () => {
  it('scans completely through the CLI, validates against the report schema, and has no high or critical failure', async () => {
    const { report, exitCode } = await scanWithCli('hardened-cluster');
    const validate = reportValidator();
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(report.errors, []);
    assert.equal(describeFindings(report, 'high'), '', 'the hardened cluster must have no high or critical failure');
    assert.equal(exitCode, 0);
    assert.equal(report.kubernetesVersion, 'v1.37.1');
  });

  it('passes the checks the insecure cluster fails in its own sections, through runScan', async () => {
    const load = await loadPaths([join(REPO_ROOT, 'examples/hardened-cluster')]);
    const report = runScan(load, { now: new Date(SCAN_NOW) });
    const bad = report.findings.filter((f) => CONFIG_FILE_SECTIONS.has(f.section) && !LIVE_ETCD_CHECKS.has(f.check));
    assert.deepEqual(bad.map((f) => `${f.check}: ${f.message}`), []);
    const passed = report.checks.filter((c) => CONFIG_FILE_SECTIONS.has(c.section) && c.pass > 0).map((c) => c.id);
    assert.ok(passed.length >= 5, `few checks passed: ${passed.join(', ')}`);
  });
});

describe('the example dumps are consistent, as a real cluster\'s would be', () => {
  for (const example of ['insecure-cluster', 'hardened-cluster']) {
    it(`${example}: names, namespaces, owners, references and selectors resolve`, async () => {
      const load = await loadPaths([join(REPO_ROOT, 'examples', example, 'cluster')]);
      assert.deepEqual(load.errors, []);
      const inventory = buildInventory(load);
      const problems: string[] = [];
      const uids = new Set<string>();
      const namespaces = new Set(inventory.ofKind('Namespace').map((n) => n.ref.name));
      for (const item of inventory.items) {
        const { object, ref } = item;
        const where = `${ref.kind} ${ref.namespace ?? ''}/${ref.name}`;
        if (!object.apiVersion || !object.metadata?.name) problems.push(`${where}: no apiVersion or name`);
        if (!isNamespacedKind(ref.kind) && !CLUSTER_SCOPED_KINDS.has(ref.kind)) problems.push(`${where}: unknown kind`);
        if (isNamespacedKind(ref.kind) && !namespaces.has(object.metadata?.namespace ?? '')) problems.push(`${where}: namespace missing`);
        const uid = object.metadata?.uid;
        if (uid && uids.has(uid)) problems.push(`${where}: duplicate uid`);
        if (uid) uids.add(uid);
        for (const owner of object.metadata?.ownerReferences ?? []) {
          const found = inventory.get(owner.kind!, ref.namespace, owner.name!);
          if (found?.object.metadata?.uid !== owner.uid) problems.push(`${where}: owner ${owner.kind}/${owner.name} missing or with another uid`);
        }
        if (ref.kind === 'RoleBinding' || ref.kind === 'ClusterRoleBinding') {
          const roleRef = object.roleRef as { kind: string; name: string };
          if (!inventory.get(roleRef.kind, ref.namespace, roleRef.name)) problems.push(`${where}: role ${roleRef.kind}/${roleRef.name} missing`);
          for (const subject of (object.subjects ?? []) as { kind: string; name: string; namespace?: string }[]) {
            if (subject.kind === 'ServiceAccount' && !inventory.get('ServiceAccount', subject.namespace ?? ref.namespace, subject.name)) problems.push(`${where}: ServiceAccount ${subject.namespace}/${subject.name} missing`);
          }
        }
        if (ref.kind === 'Service') {
          const selector = (object.spec as { selector?: Record<string, string> }).selector;
          if (selector && inventory.inNamespace(ref.namespace!, 'Pod').every((p) => !selectorMatches({ matchLabels: selector }, p.object.metadata?.labels))) problems.push(`${where}: selects no pod`);
        }
      }
      for (const pod of inventory.podSpecs()) {
        const where = `${pod.item.ref.kind} ${pod.namespace}/${pod.item.ref.name}`;
        const account = pod.spec.serviceAccountName ?? 'default';
        if (!inventory.get('ServiceAccount', pod.namespace, account)) problems.push(`${where}: ServiceAccount ${account} missing`);
        if (pod.spec.nodeName && !inventory.get('Node', undefined, pod.spec.nodeName)) problems.push(`${where}: node ${pod.spec.nodeName} missing`);
        for (const volume of pod.spec.volumes ?? []) {
          const configMap = (volume.configMap as { name?: string } | undefined)?.name;
          const secret = (volume.secret as { secretName?: string } | undefined)?.secretName;
          if (configMap && !inventory.get('ConfigMap', pod.namespace, configMap)) problems.push(`${where}: ConfigMap ${configMap} missing`);
          if (secret && !inventory.get('Secret', pod.namespace, secret)) problems.push(`${where}: Secret ${secret} missing`);
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(inventory.items.length >= 100 && inventory.items.length <= 200, `${inventory.items.length} objects`);
    });
  }
});
