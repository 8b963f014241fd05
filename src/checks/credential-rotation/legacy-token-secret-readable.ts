import { describeSubject } from '../../engines/rbac/index.js';
import { rbacScan } from '../../engines/rbac/scan.js';
import { LEGACY_TOKEN_SECRET_FIX } from '../../fix/token-secrets.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'legacy-token-secret-readable',
  section: 'credential-rotation',
  severity: 'high',
  title: 'Legacy ServiceAccount token Secret is readable by other subjects',
  docs: {
    what: 'For every Secret of type kubernetes.io/service-account-token (a long-lived, non-expiring ServiceAccount token), lists the subjects that RBAC allows to get it (by name, or with get/list/watch on all Secrets of the namespace or cluster), outside the bootstrap policy and system:masters.',
    why: 'Legacy tokens never expire and are not bound to a pod, so whoever reads one holds that account until the Secret is deleted: the opposite of the guide\'s advice to rotate credentials often. Every reader is a path to the account\'s rights.',
    references: ['Securing a Cluster: Rotate infrastructure credentials frequently', 'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner'],
  },
  remediation: `Delete the legacy token Secret and let clients use short-lived tokens (TokenRequest API,
projected volumes, "kubectl create token"). If it must stay, limit who can read Secrets in
its namespace.`,
  *evaluate(ctx) {
    const { inventory } = ctx;
    const tokens = inventory.ofKind('Secret').filter((s) => s.object.type === 'kubernetes.io/service-account-token');
    const gap = inventory.gap('secrets');
    if (tokens.length === 0) {
      if (gap) yield notEvaluated({ ref: { kind: 'Secret', name: '*' } }, `Secrets could not be read: ${gap}`);
      return;
    }
    const { index } = rbacScan(ctx);
    for (const secret of tokens) {
      const namespace = secret.ref.namespace ?? 'default';
      const account = secret.object.metadata?.annotations?.['kubernetes.io/service-account.name'] ?? '(unknown account)';
      // The account reading its own token gains nothing.
      const readers = index.whoCan({ verb: 'get', apiGroup: '', resource: 'secrets', name: secret.ref.name, namespace })
        .filter((s) => !s.bypass && s.via.some((g) => !g.binding.builtin) && !(s.kind === 'ServiceAccount' && s.namespace === namespace && s.name === account));
      if (readers.length === 0) {
        yield pass(secret);
        continue;
      }
      const names = readers.map((r) => `${describeSubject(r)} (${r.via.map((g) => `${g.binding.kind} ${g.binding.name}`).join(', ')})`);
      yield fail(secret, `legacy token of ServiceAccount ${secret.ref.namespace}/${account} is readable by ${names.join('; ')}`);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Secret
metadata:
  name: deployer-token
  namespace: ci
  annotations: {kubernetes.io/service-account.name: deployer}
type: kubernetes.io/service-account-token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-edit, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: devs}]`,
    ],
    pass: [
      `apiVersion: v1
kind: Secret
metadata:
  name: deployer-token
  namespace: ci
  annotations: {kubernetes.io/service-account.name: deployer}
type: kubernetes.io/service-account-token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-view, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: devs}]`,
    ],
  },
  // Deleting the Secret is what ends its readers' access: the finding goes with it.
  fix: LEGACY_TOKEN_SECRET_FIX,
});
