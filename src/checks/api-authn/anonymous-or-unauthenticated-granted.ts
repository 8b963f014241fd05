import { ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from '../../engines/rbac/bootstrap.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'anonymous-or-unauthenticated-granted',
  section: 'api-authn',
  severity: 'critical',
  title: 'RBAC grants something to anonymous callers',
  docs: {
    what: 'Reports every binding, other than the bootstrap policy\'s system:public-info-viewer (health and version endpoints), whose subjects include the user system:anonymous or the group system:unauthenticated.',
    why: 'With anonymous authentication on (the API server default), every request without credentials is system:anonymous in system:unauthenticated: a grant to them is a grant to anyone who can reach the API server, from the pod network or the internet. The guide asks that every API client be authenticated.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'],
  },
  remediation: 'Delete the subject (or the binding); give the client a credential and bind the role to that identity instead.',
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (!binding.role) continue;
      let failed = false;
      for (const [i, s] of binding.subjects.entries()) {
        if ((s.kind === 'User' && s.name === ANONYMOUS_USER) || (s.kind === 'Group' && s.name === UNAUTHENTICATED_GROUP)) {
          failed = true;
          yield fail(bindingSubject(binding), `${s.kind} ${s.name} (any caller without credentials) is granted ${binding.role.kind} ${binding.role.name}${binding.namespace ? ` in namespace ${binding.namespace}` : ' cluster-wide'}`, { field: `subjects[${i}]` });
        }
      }
      if (!failed) yield pass(bindingSubject(binding));
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: open-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: system:unauthenticated}]`,
      `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: anon-config, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: system:anonymous}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: team-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: team}]`,
    ],
  },
});
