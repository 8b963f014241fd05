// Third-party corpora that stay outside the project: the upstream Pod Security fixtures
// (conformance/), real install manifests (real-world/), the shared report schema and the
// PolicyReport CRDs (spec/) and the guide (guide/). Tests find them at $KUBEWARD_CORPUS, else in
// ../shared beside the clone. When one is absent, its tests are skipped with a one-line reason,
// except under CI=true, where a missing corpus must fail the run rather than pass it silently.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

export type CorpusName = 'conformance' | 'real-world' | 'spec' | 'guide';

export interface Corpus {
  /** The corpus folder (it exists unless `skip` is set). */
  path: string;
  /** false when present; else the reason to give node:test's `skip` option. */
  skip: string | false;
}

const SHARED_BESIDE_CLONE = fileURLToPath(new URL('../../../../shared/', import.meta.url));

export function corpusRoot(): string {
  const configured = process.env.KUBEWARD_CORPUS;
  return configured ? resolve(configured) : SHARED_BESIDE_CLONE;
}

/** Locates one corpus; under CI=true a missing corpus throws, which fails the test file. */
export function corpus(name: CorpusName): Corpus {
  const path = join(corpusRoot(), name);
  if (existsSync(path)) return { path, skip: false };
  const reason = `corpus ${name}/ not found at ${path} (set KUBEWARD_CORPUS to a folder holding it, see README)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI needs every corpus`);
  return { path, skip: reason };
}

/**
 * A suite over one corpus: `body` gets the corpus folder. When it is absent the suite is one
 * skipped test with the reason, so the run's summary counts it (a skipped suite is not counted).
 */
export function describeWithCorpus(name: CorpusName, title: string, body: (path: string) => void): void {
  const found = corpus(name);
  if (found.skip) it(title, { skip: found.skip }, () => {});
  else describe(title, () => body(found.path));
}

/** One test over one corpus, skipped with the reason when the corpus is absent. */
export function itWithCorpus(name: CorpusName, title: string, fn: (path: string) => void | Promise<void>): void {
  const found = corpus(name);
  it(title, { skip: found.skip }, () => fn(found.path));
}
