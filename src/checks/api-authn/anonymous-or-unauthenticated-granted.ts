import { ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from '../../engines/rbac/bootstrap.js';
import { bindingFieldsOf } from '../../engines/rbac/index.js';
import { bindingSubject, rbacScan, userBindings } from '../../engines/rbac/scan.js';
import type { BindingSubject } from '../../engines/rbac/types.js';
import type { Item } from '../../inventory/types.js';
import { defineCheck, fail, pass } from '../define.js';

/** A subject every caller without credentials matches. */
function isAnonymous(s: BindingSubject): boolean {
  return (s.kind === 'User' && s.name === ANONYMOUS_USER) || (s.kind === 'Group' && s.name === UNAUTHENTICATED_GROUP);
}

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
        if (isAnonymous(s)) {
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
      {
        description: 'anonymous callers beside a team: the team keeps the grant',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: status-readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: sre}
- {kind: Group, name: system:unauthenticated}
- {kind: User, name: system:anonymous}`,
      },
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: team-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: team}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes the user system:anonymous and the group system:unauthenticated from the binding\'s subjects; a binding left with none loses its subjects and grants nothing (it stays, with its role, for a person to delete or bind to a real identity)',
    risk: 'clients that call what the role allows without credentials (a status page, a health check) get 403 Forbidden (401 once anonymous auth is off)',
    plan(ctx, failures) {
      // A binding fails once per anonymous subject: it is planned once.
      const done = new Set<Item>();
      for (const failure of failures) {
        const { kind, namespace, name } = failure.subject.ref;
        const item = ctx.check.inventory.get(kind, namespace, name);
        if (!item || done.has(item)) continue;
        done.add(item);
        const planned = ctx.planned(item);
        const { roleRef } = bindingFieldsOf(planned);
        const subjects = (planned as { subjects?: unknown }).subjects;
        // Entries as written, each kept unless it is anonymous (even one the engine would skip).
        const kept = (Array.isArray(subjects) ? subjects : []).filter((s) => !(s && typeof s === 'object' && isAnonymous(s as BindingSubject)));
        const risk = `clients that call what ${roleRef.kind} ${roleRef.name} allows${namespace ? ` in namespace ${namespace}` : ''} without credentials (a status page, a health check) get 403 Forbidden (401 once anonymous auth is off)${kept.length === 0 ? `; ${kind} ${name} is left without subjects and grants nothing` : ''}`;
        ctx.withSafety('unsafe', risk, () => {
          const edit = ctx.edit(item);
          if (kept.length === 0) edit.remove(['subjects']);
          else edit.set(['subjects'], kept);
        }, failure);
      }
    },
  },
});
