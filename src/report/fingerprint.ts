// Stable identities of findings across scans: what baselines, diffs and SARIF
// partialFingerprints match on. Built from the check, the object and the field, never from the
// file line (lines move when a manifest is edited) nor the tool version.

import { hash as digest } from 'node:crypto';
import type { Finding } from './types.js';

/** The SARIF partialFingerprints key; the suffix changes only if the recipe below changes. */
export const FINGERPRINT_KEY = 'kubewardFinding/v1';

type Identity = Pick<Finding, 'check' | 'resource' | 'field'>;

/** The check, object and field: what stays the same while a finding is not fixed. */
export function identityKey(f: Identity): string {
  const r = f.resource;
  return [f.check, r.kind, r.namespace ?? '', r.name, f.field ?? ''].join('\u0000');
}

/**
 * One fingerprint per finding, in order. A check may report one object and field several
 * times (one finding per CVE, per kernel module): those findings also hash their message, so
 * every fingerprint of a report is distinct.
 */
export function fingerprints(findings: readonly Finding[]): string[] {
  const { print } = fingerprinter(findings);
  return findings.map((_, i) => print(i));
}

/** The findings' identity keys, and the fingerprint of findings[i] computed when asked (only some may be wanted). */
export function fingerprinter(findings: readonly Finding[]): { keys: string[]; print: (i: number) => string } {
  const counts = new Map<string, number>();
  const keys = findings.map(identityKey);
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return { keys, print: (i) => hash(counts.get(keys[i]!)! > 1 ? `${keys[i]}\u0000${findings[i]!.message}` : keys[i]!) };
}

function hash(text: string): string {
  // The one-shot digest: half the cost of createHash() per call, over tens of thousands of findings.
  return digest('sha256', text, 'hex').slice(0, 32);
}
