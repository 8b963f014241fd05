import { AUTHENTICATED_GROUP, DISCOVERY_ROLES } from '../../engines/rbac/bootstrap.js';
import { ruleAllows } from '../../engines/rbac/match.js';
import { bindingSubject, rbacScan, subjectRef, userBindings } from '../../engines/rbac/scan.js';
import type { BindingRecord, RequestAttributes } from '../../engines/rbac/types.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { defineCheck, fail, pass } from '../define.js';
import type { CisOutcome } from '../types.js';

/**
 * kube-bench's questions, asked as `kubectl auth can-i ... --all-namespaces --as=system:authenticated`:
 * a user of that name, which impersonation puts in group system:authenticated, cluster-wide
 * (ClusterRoleBindings only). kubectl sends the verb "get,list,watch" as one word, which only a
 * rule with verb "*" matches.
 */
const CIS_QUESTIONS: [Cis112ControlId, RequestAttributes][] = [
  ['5.1.2', { verb: 'get,list,watch', apiGroup: '', resource: 'secrets' }],
  ['5.1.4', { verb: 'create', apiGroup: '', resource: 'pods' }],
];
const READ_SECRETS: RequestAttributes = { verb: 'get', apiGroup: '', resource: 'secrets' };
const CIS_NOTE = 'kube-bench asks "kubectl auth can-i get,list,watch secrets" with the three verbs as one word, which only a rule with verb "*" grants; kubeward reports any grant to system:authenticated';

export default defineCheck({
  id: 'authenticated-group-granted-beyond-discovery',
  section: 'api-authn',
  severity: 'high',
  title: 'Every authenticated identity is granted more than discovery',
  docs: {
    what: 'Reports bindings whose subjects include the group system:authenticated with a role other than the built-in discovery roles (system:discovery, system:basic-user, system:public-info-viewer, system:service-account-issuer-discovery). For CIS 5.1.2 and 5.1.4 it answers kube-bench\'s questions, `kubectl auth can-i get,list,watch secrets` and `kubectl auth can-i create pods`, both --all-namespaces --as=system:authenticated, with the RBAC engine: kubectl sends "get,list,watch" as one verb, which only a rule with verb "*" grants.',
    why: 'system:authenticated holds every identity the API server accepts: every ServiceAccount of every pod, every node, every user of every configured authenticator (with some OIDC or cloud IAM setups, anyone holding an account at the provider). A grant to it is a grant to all of them, so one compromised pod gets it.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles'],
  },
  // As kube-bench decides them: the RBAC engine's answer for the user system:authenticated across
  // all namespaces; the binding that allows it fails the control, every other result passes it.
  cis: { '1.12': ['5.1.2', '5.1.4'] },
  remediation: 'Bind the role to the groups or accounts that need it instead of system:authenticated.',
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const allowedBy = new Map<Cis112ControlId, BindingRecord>();
    for (const [id, attrs] of CIS_QUESTIONS) {
      const decision = index.authorize({ name: AUTHENTICATED_GROUP, groups: [AUTHENTICATED_GROUP] }, attrs);
      if (decision.allowed && !decision.bypass) allowedBy.set(id, decision.grant.binding);
    }
    const cisOf = (binding: BindingRecord | undefined) => ({ '1.12': Object.fromEntries(CIS_QUESTIONS.map(([id]) => [id, binding && allowedBy.get(id) === binding ? 'fail' : 'pass'])) as Record<Cis112ControlId, CisOutcome> });
    const judged = new Set<BindingRecord>();
    for (const binding of userBindings(index)) {
      if (!binding.role) continue;
      const i = binding.subjects.findIndex((s) => s.kind === 'Group' && s.name === AUTHENTICATED_GROUP);
      if (i < 0) continue;
      judged.add(binding);
      const cis = cisOf(binding);
      const cisNote = binding.kind === 'ClusterRoleBinding' && allowedBy.get('5.1.2') !== binding && binding.role.rules.some((r) => ruleAllows(READ_SECRETS, r)) ? { cisNote: CIS_NOTE } : {};
      if (binding.role.kind === 'ClusterRole' && DISCOVERY_ROLES.has(binding.role.name)) yield pass(bindingSubject(binding), { cis });
      else yield fail(bindingSubject(binding), `every authenticated identity (group ${AUTHENTICATED_GROUP}) is granted ${binding.role.kind} ${binding.role.name}${binding.namespace ? ` in namespace ${binding.namespace}` : ' cluster-wide'}`, { field: `subjects[${i}]`, cis, ...cisNote });
    }
    // A grant this check does not report (the bootstrap policy, a User named system:authenticated)
    // still answers kube-bench's question; with no binding to the group at all, the answer is no.
    for (const binding of new Set(allowedBy.values())) {
      if (judged.has(binding)) continue;
      judged.add(binding);
      yield pass(bindingSubject(binding), { cis: cisOf(binding), cisNote: 'kube-bench impersonates the user system:authenticated, which this binding grants; kubeward does not report bindings of the bootstrap policy or to a User of that name' });
    }
    if (judged.size === 0) yield pass(subjectRef({ kind: 'Group', name: AUTHENTICATED_GROUP }), { cis: cisOf(undefined) });
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
