import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { isWildcardRule } from '../../engines/rbac/escalation.js';
import { bindingSubject, rbacScan } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'cluster-admin-equivalent-subject',
  section: 'api-authz',
  severity: 'critical',
  title: 'Subject holds cluster-admin or equivalent wildcards',
  docs: {
    what: 'Reports every ClusterRoleBinding (other than the bootstrap policy\'s system:masters binding) that grants a subject a rule with every verb on every resource of every API group ("*" / "*" / "*"), as the cluster-admin ClusterRole does, whatever the role is called. Aggregated ClusterRoles are evaluated with the rules aggregation gives them. CIS 5.1.1 is judged as kube-bench does: every ClusterRoleBinding in the input whose roleRef names cluster-admin fails unless the binding itself is named cluster-admin (kubeadm\'s kubeadm:cluster-admins included), whatever its subjects.',
    why: 'Such a subject can do anything: read every Secret, run privileged pods on every node, rewrite RBAC and admission. A stolen token of that account is the whole cluster. The guide asks for least privilege: grant what is needed, in the namespaces where it is needed.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  cis: { '1.12': ['5.1.1'] },
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
    for (const binding of index.bindings) {
      if (binding.kind !== 'ClusterRoleBinding') continue;
      const cisFails = binding.roleRef.name === 'cluster-admin' && binding.name !== 'cluster-admin';
      const cis = { '1.12': { '5.1.1': cisFails ? 'fail' : 'pass' } } as const;
      // The bootstrap policy and the installer's bindings are not kubeward's findings; kube-bench
      // still judges those the cluster holds (not the ones kubeward supplies for resolution).
      if (binding.builtin || !binding.role) {
        if (binding.item && cisFails) yield pass(bindingSubject(binding), { cis, cisNote: 'kube-bench fails every ClusterRoleBinding to cluster-admin that is not named cluster-admin; kubeward does not report the bootstrap policy\'s and the installer\'s own bindings' });
        continue;
      }
      const ruleIndex = binding.role.rules.findIndex(isWildcardRule);
      const subjects = binding.subjects.map((s, i) => [i, resolveSubject(s, undefined)] as const).filter(([, s]) => s !== undefined);
      if (ruleIndex < 0 || subjects.length === 0) {
        yield pass(bindingSubject(binding), { cis, ...(cisFails ? { cisNote: 'kube-bench fails this binding by its role\'s name' } : {}) });
        continue;
      }
      const cisNote = cisFails ? {} : { cisNote: 'kube-bench judges bindings by the name of their role, cluster-admin, not by what the role grants' };
      for (const [i, subject] of subjects) {
        yield fail(bindingSubject(binding), `${describeSubject(subject!)} holds every verb on every resource cluster-wide (ClusterRole ${binding.role.name} rule ${ruleIndex})`, { field: `subjects[${i}]`, cis, ...cisNote });
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
