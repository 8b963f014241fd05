import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { isWildcardRule } from '../../engines/rbac/escalation.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'cluster-admin-equivalent-subject',
  section: 'api-authz',
  severity: 'critical',
  title: 'Subject holds cluster-admin or equivalent wildcards',
  docs: {
    what: 'Reports every ClusterRoleBinding (other than the bootstrap policy\'s system:masters binding) that grants a subject a rule with every verb on every resource of every API group ("*" / "*" / "*"), as the cluster-admin ClusterRole does, whatever the role is called. Aggregated ClusterRoles are evaluated with the rules aggregation gives them.',
    why: 'Such a subject can do anything: read every Secret, run privileged pods on every node, rewrite RBAC and admission. A stolen token of that account is the whole cluster. The guide asks for least privilege: grant what is needed, in the namespaces where it is needed.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege', 'CIS Kubernetes Benchmark 5.1.1'],
  },
  remediation: `Replace the wildcard grant with a ClusterRole listing the verbs and resources the subject uses,
and bind it with RoleBindings in the namespaces it works in:

apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: <app>-minimal}
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "update"]`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (binding.kind !== 'ClusterRoleBinding' || !binding.role) continue;
      const ruleIndex = binding.role.rules.findIndex(isWildcardRule);
      if (ruleIndex < 0) {
        yield pass(bindingSubject(binding));
        continue;
      }
      for (const [i, s] of binding.subjects.entries()) {
        const subject = resolveSubject(s, undefined);
        if (!subject) continue;
        yield fail(bindingSubject(binding), `${describeSubject(subject)} holds every verb on every resource cluster-wide (ClusterRole ${binding.role.name} rule ${ruleIndex})`, { field: `subjects[${i}]` });
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]`,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: Group, name: ops}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]`,
    ],
  },
});
