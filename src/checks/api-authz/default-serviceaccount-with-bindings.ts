import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'default-serviceaccount-with-bindings',
  section: 'api-authz',
  severity: 'medium',
  title: 'The default ServiceAccount of a namespace is granted permissions',
  docs: {
    what: 'Reports bindings (other than the bootstrap policy) whose subjects include a namespace\'s "default" ServiceAccount, or the group of all ServiceAccounts of a namespace (system:serviceaccounts:<ns>) or of the cluster (system:serviceaccounts).',
    why: 'Every pod that names no ServiceAccount runs as "default", so its rights go to every workload of the namespace, including ones added later by anyone who can create pods there. Rights belong to a dedicated account of the workload that needs them.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  remediation: `Create a ServiceAccount for the workload, bind the role to it instead, and set
spec.serviceAccountName in the workload's pod template.`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (!binding.role) continue;
      let failed = false;
      for (const [i, s] of binding.subjects.entries()) {
        const namespace = s.namespace || binding.namespace;
        if (s.kind === 'ServiceAccount' && s.name === 'default' && namespace) {
          failed = true;
          yield fail(bindingSubject(binding), `the default ServiceAccount of namespace ${namespace} is granted ${binding.role.kind} ${binding.role.name}: every pod there that names no account gets it`, { field: `subjects[${i}]` });
        } else if (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'))) {
          failed = true;
          yield fail(bindingSubject(binding), `group ${s.name} (every ServiceAccount${s.name === 'system:serviceaccounts' ? ' of the cluster' : ` of namespace ${s.name.slice('system:serviceaccounts:'.length)}`}) is granted ${binding.role.kind} ${binding.role.name}`, { field: `subjects[${i}]` });
        }
      }
      if (!failed) yield pass(bindingSubject(binding));
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: default, namespace: shop}]`,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: all-accounts-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: system:serviceaccounts}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]`,
    ],
  },
});
