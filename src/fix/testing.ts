// Test helpers for the fix tests: a check's failing example, and the findings of one check an
// outcome fixed or left.

import assert from 'node:assert/strict';
import { ALL_CHECKS } from '../checks/registry.js';
import type { CheckExample } from '../checks/types.js';
import type { FixOutcome } from './run.js';

/** A failing example of a check: by its index, or the start of its description. */
export function failingExample(check: string, description: string | number): CheckExample {
  const fails = ALL_CHECKS.find((c) => c.id === check)!.examples.fail;
  const found: CheckExample | undefined = typeof description === 'number' ? fails[description] : fails.find((e) => typeof e !== 'string' && e.description.startsWith(description));
  assert.ok(found, `${check} has a failing example "${description}"`);
  return found;
}

export const yamlOf = (e: CheckExample): string => (typeof e === 'string' ? e : e.yaml!);
export const left = (outcome: FixOutcome, check: string) => outcome.remaining.filter((r) => r.finding.check === check);
export const fixed = (outcome: FixOutcome, check: string) => outcome.fixed.filter((f) => f.check === check);
