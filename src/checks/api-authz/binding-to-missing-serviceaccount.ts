import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'binding-to-missing-serviceaccount',
  section: 'api-authz',
  severity: 'medium',
  title: 'Binding grants a ServiceAccount that does not exist',
  docs: {
    what: 'Reports binding subjects of kind ServiceAccount (namespace defaulted to the RoleBinding\'s, as the authorizer does) that do not exist, when the input holds the ServiceAccounts of that namespace. When it holds none, the subject is not evaluated: an absent account cannot be told from an unread one.',
    why: 'The grant waits for whoever creates an account of that name: anyone allowed to create ServiceAccounts in the namespace (namespace admins, many operators) inherits the binding\'s rights. Stale bindings also hide what a cluster really grants.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#periodic-review'],
  },
  remediation: 'Remove the subject from the binding (or the binding), or create the intended ServiceAccount.',
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const { inventory } = ctx;
    for (const binding of userBindings(index)) {
      for (const [i, s] of binding.subjects.entries()) {
        if (s.kind !== 'ServiceAccount') continue;
        const namespace = s.namespace || binding.namespace;
        if (!namespace) {
          yield fail(bindingSubject(binding), `ServiceAccount subject "${s.name}" has no namespace, so this ClusterRoleBinding applies to nobody`, { field: `subjects[${i}].namespace` });
          continue;
        }
        if (inventory.get('ServiceAccount', namespace, s.name)) yield pass(bindingSubject(binding));
        else if (inventory.inNamespace(namespace, 'ServiceAccount').length === 0) {
          yield notEvaluated(bindingSubject(binding), `no ServiceAccounts of namespace ${namespace} in the input, so ${namespace}/${s.name} cannot be checked`);
        } else yield fail(bindingSubject(binding), `ServiceAccount ${namespace}/${s.name} does not exist; whoever creates it gets this binding's rights`, { field: `subjects[${i}]` });
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: old-worker, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: worker}]`,
    ],
    pass: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: worker, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: worker}]`,
    ],
  },
});
