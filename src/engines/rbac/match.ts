// Rule and subject matching exactly as Kubernetes decides it:
// pkg/apis/rbac/v1/evaluation_helpers.go, plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows)
// and pkg/registry/rbac/validation/rule.go (appliesTo).

import type { BindingSubject, PolicyRule, RequestAttributes, UserInfo } from './types.js';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

/**
 * `combined` is "resource" or "resource/subresource". A rule resource "*" matches everything,
 * "*\/sub" matches that subresource of every resource; "pods" never matches "pods/status" and
 * "pods/*" is a literal name, as upstream.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/** No resourceNames: every name, including none (list, create). Otherwise the name must be listed. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}

export function isResourceRequest(attrs: RequestAttributes): boolean {
  return attrs.path === undefined;
}

export function combinedResource(attrs: RequestAttributes): string {
  return attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
}

export function ruleAllows(attrs: RequestAttributes, rule: PolicyRule): boolean {
  if (isResourceRequest(attrs)) {
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup ?? '') &&
      resourceMatches(rule, combinedResource(attrs), attrs.subresource ?? '') &&
      resourceNameMatches(rule, attrs.name ?? '')
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path ?? '');
}

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

/** "system:serviceaccount:ns:name" => {namespace, name}; other user names => undefined. */
export function parseServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  const [namespace, name, ...rest] = user.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
  if (!namespace || !name || rest.length > 0) return undefined;
  return { namespace, name };
}

/**
 * Does a binding subject apply to the user? `namespace` is the RoleBinding's namespace ("" for a
 * ClusterRoleBinding): a ServiceAccount subject without a namespace defaults to it, and never
 * applies in a ClusterRoleBinding.
 */
export function appliesToUser(user: UserInfo, subject: BindingSubject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const saNamespace = subject.namespace ? subject.namespace : namespace;
      if (!saNamespace) return false;
      return user.name === serviceAccountUsername(saNamespace, subject.name);
    }
    default:
      return false;
  }
}

/** The index of the first subject that applies, or -1 (upstream returns (index, applies)). */
export function appliesTo(user: UserInfo, subjects: BindingSubject[], namespace: string): number {
  return subjects.findIndex((s) => appliesToUser(user, s, namespace));
}
