import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'binding-to-missing-role',
  section: 'api-authz',
  severity: 'medium',
  title: 'Binding references a role that does not exist',
  docs: {
    what: 'Reports RoleBindings and ClusterRoleBindings whose roleRef names a Role (in the binding\'s namespace) or ClusterRole that is not in the input and is not part of the default bootstrap policy, or a kind the authorizer does not resolve (a Role from a ClusterRoleBinding). A role is only judged missing when the input holds roles of that scope (Roles of the namespace, ClusterRoles beyond the bootstrap ones); otherwise, and for "system:" ClusterRoles (the control plane ships many kubeward does not list), the binding is not evaluated.',
    why: 'The binding grants nothing today, but its subjects get whatever a role created later under that name holds: whoever can create Roles in that namespace (or ClusterRoles) can grant the bound subjects arbitrary rights without touching bindings. It usually marks a half-removed integration.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding'],
  },
  remediation: 'Delete the binding, or create the role it was meant to reference (with least privilege).',
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const { inventory } = ctx;
    // Absence means something only when the input holds the roles of that scope.
    const userClusterRoles = index.roles.some((r) => r.kind === 'ClusterRole' && !r.builtin);
    for (const binding of userBindings(index)) {
      const { kind, name } = binding.roleRef;
      if (binding.role) yield pass(bindingSubject(binding));
      else if (kind === 'ClusterRole' && name.startsWith('system:')) {
        yield notEvaluated(bindingSubject(binding), `ClusterRole ${name} is not in the input; it may be one the control plane creates`);
      } else if (kind === 'ClusterRole' && !userClusterRoles) {
        yield notEvaluated(bindingSubject(binding), `no ClusterRoles in the input besides the bootstrap ones, so ClusterRole ${name} cannot be checked`);
      } else if (kind === 'Role' && binding.kind === 'RoleBinding' && inventory.inNamespace(binding.namespace!, 'Role').length === 0) {
        yield notEvaluated(bindingSubject(binding), `no Roles of namespace ${binding.namespace} in the input, so Role ${name} cannot be checked`);
      } else yield fail(bindingSubject(binding), `${binding.kind} ${binding.name} grants nothing: ${binding.roleError}`, { field: 'roleRef' });
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-role, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: old-app, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: old-app-role}
subjects: [{kind: ServiceAccount, name: old-app}]`,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: wrong-kind}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: alice}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-role, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-role}
subjects: [{kind: ServiceAccount, name: app}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: shop-team}]`,
    ],
  },
});
