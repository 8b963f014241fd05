import { isWildcardRule } from '../../engines/rbac/escalation.js';
import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import type { BindingRecord } from '../../engines/rbac/types.js';
import { defineCheck, fail, pass } from '../define.js';

const READ_VERBS = ['get', 'list', 'watch'];

export default defineCheck({
  id: 'subject-can-read-all-secrets',
  section: 'api-authz',
  severity: 'high',
  title: 'Subject can read every Secret in the cluster',
  docs: {
    what: 'Reports ClusterRoleBindings that let a subject get, list or watch Secrets in every namespace (core group "secrets" with no resourceNames), exactly as the RBAC authorizer matches rules. Holders of "*" on everything are reported by cluster-admin-equivalent-subject instead.',
    why: 'Secrets hold ServiceAccount tokens, registry and cloud credentials and TLS keys of every workload. Reading all of them is, as the guide says of third-party integrations, effectively cluster-admin: an attacker with that account collects the credentials of more powerful ones.',
    references: ['Securing a Cluster: API Authorization', 'Securing a Cluster: Review third party integrations before enabling them', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  remediation: `Grant Secret access with a RoleBinding in the namespace that needs it, and name the Secrets:

apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: read-app-secret, namespace: <ns>}
rules:
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["<secret-name>"]
  verbs: ["get"]`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const verbsByBinding = new Map<BindingRecord, Set<string>>();
    for (const verb of READ_VERBS) {
      for (const [role, match] of index.rolesAllowing({ verb, apiGroup: '', resource: 'secrets' })) {
        if (isWildcardRule(match.rule)) continue;
        for (const binding of index.bindingsOf(role)) {
          if (binding.kind !== 'ClusterRoleBinding' || binding.builtin) continue;
          let verbs = verbsByBinding.get(binding);
          if (!verbs) verbsByBinding.set(binding, (verbs = new Set()));
          verbs.add(verb);
        }
      }
    }
    for (const binding of userBindings(index)) {
      if (binding.kind !== 'ClusterRoleBinding' || !binding.role) continue;
      const verbs = verbsByBinding.get(binding);
      if (!verbs) {
        yield pass(bindingSubject(binding));
        continue;
      }
      for (const [i, s] of binding.subjects.entries()) {
        const subject = resolveSubject(s, undefined);
        if (subject) yield fail(bindingSubject(binding), `${describeSubject(subject)} can ${[...verbs].join('/')} every Secret in the cluster through ClusterRole ${binding.role.name}`, { field: `subjects[${i}]` });
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: backup-reads-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: backup, namespace: backup}]`,
    ],
    pass: [
      {
        description: 'a named Secret only: resourceNames never match list, and get needs that name',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: read-one}
rules: [{apiGroups: [""], resources: [secrets], resourceNames: [registry-creds], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: puller}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read-one}
subjects: [{kind: ServiceAccount, name: puller, namespace: infra}]`,
      },
      {
        description: 'the apiGroup is not the core group',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: sealed}
rules: [{apiGroups: [bitnami.com], resources: [secrets, sealedsecrets], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: sealed}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sealed}
subjects: [{kind: ServiceAccount, name: sealed, namespace: infra}]`,
      },
    ],
  },
});
