// The test API server's authorizer: RBAC over the Roles, ClusterRoles and bindings the server
// holds, with upstream's matching rules (plugin/pkg/auth/authorizer/rbac and
// pkg/apis/rbac/v1/evaluation_helpers.go): verbs and apiGroups match exactly or by "*",
// resources by "*", "resource/subresource" or "*/subresource", resourceNames only when the
// request names an object, nonResourceURLs exactly or by a trailing "*". system:masters may do
// everything (as the real server's authorizer short-cut). Aggregated ClusterRoles are used as
// stored; the test server does not run the aggregation controller.

import type { K8sObject } from '../../inventory/types.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface RequestAttributes {
  verb: string;
  /** Set for resource requests; absent for non-resource paths (/version, /api). */
  resource?: { apiGroup: string; resource: string; subresource: string; namespace: string; name: string };
  path: string;
}

interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

interface Binding extends K8sObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: Subject[];
}

export class RbacAuthorizer {
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly clusterBindings: Binding[] = [];
  private readonly bindings: Binding[] = [];

  constructor(objects: Iterable<K8sObject>) {
    for (const o of objects) {
      const name = o.metadata?.name ?? '';
      if (o.kind === 'ClusterRole') this.roles.set(`ClusterRole/${name}`, (o.rules as PolicyRule[] | undefined) ?? []);
      else if (o.kind === 'Role') this.roles.set(`Role/${o.metadata?.namespace ?? 'default'}/${name}`, (o.rules as PolicyRule[] | undefined) ?? []);
      else if (o.kind === 'ClusterRoleBinding') this.clusterBindings.push(o as Binding);
      else if (o.kind === 'RoleBinding') this.bindings.push(o as Binding);
    }
  }

  allows(user: UserInfo, request: RequestAttributes): boolean {
    if (user.groups.includes('system:masters')) return true;
    for (const binding of this.clusterBindings) {
      if (!appliesTo(binding, user, undefined)) continue;
      if (this.rulesOf(binding, undefined).some((rule) => ruleAllows(rule, request))) return true;
    }
    const namespace = request.resource?.namespace;
    if (!namespace) return false;
    for (const binding of this.bindings) {
      if ((binding.metadata?.namespace ?? 'default') !== namespace || !appliesTo(binding, user, namespace)) continue;
      if (this.rulesOf(binding, namespace).some((rule) => ruleAllows(rule, request))) return true;
    }
    return false;
  }

  private rulesOf(binding: Binding, namespace: string | undefined): PolicyRule[] {
    const ref = binding.roleRef;
    if (ref?.kind === 'ClusterRole') return this.roles.get(`ClusterRole/${ref.name}`) ?? [];
    if (ref?.kind === 'Role' && namespace) return this.roles.get(`Role/${namespace}/${ref.name}`) ?? [];
    return [];
  }
}

function appliesTo(binding: Binding, user: UserInfo, bindingNamespace: string | undefined): boolean {
  return (binding.subjects ?? []).some((s) => {
    if (s.kind === 'User') return s.name === user.name;
    if (s.kind === 'Group') return user.groups.includes(s.name ?? '');
    if (s.kind === 'ServiceAccount') {
      const ns = s.namespace || bindingNamespace;
      return user.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    return false;
  });
}

function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  if (!matches(rule.verbs, request.verb)) return false;
  const r = request.resource;
  if (!r) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === request.path || (u.endsWith('*') && request.path.startsWith(u.slice(0, -1))));
  }
  if (!matches(rule.apiGroups, r.apiGroup)) return false;
  const combined = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const resourceMatches = (rule.resources ?? []).some((res) =>
    res === '*' || res === combined || (r.subresource !== '' && res === `*/${r.subresource}`));
  if (!resourceMatches) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (r.name !== '' && names.includes(r.name));
}

function matches(allowed: string[] | undefined, value: string): boolean {
  return (allowed ?? []).some((a) => a === '*' || a === value);
}

/** The default ClusterRoles and bindings every cluster has that discovery and /version need. */
export function bootstrapPolicy(): K8sObject[] {
  const role = (name: string, rules: PolicyRule[]): K8sObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules,
  });
  const binding = (name: string, groups: string[]): K8sObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  });
  return [
    role('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    binding('cluster-admin', ['system:masters']),
    role('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    binding('system:discovery', ['system:authenticated']),
    role('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    binding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
  ];
}
