import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { moveDefaultAccountGrants } from '../../fix/service-accounts.js';
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
      {
        description: 'a CronJob runs as the default account a RoleBinding grants; the Deployment beside it names its own',
        yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: batch}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: job-runner, namespace: batch}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: job-runner, namespace: batch}
rules: [{apiGroups: [batch], resources: [jobs], verbs: [get, list, create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: job-runner, namespace: batch}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: job-runner}
subjects: [{kind: ServiceAccount, name: default, namespace: batch}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: batch}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: run, image: registry.example/jobs:1.4}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dashboard, namespace: batch}
spec:
  selector: {matchLabels: {app: dashboard}}
  template:
    metadata: {labels: {app: dashboard}}
    spec:
      serviceAccountName: viewer
      containers: [{name: web, image: registry.example/dashboard:2.0}]`,
      },
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'creates a ServiceAccount named from the binding (one per namespace, "workloads" when several bindings move; never an existing name), binds the role to it instead of the default account, and sets serviceAccountName to it in every pod template of the input in that namespace that runs as default, planned only when the RBAC engine gives the new account exactly the grants default had; a group of accounts stays with a person',
    risk: 'pods outside the input that run as the default ServiceAccount lose the binding\'s permissions; changed pod templates roll out',
    plan: moveDefaultAccountGrants,
  },
});
