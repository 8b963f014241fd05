// Test helpers: build inventories from YAML text and run checks on them. Used by tests only.

import { fileURLToPath } from 'node:url';
import type { Check, CheckExample, CheckResult } from '../checks/types.js';
import { Inventory } from '../inventory/inventory.js';
import { parseKubeVersion } from '../inventory/version.js';
import { createContext, evaluateCheck, resolveVersion } from '../scan/run.js';
import { parseDocuments } from '../sources/documents.js';

/** The repository root (tests read examples/ and deploy/ from it; corpora: see corpus.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function inventoryFromYaml(yaml: string, source = 'example.yaml'): Inventory {
  const parsed = parseDocuments(yaml, source);
  if (parsed.errors.length > 0) throw new Error(`bad test YAML: ${parsed.errors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
  return new Inventory(parsed.items);
}

/** Runs one check on an example the way a scan would. */
export async function runExample(check: Check, example: CheckExample): Promise<CheckResult[]> {
  const spec = typeof example === 'string' ? { description: 'example', yaml: example } : example;
  const inventory = spec.build ? await spec.build() : inventoryFromYaml(spec.yaml ?? '');
  const version = spec.k8sVersion ? parseKubeVersion(spec.k8sVersion) : resolveVersion(inventory, {}, undefined).version;
  const now = spec.now ? new Date(spec.now) : new Date();
  // Read against the CIS view too, so examples show every per-result outcome.
  return evaluateCheck(check, createContext(inventory, version, now, 'cis-1.12'));
}

export async function runCheckOnYaml(check: Check, yaml: string, k8sVersion?: string): Promise<CheckResult[]> {
  return runExample(check, { description: 'test', yaml, ...(k8sVersion ? { k8sVersion } : {}) });
}
