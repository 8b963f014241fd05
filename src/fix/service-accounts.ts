// Whether a ServiceAccount's token is worth anything to a pod, decided by the RBAC engine: the
// grants the account gets (by its user name and its groups), less those every authenticated
// identity gets anyway and the bootstrap discovery roles. An account left with none needs no
// token: it only identifies the pod to the API server, which lets it do nothing more than any
// other caller with credentials. Both automount fixes (a pod, a namespace's default account)
// decide with this.

import type { CheckContext } from '../checks/types.js';
import { AUTHENTICATED_GROUP, DISCOVERY_ROLES } from '../engines/rbac/bootstrap.js';
import { userInfoFor } from '../engines/rbac/index.js';
import { rbacScan } from '../engines/rbac/scan.js';
import type { Grant, PolicyRule, RequestAttributes, UserInfo } from '../engines/rbac/types.js';

/** Any authenticated caller (impersonated as the group alone, as kube-bench asks it). */
const EVERYONE: UserInfo = { name: '', groups: [AUTHENTICATED_GROUP] };

/** Every request a rule allows, one per verb, group, resource and name it lists. */
function requestsOf(rule: PolicyRule, namespace: string | undefined): RequestAttributes[] {
  const out: RequestAttributes[] = [];
  for (const verb of rule.verbs) {
    for (const path of rule.nonResourceURLs) out.push({ verb, path });
    for (const apiGroup of rule.apiGroups) {
      for (const combined of rule.resources) {
        const [resource, subresource] = combined.split('/', 2) as [string, string | undefined];
        for (const name of rule.resourceNames.length > 0 ? rule.resourceNames : [undefined]) {
          out.push({ verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) });
        }
      }
    }
  }
  return out;
}

/**
 * The grants of ServiceAccount namespace/name that give it more than every authenticated identity
 * has: a rule counts unless the engine allows each request it names (wildcards literally, so "*"
 * is covered only by "*") to system:authenticated in the same scope.
 */
export function grantsBeyondAuthenticated(check: Pick<CheckContext, 'inventory' | 'shared'>, namespace: string, name: string): Grant[] {
  const { index } = rbacScan(check);
  return index.grantsFor(userInfoFor({ kind: 'ServiceAccount', namespace, name })).filter((grant) => {
    if (grant.subject.kind === 'Group' && grant.subject.name === AUTHENTICATED_GROUP) return false;
    if (grant.role.kind === 'ClusterRole' && grant.role.builtin && DISCOVERY_ROLES.has(grant.role.name)) return false;
    return grant.role.rules.some((rule) => requestsOf(rule, grant.scope).some((attrs) => !index.authorize(EVERYONE, attrs).allowed));
  });
}

/** "ClusterRole view (ClusterRoleBinding readers), Role jobs in batch (RoleBinding job-runner)". */
export function describeGrants(grants: readonly Grant[]): string {
  const shown = grants.slice(0, 3).map((g) => `${g.role.kind} ${g.role.name}${g.scope ? ` in ${g.scope}` : ''} (${g.binding.kind} ${g.binding.name})`);
  return `${shown.join(', ')}${grants.length > 3 ? ` and ${grants.length - 3} more` : ''}`;
}
