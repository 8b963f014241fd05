// Pod Security Standards throughput: restricted:latest over a mix of the upstream fixture pods
// (every pod of every level and version folder, pass and fail), on one core.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LATEST, evaluatePlan, planFor, denialMessage } from '../src/engines/podsecurity/index.js';
import type { PodSpec } from '../src/inventory/pod.js';
import type { ObjectMeta } from '../src/inventory/types.js';
import { parseDocuments } from '../src/sources/documents.js';
import { SHARED } from '../src/testing/index.js';

function fixturePods(): { metadata: ObjectMeta | undefined; spec: PodSpec }[] {
  const root = join(SHARED, 'conformance/pod-security/testdata');
  const pods: { metadata: ObjectMeta | undefined; spec: PodSpec }[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const version of readdirSync(join(root, level))) {
      for (const expectation of ['pass', 'fail']) {
        const dir = join(root, level, version, expectation);
        for (const file of readdirSync(dir)) {
          const path = join(dir, file);
          for (const item of parseDocuments(readFileSync(path, 'utf8'), path).items) {
            pods.push({ metadata: item.object.metadata, spec: item.object.spec as PodSpec });
          }
        }
      }
    }
  }
  return pods;
}

export async function run(): Promise<void> {
  const pods = fixturePods();
  const plan = planFor('restricted', LATEST);
  let denied = 0;
  const pass = (withMessage: boolean) => {
    denied = 0;
    for (let i = 0; i < pods.length; i++) {
      const result = evaluatePlan(plan, pods[i]!.metadata, pods[i]!.spec);
      if (!result.allowed) {
        denied++;
        if (withMessage) denialMessage('restricted', LATEST, result.violations);
      }
    }
  };
  for (let i = 0; i < 20; i++) pass(true); // warm-up
  for (const withMessage of [false, true]) {
    const rounds = 100;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) pass(withMessage);
    const seconds = (performance.now() - start) / 1000;
    const perSecond = Math.round((rounds * pods.length) / seconds);
    process.stdout.write(
      `podsecurity: restricted:latest ${withMessage ? 'verdicts + denial messages' : 'verdicts + violations'}: ` +
        `${perSecond.toLocaleString('en-US')} pods/s (${((seconds * 1e6) / (rounds * pods.length)).toFixed(2)} µs/pod; ` +
        `${pods.length} fixture pods, ${denied} denied; target >= 100,000 pods/s)\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
