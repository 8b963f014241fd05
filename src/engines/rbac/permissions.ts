// A subject's effective permissions: compacted rules cluster-wide, then per namespace where
// RoleBindings add to them.

import { compactRules } from './compact.js';
import { RbacIndex, userInfoFor } from './index.js';
import type { PolicyRule, SubjectId } from './types.js';

export interface NamespacePermissions {
  /** "" = cluster-wide (ClusterRoleBindings: every namespace and cluster-scoped resources). */
  namespace: string;
  rules: PolicyRule[];
}

export interface PermissionOptions {
  /** Only this namespace (and cluster-wide); otherwise every namespace with RoleBindings. */
  namespace?: string;
  /** Include the bootstrap policy's grants (discovery for every authenticated user); default true. */
  includeBuiltin?: boolean;
}

export function effectivePermissions(index: RbacIndex, subject: SubjectId, options: PermissionOptions = {}): NamespacePermissions[] {
  const { namespace, includeBuiltin = true } = options;
  const user = userInfoFor(subject);
  const scopes = namespace !== undefined ? ['', namespace] : ['', ...index.namespacesWithGrants(user)];
  return scopes.map((ns) => ({
    namespace: ns,
    rules: compactRules(index.rulesFor(user, ns).filter((r) => (ns === '' || r.grant.scope === ns) && (includeBuiltin || !r.grant.binding.builtin)).map((r) => r.rule)),
  }));
}
