import { isWildcardRule } from '../../engines/rbac/escalation.js';
import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import type { BindingRecord } from '../../engines/rbac/types.js';
import { defineCheck, fail, pass } from '../define.js';

/** Every kind that makes pods, directly or through its controller. */
const WORKLOADS: [string, string][] = [
  ['', 'pods'], ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

export default defineCheck({
  id: 'subject-can-create-workloads-in-kube-system',
  section: 'api-authz',
  severity: 'high',
  title: 'Subject can create pods or pod controllers in kube-system',
  docs: {
    what: 'Reports bindings (ClusterRoleBindings, and RoleBindings in kube-system) that let a subject create Pods or any pod controller (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers) in kube-system. Holders of "*" on everything are reported by cluster-admin-equivalent-subject instead.',
    why: 'A pod created in kube-system can run as any of its ServiceAccounts (controllers with wide rights) and mount their Secrets: the guide warns that creating a Deployment creates Pods indirectly, so a Deployment creator there acts as the most powerful accounts of the control plane.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  remediation: `Give workload creation rights with RoleBindings in the application namespaces only; keep
kube-system to the cluster's own components (and to cluster administrators).`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const kindsByBinding = new Map<BindingRecord, Set<string>>();
    for (const [apiGroup, resource] of WORKLOADS) {
      for (const [role, match] of index.rolesAllowing({ verb: 'create', apiGroup, resource, namespace: 'kube-system' })) {
        if (isWildcardRule(match.rule)) continue;
        for (const binding of index.bindingsOf(role)) {
          if (binding.builtin || (binding.kind === 'RoleBinding' && binding.namespace !== 'kube-system')) continue;
          let kinds = kindsByBinding.get(binding);
          if (!kinds) kindsByBinding.set(binding, (kinds = new Set()));
          kinds.add(resource);
        }
      }
    }
    for (const binding of userBindings(index)) {
      if (!binding.role || (binding.kind === 'RoleBinding' && binding.namespace !== 'kube-system')) continue;
      const kinds = kindsByBinding.get(binding);
      if (!kinds) {
        yield pass(bindingSubject(binding));
        continue;
      }
      for (const [i, s] of binding.subjects.entries()) {
        const subject = resolveSubject(s, binding.namespace);
        if (subject) yield fail(bindingSubject(binding), `${describeSubject(subject)} can create ${[...kinds].join(', ')} in kube-system (${binding.role.kind} ${binding.role.name}), so run pods as kube-system's ServiceAccounts`, { field: `subjects[${i}]` });
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-edit, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: ops}]`,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: job-runner}
rules: [{apiGroups: [batch], resources: [cronjobs], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: scheduler-bot}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: job-runner}
subjects: [{kind: User, name: bot}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: ops}]`,
    ],
  },
});
