import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { analyseGrantScope } from '../../engines/rbac/resources.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'cluster-wide-grant-of-namespaced-permissions',
  section: 'third-party',
  severity: 'medium',
  title: 'ClusterRoleBinding grants a ServiceAccount namespaced write or Secret access everywhere',
  docs: {
    what: 'Reports ClusterRoleBindings to ServiceAccounts whose ClusterRole touches only namespaced resources (so RoleBindings could grant it) and includes writes or Secret reads. Roles that touch cluster-scoped resources, non-resource URLs or resources of unknown scope are left alone, as are read-only roles (an integration that watches every namespace needs them cluster-wide).',
    why: 'A ClusterRoleBinding grants the rules in every namespace, present and future, kube-system included. If the integration works in a few namespaces, RoleBindings there give it the same function without the power to write (or read Secrets) everywhere.',
    references: ['Securing a Cluster: Review third party integrations before enabling them', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding'],
  },
  remediation: `Keep the ClusterRole and bind it per namespace the integration manages:

apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: <integration>, namespace: <managed-namespace>}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: <the ClusterRole>}
subjects: [{kind: ServiceAccount, name: <account>, namespace: <integration-namespace>}]`,
  *evaluate(ctx) {
    const { index, scopes } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (binding.kind !== 'ClusterRoleBinding' || !binding.role) continue;
      const accounts = binding.subjects.map((s) => resolveSubject(s, undefined)).filter((s) => s?.kind === 'ServiceAccount');
      if (accounts.length === 0) continue;
      const analysis = analyseGrantScope(binding.role.rules, scopes);
      if (!analysis.namespacedOnly || analysis.sensitive.length === 0 || binding.role.rules.length === 0) {
        yield pass(bindingSubject(binding));
        continue;
      }
      yield fail(bindingSubject(binding), `${accounts.map((a) => describeSubject(a!)).join(', ')} can ${analysis.sensitive.slice(0, 4).join('; ')}${analysis.sensitive.length > 4 ? '; ...' : ''} in every namespace, though ClusterRole ${binding.role.name} only touches namespaced resources: RoleBindings in the namespaces it manages would do`);
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: app-operator}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch, update]}
- {apiGroups: [""], resources: [configmaps], verbs: [get, create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: app-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app-operator}
subjects: [{kind: ServiceAccount, name: app-operator, namespace: operators}]`,
    ],
    pass: [
      {
        description: 'read-only watching of every namespace needs a ClusterRoleBinding',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules: [{apiGroups: [""], resources: [pods, services], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects: [{kind: ServiceAccount, name: metrics, namespace: monitoring}]`,
      },
      {
        description: 'nodes are cluster-scoped: only a ClusterRoleBinding grants them',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-labeller}
rules: [{apiGroups: [""], resources: [nodes], verbs: [get, patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: node-labeller}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-labeller}
subjects: [{kind: ServiceAccount, name: labeller, namespace: infra}]`,
      },
    ],
  },
});
