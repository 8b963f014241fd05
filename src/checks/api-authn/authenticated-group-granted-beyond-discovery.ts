import { AUTHENTICATED_GROUP, DISCOVERY_ROLES } from '../../engines/rbac/bootstrap.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'authenticated-group-granted-beyond-discovery',
  section: 'api-authn',
  severity: 'high',
  title: 'Every authenticated identity is granted more than discovery',
  docs: {
    what: 'Reports bindings whose subjects include the group system:authenticated with a role other than the built-in discovery roles (system:discovery, system:basic-user, system:public-info-viewer, system:service-account-issuer-discovery).',
    why: 'system:authenticated holds every identity the API server accepts: every ServiceAccount of every pod, every node, every user of every configured authenticator (with some OIDC or cloud IAM setups, anyone holding an account at the provider). A grant to it is a grant to all of them, so one compromised pod gets it.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles'],
  },
  remediation: 'Bind the role to the groups or accounts that need it instead of system:authenticated.',
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const binding of userBindings(index)) {
      if (!binding.role) continue;
      const i = binding.subjects.findIndex((s) => s.kind === 'Group' && s.name === AUTHENTICATED_GROUP);
      if (i < 0) continue;
      if (binding.role.kind === 'ClusterRole' && DISCOVERY_ROLES.has(binding.role.name)) yield pass(bindingSubject(binding));
      else yield fail(bindingSubject(binding), `every authenticated identity (group ${AUTHENTICATED_GROUP}) is granted ${binding.role.kind} ${binding.role.name}${binding.namespace ? ` in namespace ${binding.namespace}` : ' cluster-wide'}`, { field: `subjects[${i}]` });
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-views}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: system:authenticated}]`,
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: discovery-for-all}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:discovery}
subjects: [{kind: Group, name: system:authenticated}]`,
    ],
  },
});
