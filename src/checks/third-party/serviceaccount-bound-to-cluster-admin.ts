import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'serviceaccount-bound-to-cluster-admin',
  section: 'third-party',
  severity: 'critical',
  title: 'ServiceAccount outside kube-system bound to cluster-admin',
  docs: {
    what: 'Reports ClusterRoleBindings that bind the cluster-admin ClusterRole to a ServiceAccount of a namespace other than kube-system: the typical request of an integration installed with "it needs cluster-admin".',
    why: 'The account\'s token is mounted into the integration\'s pods: a flaw in the integration, a compromised image or anyone who can exec into or create pods in its namespace becomes cluster-admin. The guide asks to review what an integration requests before enabling it.',
    references: ['Securing a Cluster: Review third party integrations before enabling them', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  remediation: `Give the integration a ClusterRole with the rules it documents (its chart usually ships one),
or RoleBindings in the namespaces it manages; run "kubeward review <rendered manifests>" to see
what it asks for.`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (binding.kind !== 'ClusterRoleBinding') continue;
      for (const [i, s] of binding.subjects.entries()) {
        if (s.kind !== 'ServiceAccount' || !s.namespace) continue;
        if (binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin' && s.namespace !== 'kube-system') {
          yield fail(bindingSubject(binding), `ServiceAccount ${s.namespace}/${s.name} is cluster-admin`, { field: `subjects[${i}]` });
        } else yield pass(bindingSubject(binding));
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: operator-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: operator, namespace: operators}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: operator-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: operator, namespace: operators}]`,
    ],
  },
});
