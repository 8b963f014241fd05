import { INVALID_SINCE_LABEL, LEGACY_TOKEN_SECRET_FIX } from '../../fix/token-secrets.js';
import type { Item } from '../../inventory/types.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

export default defineCheck({
  id: 'legacy-service-account-token-secret',
  section: 'credential-rotation',
  severity: 'medium',
  title: 'Long-lived ServiceAccount token stored in a Secret',
  docs: {
    what: `Reports every Secret of type ${SA_TOKEN_TYPE}, judged by its type, name, labels and annotations only: kubeward never reads or prints a Secret's data. ServiceAccounts without such a Secret pass. When the Secrets could not be listed, the check is not evaluated.`,
    why: 'A legacy token Secret holds a JWT that never expires and is not bound to a pod: whoever reads it (a backup, a log, a user allowed to get Secrets in the namespace) acts as the ServiceAccount until the Secret is deleted. Since v1.22 pods get short-lived, audience-bound projected tokens instead, and since v1.24 Kubernetes no longer creates these Secrets.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
      'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner',
    ],
  },
  remediation: `Move clients to short-lived tokens (projected volumes in pods; kubectl create token <sa> --duration=1h
outside), then delete the Secret:

kubectl delete secret -n <namespace> <name>`,
  *evaluate({ inventory }) {
    const secrets = inventory.ofKind('Secret');
    const gap = inventory.gap('secrets');
    if (gap && secrets.length === 0) {
      yield notEvaluated({ ref: { kind: 'Secret', name: '*' } }, `Secrets could not be listed: ${gap}`);
      return;
    }
    const withToken = new Set<string>();
    for (const secret of secrets) {
      if ((secret.object as { type?: string }).type !== SA_TOKEN_TYPE) continue;
      const sa = secret.object.metadata?.annotations?.[SA_NAME_ANNOTATION];
      if (sa) withToken.add(`${secret.ref.namespace}/${sa}`);
      yield judge(secret, sa);
    }
    for (const sa of inventory.ofKind('ServiceAccount')) {
      if (!withToken.has(`${sa.ref.namespace}/${sa.ref.name}`)) yield pass(sa);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: ci-deployer-token
  namespace: ci
  annotations: {kubernetes.io/service-account.name: ci-deployer}`,
      {
        description: 'a token the token cleaner has invalidated (deleted by a safe fix)',
        yaml: `apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: old-reporting-token
  namespace: shop
  labels: {kubernetes.io/legacy-token-invalid-since: "2026-01-10"}
  annotations: {kubernetes.io/service-account.name: reporting}
data:
  token: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuc2VjcmV0LXZhbHVl`,
      },
    ],
    pass: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: ci-deployer, namespace: ci}
---
apiVersion: v1
kind: Secret
type: Opaque
metadata: {name: ci-settings, namespace: ci}`,
    ],
  },
  fix: LEGACY_TOKEN_SECRET_FIX,
});

function judge(secret: Item, serviceAccount: string | undefined) {
  const who = serviceAccount ? `ServiceAccount ${secret.ref.namespace}/${serviceAccount}` : 'a ServiceAccount (no service-account.name annotation)';
  const invalidSince = secret.object.metadata?.labels?.[INVALID_SINCE_LABEL];
  if (invalidSince) {
    return fail(secret, `Secret ${secret.ref.namespace}/${secret.ref.name} holds a legacy token of ${who}; invalidated by the token cleaner since ${invalidSince}, still stored`, { severity: 'low' });
  }
  return fail(secret, `Secret ${secret.ref.namespace}/${secret.ref.name} holds a non-expiring legacy token of ${who}`);
}
