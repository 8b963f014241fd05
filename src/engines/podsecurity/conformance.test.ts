// The upstream fixtures (kubernetes/pod-security-admission test/fixtures, 4,241 pods): every
// pass/ pod is allowed and every fail/ pod denied, with its check's substring in the message.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { PodSpec } from '../../inventory/pod.js';
import { describeWithCorpus } from '../../testing/corpus.js';
import { parseDocuments } from '../../sources/documents.js';
import { denialMessage } from './format.js';
import { evaluatePod } from './evaluate.js';
import type { Level } from './types.js';
import { parseVersion } from './version.js';

/** The README's table: file prefix (lowercased check id) -> substring the denial must contain. */
const SUBSTRINGS: Record<string, string> = {
  allowprivilegeescalation: '',
  apparmorprofile: 'forbidden AppArmor profile',
  capabilities_baseline: 'capabilities',
  capabilities_restricted: 'unrestricted capabilities',
  hostnamespaces: 'host namespaces',
  hostpathvolumes: 'hostPath',
  hostports: 'hostPort',
  hostprobesandhostlifecycle: 'probe or lifecycle host',
  privileged: '',
  procmount: 'procMount',
  restrictedvolumes: 'restricted volume types',
  runasnonroot: '',
  runasuser: '',
  selinuxoptions: 'seLinuxOptions',
  seccompprofile_baseline: 'seccompProfile',
  seccompprofile_restricted: 'seccompProfile',
  sysctls: 'forbidden sysctl',
  windowshostprocess: 'hostProcess',
};

/** The longest table prefix of a fixture name ("procmount_restricted0" -> "procmount"). */
function substringFor(name: string): string {
  const stem = name.replace(/[0-9]*\.yaml$/, '');
  let best: string | undefined;
  for (const prefix of Object.keys(SUBSTRINGS)) {
    if (stem.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  if (best === undefined) throw new Error(`fixture ${name} names no check of the README table`);
  return SUBSTRINGS[best]!;
}

describeWithCorpus('conformance', 'Pod Security Standards conformance (upstream fixtures)', (conformance) => {
  const TESTDATA = join(conformance, 'pod-security/testdata');

  it('agrees with every upstream fixture', () => {
    const counts = { total: 0, agreed: 0, pass: 0, fail: 0 };
    const disagreements: string[] = [];
    for (const level of ['baseline', 'restricted'] as Level[]) {
      for (const versionDir of readdirSync(join(TESTDATA, level)).sort()) {
        const parsed = parseVersion(versionDir);
        assert.ok(parsed.ok, `bad version folder ${versionDir}`);
        for (const expectation of ['pass', 'fail'] as const) {
          const dir = join(TESTDATA, level, versionDir, expectation);
          for (const file of readdirSync(dir).sort()) {
            const path = join(dir, file);
            const docs = parseDocuments(readFileSync(path, 'utf8'), path);
            assert.equal(docs.errors.length, 0, `${path}: ${JSON.stringify(docs.errors)}`);
            const pod = docs.items[0]!.object;
            const result = evaluatePod(level, parsed.value, pod.metadata, pod.spec as PodSpec);
            counts.total++;
            counts[expectation]++;
            const message = result.allowed ? '' : denialMessage(level, parsed.value, result.violations);
            const ok = expectation === 'pass' ? result.allowed : !result.allowed && message.includes(substringFor(file));
            if (ok) counts.agreed++;
            else disagreements.push(`${level}/${versionDir}/${expectation}/${file}: ${result.allowed ? 'allowed' : message}`);
          }
        }
      }
    }
    console.log(`pod-security conformance: ${counts.agreed}/${counts.total} fixtures agree (${counts.pass} pass, ${counts.fail} fail)`);
    assert.deepEqual(disagreements, []);
    assert.equal(counts.total, 4241);
  });
});
