// Fixes that delete credentials stored as Secrets: legacy ServiceAccount tokens. Deleting a token
// is safe only where it already authenticates no one; otherwise its clients lose access.

import type { CheckFix, FailResult } from '../checks/types.js';
import type { Item } from '../inventory/types.js';
import type { FixContext } from './types.js';

/** Set by the LegacyServiceAccountTokenCleanUp controller (v1.29+) when it invalidates an unused token. */
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

/** The Secret a failure names, as the input holds it. */
export function failingSecret(ctx: FixContext, failure: FailResult): Item | undefined {
  const ref = failure.subject.ref;
  return ref.kind === 'Secret' ? ctx.check.inventory.get('Secret', ref.namespace, ref.name) : undefined;
}

/** Deletes each failing legacy token Secret: safe when the token cleaner already invalidated it, otherwise unsafe. */
export const LEGACY_TOKEN_SECRET_FIX: CheckFix = {
  safety: 'safe',
  summary: `deletes the legacy token Secret. Safe when the token cleaner has already invalidated it (label ${INVALID_SINCE_LABEL}): the API server then rejects the token, so no client can be using it; otherwise unsafe`,
  risk: 'clients that authenticate with the token (CI systems, scripts and tools outside the cluster) get 401 Unauthorized; move them to short-lived tokens (kubectl create token, projected volumes) first',
  plan(ctx, failures) {
    for (const failure of failures) {
      const secret = failingSecret(ctx, failure);
      if (!secret) continue;
      if (secret.object.metadata?.labels?.[INVALID_SINCE_LABEL]) ctx.remove(secret);
      else ctx.withSafety('unsafe', LEGACY_TOKEN_SECRET_FIX.risk!, () => ctx.remove(secret), failure);
    }
  },
};
