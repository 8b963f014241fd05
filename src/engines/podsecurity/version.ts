// Levels and policy versions as the namespace labels and the admission configuration spell them
// (k8s.io/pod-security-admission/api/helpers.go).

import { LEVELS, type Level, type PolicyVersion } from './types.js';

export const LATEST: PolicyVersion = { latest: true, minor: 0 };

const VERSION_PATTERN = /^v1\.([0-9]|[1-9][0-9]*)$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseLevel(text: string): Parsed<Level> {
  return (LEVELS as readonly string[]).includes(text)
    ? { ok: true, value: text as Level }
    : { ok: false, error: `must be one of ${LEVELS.join(', ')}` };
}

export function parseVersion(text: string): Parsed<PolicyVersion> {
  if (text === 'latest') return { ok: true, value: LATEST };
  const m = VERSION_PATTERN.exec(text);
  if (!m) return { ok: false, error: 'must be "latest" or "v1.x"' };
  return { ok: true, value: { latest: false, minor: Number(m[1]) } };
}

export function policyVersion(minor: number): PolicyVersion {
  return { latest: false, minor };
}
