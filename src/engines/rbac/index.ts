// The RBAC authorizer over an inventory: roles (with aggregation), bindings, and indexes by
// subject and by resource, so one decision or one who-can query touches only the rules that can
// matter. Semantics: plugin/pkg/auth/authorizer/rbac and pkg/registry/rbac/validation.

import type { LabelSelector } from '../../inventory/labels.js';
import type { Item, K8sObject } from '../../inventory/types.js';
import { aggregateClusterRoles, type AggregationCandidate } from './aggregation.js';
import { AUTHENTICATED_GROUP, BUILTIN_CLUSTER_ROLES, BUILTIN_CLUSTER_ROLE_BINDINGS, INSTALLER_BINDINGS, MASTERS_GROUP, SERVICE_ACCOUNTS_GROUP, UNAUTHENTICATED_GROUP, ANONYMOUS_USER } from './bootstrap.js';
import { combinedResource, isResourceRequest, parseServiceAccountUsername, ruleAllows, serviceAccountUsername } from './match.js';
import type { BindingRecord, BindingSubject, Grant, PolicyRule, RequestAttributes, RoleRecord, SubjectId, UserInfo } from './types.js';

export interface RbacOptions {
  /** Supply the bootstrap ClusterRoles and ClusterRoleBindings the input lacks (default true). */
  bootstrap?: boolean;
}

/** Why a request is allowed: the bypass, or the grant and rule that allow it. */
export type Decision =
  | { allowed: true; bypass: true }
  | { allowed: true; bypass?: false; grant: Grant; rule: PolicyRule; ruleIndex: number }
  | { allowed: false };

export interface WhoCanSubject extends SubjectId {
  bypass?: true;
  via: Grant[];
}

interface IndexedRule {
  role: RoleRecord;
  rule: PolicyRule;
  ruleIndex: number;
}

interface RawRule {
  verbs?: unknown;
  apiGroups?: unknown;
  resources?: unknown;
  resourceNames?: unknown;
  nonResourceURLs?: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function normaliseRule(raw: RawRule): PolicyRule {
  return {
    verbs: strings(raw.verbs),
    apiGroups: strings(raw.apiGroups),
    resources: strings(raw.resources),
    resourceNames: strings(raw.resourceNames),
    nonResourceURLs: strings(raw.nonResourceURLs),
  };
}

/** The rules of a Role or ClusterRole object, normalised (entries that are not objects dropped). */
export function rulesOf(object: K8sObject): PolicyRule[] {
  const rules = object.rules;
  return Array.isArray(rules) ? rules.filter((r) => typeof r === 'object' && r !== null).map((r) => normaliseRule(r as RawRule)) : [];
}

export function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole\u0000${name}` : `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** The roleRef and subjects of a RoleBinding or ClusterRoleBinding object (subjects without a name dropped). */
export function bindingFieldsOf(object: K8sObject): Pick<BindingRecord, 'roleRef' | 'subjects'> {
  const o = object as K8sObject & { roleRef?: Partial<{ apiGroup: string; kind: string; name: string }>; subjects?: unknown };
  return {
    roleRef: { kind: o.roleRef?.kind ?? '', name: o.roleRef?.name ?? '', ...(o.roleRef?.apiGroup !== undefined ? { apiGroup: o.roleRef.apiGroup } : {}) },
    subjects: Array.isArray(o.subjects) ? (o.subjects as BindingSubject[]).filter((s) => s && typeof s === 'object' && typeof s.name === 'string') : [],
  };
}

/**
 * The key of the role a binding references, as GetRoleReferenceRules looks it up: a Role in the
 * binding's namespace (a ClusterRoleBinding can reference none), or a ClusterRole; any other
 * kind is unsupported (undefined).
 */
export function referencedRoleKey(binding: BindingRecord): string | undefined {
  const { kind, name } = binding.roleRef;
  if (kind === 'ClusterRole') return roleKey('ClusterRole', undefined, name);
  if (kind === 'Role' && binding.kind === 'RoleBinding') return roleKey('Role', binding.namespace, name);
  return undefined;
}

/** The binding's grants of the role, one per subject that resolves, added to out (a binding may name many subjects: no spread). */
export function grantsOf(binding: BindingRecord, role: RoleRecord, out: Grant[] = []): Grant[] {
  for (const s of binding.subjects) {
    const subject = resolveSubject(s, binding.namespace);
    if (subject) out.push({ binding, role, subject, ...(binding.namespace ? { scope: binding.namespace } : {}) });
  }
  return out;
}

/** The key a subject is indexed under: its user name, or its group name. */
function userKey(name: string): string {
  return `u\u0000${name}`;
}
function groupKey(name: string): string {
  return `g\u0000${name}`;
}

/** The groups the authenticator adds for a user (what kubeward assumes it is given). */
export function userInfoFor(subject: SubjectId): UserInfo {
  switch (subject.kind) {
    case 'ServiceAccount':
      return {
        name: serviceAccountUsername(subject.namespace ?? '', subject.name),
        groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${subject.namespace ?? ''}`, AUTHENTICATED_GROUP],
      };
    case 'User': {
      const sa = parseServiceAccountUsername(subject.name);
      if (sa) return userInfoFor({ kind: 'ServiceAccount', ...sa });
      return { name: subject.name, groups: [subject.name === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP] };
    }
    case 'Group':
      // A member of the group: authenticated, unless the group is the anonymous one.
      return { name: '', groups: subject.name === UNAUTHENTICATED_GROUP || subject.name === AUTHENTICATED_GROUP ? [subject.name] : [subject.name, AUTHENTICATED_GROUP] };
  }
}

export function subjectKey(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`;
}

export function describeSubject(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

/**
 * The subject a binding names, as the authorizer applies it: a ServiceAccount without a
 * namespace takes the RoleBinding's; in a ClusterRoleBinding it applies to nobody (undefined).
 * A User named "system:serviceaccount:ns:name" is that ServiceAccount.
 */
export function resolveSubject(subject: BindingSubject, bindingNamespace: string | undefined): SubjectId | undefined {
  switch (subject.kind) {
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace ? { kind: 'ServiceAccount', name: subject.name, namespace } : undefined;
    }
    case 'User': {
      const sa = parseServiceAccountUsername(subject.name);
      return sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: subject.name };
    }
    case 'Group':
      return { kind: 'Group', name: subject.name };
    default:
      return undefined;
  }
}

export class RbacIndex {
  readonly roles: RoleRecord[] = [];
  readonly bindings: BindingRecord[] = [];
  private readonly roleByKey = new Map<string, RoleRecord>();
  /** Bindings by the key of the role they reference (resolved or not). */
  private readonly bindingsByRole = new Map<string, BindingRecord[]>();
  /** Grants by user name or group name. */
  private readonly grantsBySubject = new Map<string, Grant[]>();
  /**
   * Resource rules by the namespace of their Role ("" for ClusterRoles) and each entry of their
   * `resources` ("pods", "*", "*\/scale"): a Role only ever applies in its own namespace.
   */
  private readonly rulesByResource = new Map<string, IndexedRule[]>();
  private readonly nonResourceRules: IndexedRule[] = [];
  /** Bindings by role and by binding namespace ("" for ClusterRoleBindings). */
  private readonly bindingsByRoleAndNamespace = new Map<string, BindingRecord[]>();

  constructor(items: readonly Item[], options: RbacOptions = {}) {
    const clusterRoleItems = items.filter((i) => i.ref.kind === 'ClusterRole');
    const candidates: (AggregationCandidate & { item?: Item; builtin: boolean })[] = clusterRoleItems.map((item) => {
      const selectors = aggregationSelectors(item.object);
      return {
        name: item.ref.name,
        labels: item.object.metadata?.labels ?? {},
        rules: rulesOf(item.object),
        ...(selectors ? { selectors } : {}),
        item,
        builtin: isBootstrapObject(item.object),
      };
    });
    if (options.bootstrap ?? true) {
      const present = new Set(candidates.map((c) => c.name));
      for (const b of BUILTIN_CLUSTER_ROLES) {
        if (present.has(b.name)) continue;
        candidates.push({
          name: b.name,
          labels: b.labels,
          rules: b.rules,
          ...(b.aggregateFrom ? { selectors: b.aggregateFrom.map((matchLabels) => ({ matchLabels })) } : {}),
          builtin: true,
        });
      }
    }
    const aggregated = aggregateClusterRoles(candidates);
    for (const c of candidates) {
      const agg = aggregated.get(c.name);
      this.addRole({ kind: 'ClusterRole', name: c.name, rules: agg ?? c.rules, labels: c.labels, aggregated: agg !== undefined, builtin: c.builtin, ...(c.item ? { item: c.item } : {}) });
    }
    for (const item of items) {
      if (item.ref.kind !== 'Role') continue;
      this.addRole({ kind: 'Role', name: item.ref.name, namespace: item.ref.namespace ?? 'default', rules: rulesOf(item.object), labels: item.object.metadata?.labels ?? {}, aggregated: false, builtin: false, item });
    }

    let order = 0;
    const bindingNames = new Set<string>();
    for (const item of items) {
      if (item.ref.kind !== 'RoleBinding' && item.ref.kind !== 'ClusterRoleBinding') continue;
      const record: BindingRecord = {
        kind: item.ref.kind,
        name: item.ref.name,
        ...(item.ref.kind === 'RoleBinding' ? { namespace: item.ref.namespace ?? 'default' } : {}),
        ...bindingFieldsOf(item.object),
        builtin: item.ref.kind === 'ClusterRoleBinding' && isBootstrapObject(item.object),
        item,
        order: order++,
      };
      record.builtin ||= isInstallerBinding(record);
      if (record.kind === 'ClusterRoleBinding') bindingNames.add(record.name);
      this.addBinding(record);
    }
    if (options.bootstrap ?? true) {
      for (const b of BUILTIN_CLUSTER_ROLE_BINDINGS) {
        if (bindingNames.has(b.name)) continue;
        this.addBinding({ kind: 'ClusterRoleBinding', name: b.name, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.role }, subjects: b.subjects.map((s) => ({ ...s, apiGroup: 'rbac.authorization.k8s.io' })), builtin: true, order: order++ });
      }
    }
    // ClusterRoleBindings are visited before RoleBindings, each in list order (VisitRulesFor).
    for (const grants of this.grantsBySubject.values()) grants.sort(visitOrder);
  }

  private addRole(role: RoleRecord): void {
    this.roles.push(role);
    this.roleByKey.set(roleKey(role.kind, role.namespace, role.name), role);
    role.rules.forEach((rule, ruleIndex) => {
      const entry = { role, rule, ruleIndex };
      for (const r of new Set(rule.resources)) push(this.rulesByResource, `${role.namespace ?? ''}\u0000${r}`, entry);
      if (rule.nonResourceURLs.length > 0) this.nonResourceRules.push(entry);
    });
  }

  private addBinding(binding: BindingRecord): void {
    this.bindings.push(binding);
    const { kind, name } = binding.roleRef;
    const key = referencedRoleKey(binding);
    if (key) {
      push(this.bindingsByRole, key, binding);
      push(this.bindingsByRoleAndNamespace, `${key}\u0000${binding.namespace ?? ''}`, binding);
      const role = this.roleByKey.get(key);
      if (role) binding.role = role;
      else binding.roleError = `${kind} "${name}"${kind === 'Role' ? ` in namespace "${binding.namespace}"` : ''} does not exist`;
    } else binding.roleError = kind === 'Role' ? `a ClusterRoleBinding cannot reference Role "${name}"` : `unsupported role reference kind "${kind}"`;
    if (!binding.role) return;
    for (const grant of grantsOf(binding, binding.role)) {
      const { subject } = grant;
      const key = subject.kind === 'Group' ? groupKey(subject.name) : userKey(subject.kind === 'ServiceAccount' ? serviceAccountUsername(subject.namespace!, subject.name) : subject.name);
      push(this.grantsBySubject, key, grant);
    }
  }

  role(kind: string, namespace: string | undefined, name: string): RoleRecord | undefined {
    return this.roleByKey.get(roleKey(kind, namespace, name));
  }

  /** The role a binding references, as the authorizer looks it up (referencedRoleKey). */
  referencedRole(binding: BindingRecord): RoleRecord | undefined {
    const key = referencedRoleKey(binding);
    return key ? this.roleByKey.get(key) : undefined;
  }

  /** Bindings whose roleRef names this role. */
  bindingsOf(role: RoleRecord): BindingRecord[] {
    return this.bindingsByRole.get(roleKey(role.kind, role.namespace, role.name)) ?? [];
  }

  /** Bindings whose role cannot be resolved. */
  brokenBindings(): BindingRecord[] {
    return this.bindings.filter((b) => !b.role);
  }

  /** The grants naming this user or one of its groups, in the order the authorizer visits them. */
  grantsFor(user: UserInfo): Grant[] {
    const out: Grant[] = [...(this.grantsBySubject.get(userKey(user.name)) ?? [])];
    for (const g of new Set(user.groups)) for (const grant of this.grantsBySubject.get(groupKey(g)) ?? []) out.push(grant);
    // A subject named twice in one binding applies once (appliesTo stops at the first).
    const seen = new Set<BindingRecord>();
    return out.sort(visitOrder).filter((g) => (seen.has(g.binding) ? false : (seen.add(g.binding), true)));
  }

  /** The grants naming exactly this subject (not its groups). */
  directGrants(subject: SubjectId): Grant[] {
    // An account's user name without the groups userInfoFor also builds: asked for every account.
    const key = subject.kind === 'Group' ? groupKey(subject.name)
      : userKey(subject.kind === 'ServiceAccount' ? serviceAccountUsername(subject.namespace ?? '', subject.name) : userInfoFor(subject).name);
    return this.grantsBySubject.get(key) ?? [];
  }

  /** Every subject named by a binding that resolves, once. */
  subjects(): SubjectId[] {
    const seen = new Map<string, SubjectId>();
    for (const grants of this.grantsBySubject.values()) for (const g of grants) seen.set(subjectKey(g.subject), g.subject);
    return [...seen.values()];
  }

  /** The RBAC decision for a request (the system:masters bypass included, as the API server does). */
  authorize(user: UserInfo, attrs: RequestAttributes): Decision {
    if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, bypass: true };
    const namespace = attrs.namespace ?? '';
    for (const grant of this.grantsFor(user)) {
      if (grant.scope !== undefined && grant.scope !== namespace) continue;
      const rules = grant.role.rules;
      for (let i = 0; i < rules.length; i++) {
        if (ruleAllows(attrs, rules[i]!)) return { allowed: true, grant, rule: rules[i]!, ruleIndex: i };
      }
    }
    return { allowed: false };
  }

  /** The rules that apply to a user in a namespace ("" = cluster-wide only), with their grants. */
  rulesFor(user: UserInfo, namespace: string): { grant: Grant; rule: PolicyRule; ruleIndex: number }[] {
    const out: { grant: Grant; rule: PolicyRule; ruleIndex: number }[] = [];
    for (const grant of this.grantsFor(user)) {
      if (grant.scope !== undefined && grant.scope !== namespace) continue;
      grant.role.rules.forEach((rule, ruleIndex) => out.push({ grant, rule, ruleIndex }));
    }
    return out;
  }

  /** The namespaces where RoleBindings grant this user something. */
  namespacesWithGrants(user: UserInfo): string[] {
    return [...new Set(this.grantsFor(user).flatMap((g) => (g.scope ? [g.scope] : [])))].sort();
  }

  /**
   * Roles with a rule that allows the request, and the first such rule: ClusterRoles, and the
   * Roles of the request's namespace (no other Role can apply to it).
   */
  rolesAllowing(attrs: RequestAttributes): Map<RoleRecord, IndexedRule> {
    const out = new Map<RoleRecord, IndexedRule>();
    const consider = (list: IndexedRule[] | undefined) => {
      for (const c of list ?? []) if (!out.has(c.role) && ruleAllows(attrs, c.rule)) out.set(c.role, c);
    };
    if (!isResourceRequest(attrs)) {
      consider(this.nonResourceRules);
      return out;
    }
    const sub = attrs.subresource ?? '';
    const keys = new Set([combinedResource(attrs), '*', ...(sub ? [`*/${sub}`] : [])]);
    for (const ns of attrs.namespace ? ['', attrs.namespace] : ['']) for (const key of keys) consider(this.rulesByResource.get(`${ns}\u0000${key}`));
    return out;
  }

  /**
   * Every subject a binding names that the request is allowed for, with the grants allowing it,
   * and Group system:masters (bypass). Without a namespace only ClusterRoleBindings apply.
   */
  whoCan(attrs: RequestAttributes): WhoCanSubject[] {
    const namespace = attrs.namespace ?? '';
    const bySubject = new Map<string, WhoCanSubject>();
    const grants: Grant[] = [];
    for (const role of this.rolesAllowing(attrs).keys()) {
      const key = roleKey(role.kind, role.namespace, role.name);
      const bindings = [...(this.bindingsByRoleAndNamespace.get(`${key}\u0000`) ?? []), ...(namespace ? (this.bindingsByRoleAndNamespace.get(`${key}\u0000${namespace}`) ?? []) : [])];
      for (const binding of bindings) grantsOf(binding, role, grants);
    }
    grants.sort(visitOrder);
    for (const grant of grants) {
      const key = subjectKey(grant.subject);
      let entry = bySubject.get(key);
      if (!entry) bySubject.set(key, (entry = { ...grant.subject, via: [] }));
      if (!entry.via.some((g) => g.binding === grant.binding)) entry.via.push(grant);
    }
    const out = [...bySubject.values()].sort(compareSubjects);
    return [{ kind: 'Group', name: MASTERS_GROUP, bypass: true, via: [] }, ...out.filter((s) => !(s.kind === 'Group' && s.name === MASTERS_GROUP))];
  }
}

function visitOrder(a: Grant, b: Grant): number {
  const ka = a.binding.kind === 'ClusterRoleBinding' ? 0 : 1;
  const kb = b.binding.kind === 'ClusterRoleBinding' ? 0 : 1;
  return ka - kb || a.binding.order - b.binding.order;
}

const KIND_ORDER = { User: 0, Group: 1, ServiceAccount: 2 } as const;
export function compareSubjects(a: SubjectId, b: SubjectId): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
}

/** clusterRoleSelectors of a ClusterRole's aggregationRule; undefined when it has none (an empty rule aggregates nothing). */
export function aggregationSelectors(object: K8sObject): LabelSelector[] | undefined {
  const rule = object.aggregationRule as { clusterRoleSelectors?: unknown } | undefined;
  if (!rule || typeof rule !== 'object') return undefined;
  return Array.isArray(rule.clusterRoleSelectors) ? (rule.clusterRoleSelectors as LabelSelector[]) : [];
}

/** Objects the API server created from its bootstrap policy (so not a user's choice). */
function isBootstrapObject(object: K8sObject): boolean {
  const name = object.metadata?.name ?? '';
  return object.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults' &&
    (name.startsWith('system:') || BUILTIN_CLUSTER_ROLES.some((r) => r.name === name) || BUILTIN_CLUSTER_ROLE_BINDINGS.some((b) => b.name === name));
}

/** A binding kubeadm created, recognised by name, namespace, role and subjects. */
function isInstallerBinding(b: BindingRecord): boolean {
  const known = INSTALLER_BINDINGS.find((k) => k.kind === b.kind && k.name === b.name && (k.namespace ?? undefined) === b.namespace && k.role === b.roleRef.name);
  if (!known) return false;
  if (!known.subjects) return true;
  return b.subjects.every((s) => known.subjects!.includes(s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace || b.namespace}/${s.name}` : `${s.kind}:${s.name}`));
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}


/** "user:alice", "group:devs", "sa:ns/name" (or "serviceaccount:ns/name") => a subject. */
export function parseSubjectSpec(spec: string): SubjectId | undefined {
  const m = /^(user|group|sa|serviceaccount):(.+)$/i.exec(spec);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (kind === 'user') return { kind: 'User', name: rest };
  if (kind === 'group') return { kind: 'Group', name: rest };
  const [namespace, name, ...extra] = rest.split('/');
  return namespace && name && extra.length === 0 ? { kind: 'ServiceAccount', namespace, name } : undefined;
}
