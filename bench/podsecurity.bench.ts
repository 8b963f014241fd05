// Pod Security Standards throughput: restricted:latest over a mix of the upstream fixture pods
// (every pod of every level and version folder, pass and fail), on one core.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LATEST, evaluatePlan, planFor, denialMessage } from '../src/engines/podsecurity/index.js';
import type { PodSpec } from '../src/inventory/pod.js';
import type { ObjectMeta } from '../src/inventory/types.js';
import { parseDocuments } from '../src/sources/documents.js';
import { corpus } from '../src/testing/corpus.js';

function fixturePods(conformance: string): { metadata: ObjectMeta | undefined; spec: PodSpec }[] {
  const root = join(conformance, 'pod-security/testdata');
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
  const conformance = corpus('conformance');
  if (conformance.skip) {
    process.stdout.write(`podsecurity: skipped, ${conformance.skip}\n`);
    return;
  }
  const fixtures = fixturePods(conformance.path);
  const fixtureCount = fixtures.length;
  const plan = planFor('restricted', LATEST);
  let denied = 0;
  const pass = (withMessage: boolean) => {
    denied = 0;
    for (let i = 0; i < fixtureCount; i++) {
      const result = evaluatePlan(plan, fixtures[i]!.metadata, fixtures[i]!.spec);
      if (!result.allowed) {
        denied++;
        if (withMessage) denialMessage('restricted', LATEST, result.violations);
      }
    }
  };
  for (let i = 0; i < 20; i++) pass(true); // warm-up
  for (const withMessage of [false, true]) {
    // CPU time of this process, not wall time: "per core" even when other processes share it.
    // Best of several rounds, so a round slowed by a GC pause or a context switch does not count.
    let best = Infinity;
    let bestWall = Infinity;
    const rounds = 10;
    const passesPerRound = 20;
    for (let r = 0; r < rounds; r++) {
      const start = process.cpuUsage();
      const wallStart = performance.now();
      for (let i = 0; i < passesPerRound; i++) pass(withMessage);
      const used = process.cpuUsage(start);
      bestWall = Math.min(bestWall, (performance.now() - wallStart) / 1000);
      best = Math.min(best, (used.user + used.system) / 1e6);
    }
    const pods = passesPerRound * fixtureCount;
    const perSecond = Math.round(pods / best);
    process.stdout.write(
      `podsecurity: restricted:latest ${withMessage ? 'verdicts + denial messages' : 'verdicts + violations'}: ` +
        `${perSecond.toLocaleString('en-US')} pods/s on one core (${((best * 1e6) / pods).toFixed(2)} µs/pod CPU; ` +
        `wall clock ${Math.round(pods / bestWall).toLocaleString('en-US')} pods/s; ${fixtureCount} fixture pods, ${denied} denied; target >= 100,000 pods/s)\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
