// The shared Pod Security evaluation skips the baseline checks when it evaluates restricted on a
// pod that meets baseline: on every upstream fixture, at every version, its answers must be the
// engine's own.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { evaluatePod, policyVersion, type Level } from '../../engines/podsecurity/index.js';
import { parseKubeVersion } from '../../inventory/version.js';
import { createContext } from '../../scan/run.js';
import { describeWithCorpus } from '../../testing/corpus.js';
import { inventoryFromYaml } from '../../testing/index.js';
import { podSecurityScan } from './pod-security.js';

describeWithCorpus('conformance', 'podSecurityScan', (conformance) => {
  const TESTDATA = join(conformance, 'pod-security/testdata');

  it('answers baseline and restricted as the engine does on every upstream fixture', () => {
    let compared = 0;
    let restrictedOnly = 0;
    for (const level of ['baseline', 'restricted'] as Level[]) {
      for (const versionDir of readdirSync(join(TESTDATA, level))) {
        const k8sVersion = parseKubeVersion(versionDir);
        assert.ok(k8sVersion, versionDir);
        const version = policyVersion(k8sVersion.minor);
        for (const expectation of ['pass', 'fail']) {
          const dir = join(TESTDATA, level, versionDir, expectation);
          for (const file of readdirSync(dir)) {
            const ctx = createContext(inventoryFromYaml(readFileSync(join(dir, file), 'utf8'), file), k8sVersion, new Date('2026-06-01T00:00:00Z'));
            const scan = podSecurityScan(ctx);
            const pod = ctx.inventory.podSpecs()[0]!;
            // Restricted first (it evaluates baseline on its own), then both again from the cache.
            for (const asked of ['restricted', 'baseline', 'restricted'] as Level[]) {
              assert.deepEqual(scan.evaluate(pod, asked), evaluatePod(asked, version, pod.podMetadata, pod.spec), `${level}/${versionDir}/${expectation}/${file} at ${asked}`);
              compared++;
            }
            if (scan.evaluate(pod, 'baseline')!.allowed && !scan.evaluate(pod, 'restricted')!.allowed) restrictedOnly++;
          }
        }
      }
    }
    assert.equal(compared, 3 * 4241);
    // The shortcut (baseline met, restricted violated) must be exercised.
    assert.ok(restrictedOnly > 500, `restricted-only violations: ${restrictedOnly}`);
  });
});
