// The escalation graph: nodes are identities (users, groups, ServiceAccounts), capabilities
// (cluster-admin, every Secret, every node) and namespace hubs; an edge is one way a node becomes
// another or gains a capability, citing the binding, role and rule that create it. Shortest paths
// are one breadth-first search per target over the reversed edges.

import type { PodSpecRef } from '../../inventory/inventory.js';
import { SYSTEM_NAMESPACES } from '../../inventory/kinds.js';
import type { Item } from '../../inventory/types.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, MASTERS_GROUP, SERVICE_ACCOUNTS_GROUP, UNAUTHENTICATED_GROUP } from './bootstrap.js';
import { describeRule } from './compact.js';
import { describeSubject, type RbacIndex } from './index.js';
import { ruleAllows } from './match.js';
import type { Grant, PolicyRule, RequestAttributes, RoleRecord, SubjectId } from './types.js';

export const TARGETS = ['cluster-admin', 'secrets', 'nodes'] as const;
export type Target = (typeof TARGETS)[number];

export type EdgeType =
  | 'wildcard' | 'member-of' | 'create-workloads' | 'exec-into-pods' | 'bind' | 'escalate' | 'impersonate'
  | 'serviceaccount-token' | 'read-secrets' | 'legacy-token' | 'nodes-proxy' | 'certificate-signing'
  | 'mutating-webhook' | 'validating-webhook' | 'persistent-volume' | 'runs-as' | 'equivalent';

/** The binding, role and rule an edge comes from. */
export interface Cite {
  binding: { kind: string; name: string; namespace?: string };
  role: { kind: string; name: string; namespace?: string };
  rule: PolicyRule;
  ruleIndex: number;
}

export interface Edge {
  from: string;
  to: string;
  type: EdgeType;
  description: string;
  cites: Cite[];
}

export type NodeKind = 'User' | 'Group' | 'ServiceAccount' | 'target' | 'hub' | 'role';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  subject?: SubjectId;
}

/** What the graph needs from the cluster besides RBAC: accounts, pods, legacy token Secrets. */
export interface ClusterFacts {
  namespaces: string[];
  /** ServiceAccounts known per namespace (objects, binding subjects, pods). */
  serviceAccounts: Map<string, Set<string>>;
  /** Accounts of pods and workloads per namespace. */
  runningAccounts: Map<string, Set<string>>;
  /** Accounts with a legacy token Secret, per namespace, with the Secret names. */
  legacyTokens: Map<string, Map<string, string[]>>;
}

export function clusterFactsOf(items: readonly Item[], podSpecs: readonly PodSpecRef[], index: RbacIndex): ClusterFacts {
  const serviceAccounts = new Map<string, Set<string>>();
  const runningAccounts = new Map<string, Set<string>>();
  const legacyTokens = new Map<string, Map<string, string[]>>();
  const namespaces = new Set<string>();
  const add = (map: Map<string, Set<string>>, ns: string, name: string) => {
    let set = map.get(ns);
    if (!set) map.set(ns, (set = new Set()));
    set.add(name);
  };
  for (const item of items) {
    if (item.ref.kind === 'Namespace') namespaces.add(item.ref.name);
    else if (item.ref.namespace) namespaces.add(item.ref.namespace);
    if (item.ref.kind === 'ServiceAccount' && item.ref.namespace) add(serviceAccounts, item.ref.namespace, item.ref.name);
    if (item.ref.kind === 'Secret' && item.ref.namespace && item.object.type === 'kubernetes.io/service-account-token') {
      const account = item.object.metadata?.annotations?.['kubernetes.io/service-account.name'];
      if (!account) continue;
      let byAccount = legacyTokens.get(item.ref.namespace);
      if (!byAccount) legacyTokens.set(item.ref.namespace, (byAccount = new Map()));
      byAccount.set(account, [...(byAccount.get(account) ?? []), item.ref.name]);
    }
  }
  for (const pod of podSpecs) {
    const account = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
    add(runningAccounts, pod.namespace, account);
    add(serviceAccounts, pod.namespace, account);
  }
  for (const s of index.subjects()) if (s.kind === 'ServiceAccount') {
    add(serviceAccounts, s.namespace!, s.name);
    namespaces.add(s.namespace!);
  }
  for (const b of index.bindings) if (b.namespace) namespaces.add(b.namespace);
  return { namespaces: [...namespaces].sort(), serviceAccounts, runningAccounts, legacyTokens };
}

export const targetId = (t: Target) => `target:${t}`;
export function nodeIdOf(s: SubjectId): string {
  return s.kind === 'ServiceAccount' ? `sa:${s.namespace}/${s.name}` : `${s.kind === 'User' ? 'user' : 'group'}:${s.name}`;
}

/** Capabilities one rule gives, found by asking the authorizer's own rule match. */
interface RuleFacts {
  rule: PolicyRule;
  ruleIndex: number;
  wildcard: boolean;
  workloads?: string;
  exec?: string;
  secrets?: { names: string[] | null };
  tokens?: { names: string[] | null };
  impersonateUsers?: { names: string[] | null };
  impersonateGroups?: { names: string[] | null };
  impersonateServiceAccounts?: { names: string[] | null };
  createRoleBindings: boolean;
  createClusterRoleBindings: boolean;
  bindClusterRoles?: { names: string[] | null };
  bindRoles?: { names: string[] | null };
  escalateClusterRoles: boolean;
  writeClusterRoles: boolean;
  escalateRoles: boolean;
  writeRoles: boolean;
  nodesProxy: boolean;
  csrCreate: boolean;
  csrApprove: boolean;
  signerApprove: boolean;
  mutatingWebhooks: boolean;
  validatingWebhooks: boolean;
  persistentVolumes: boolean;
}

const WORKLOADS: [string, string][] = [
  ['', 'pods'], ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function allows(rule: PolicyRule, verbs: string[], apiGroup: string, resource: string, subresource = '', name = ''): boolean {
  return verbs.some((verb) => ruleAllows({ verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) } as RequestAttributes, rule));
}

/** Names a rule is limited to for a verb on a resource: null = every name, [] = none. */
function namesFor(rule: PolicyRule, verbs: string[], apiGroup: string, resource: string, subresource = ''): { names: string[] | null } | undefined {
  const probe = (name: string) => allows(rule, verbs, apiGroup, resource, subresource, name);
  if (rule.resourceNames.length === 0) return probe('') ? { names: null } : undefined;
  const names = rule.resourceNames.filter(probe);
  return names.length > 0 ? { names } : undefined;
}

/** Every verb on every resource of every group: what cluster-admin holds. */
export function isWildcardRule(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

function factsOf(rule: PolicyRule, ruleIndex: number): RuleFacts {
  const workload = WORKLOADS.find(([g, r]) => allows(rule, ['create'], g, r));
  const exec = allows(rule, ['create', 'get'], '', 'pods', 'exec') ? 'pods/exec'
    : allows(rule, ['create', 'get'], '', 'pods', 'attach') ? 'pods/attach'
      : allows(rule, ['update', 'patch'], '', 'pods', 'ephemeralcontainers') ? 'pods/ephemeralcontainers' : undefined;
  const facts: RuleFacts = {
    rule, ruleIndex,
    wildcard: isWildcardRule(rule),
    createRoleBindings: allows(rule, ['create'], RBAC_GROUP, 'rolebindings'),
    createClusterRoleBindings: allows(rule, ['create'], RBAC_GROUP, 'clusterrolebindings'),
    escalateClusterRoles: allows(rule, ['escalate'], RBAC_GROUP, 'clusterroles'),
    writeClusterRoles: allows(rule, ['create', 'update', 'patch'], RBAC_GROUP, 'clusterroles'),
    escalateRoles: allows(rule, ['escalate'], RBAC_GROUP, 'roles'),
    writeRoles: allows(rule, ['create', 'update', 'patch'], RBAC_GROUP, 'roles'),
    nodesProxy: allows(rule, ['get', 'create'], '', 'nodes', 'proxy'),
    csrCreate: allows(rule, ['create'], 'certificates.k8s.io', 'certificatesigningrequests'),
    csrApprove: allows(rule, ['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests', 'approval'),
    // The approver is checked for the signer name and for "<domain>/*" (certificates admission).
    signerApprove: allows(rule, ['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/kube-apiserver-client') || allows(rule, ['approve'], 'certificates.k8s.io', 'signers', '', 'kubernetes.io/*'),
    mutatingWebhooks: allows(rule, ['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations'),
    validatingWebhooks: allows(rule, ['create', 'update', 'patch'], 'admissionregistration.k8s.io', 'validatingwebhookconfigurations'),
    persistentVolumes: allows(rule, ['create'], '', 'persistentvolumes'),
  };
  if (workload) facts.workloads = workload[0] ? `${workload[1]}.${workload[0]}` : workload[1];
  if (exec) facts.exec = exec;
  const set = <K extends keyof RuleFacts>(key: K, value: RuleFacts[K] | undefined) => { if (value) facts[key] = value; };
  set('secrets', namesFor(rule, ['get', 'list', 'watch'], '', 'secrets'));
  set('tokens', namesFor(rule, ['create'], '', 'serviceaccounts', 'token'));
  set('impersonateUsers', namesFor(rule, ['impersonate'], '', 'users'));
  set('impersonateGroups', namesFor(rule, ['impersonate'], '', 'groups'));
  set('impersonateServiceAccounts', namesFor(rule, ['impersonate'], '', 'serviceaccounts'));
  set('bindClusterRoles', namesFor(rule, ['bind'], RBAC_GROUP, 'clusterroles'));
  set('bindRoles', namesFor(rule, ['bind'], RBAC_GROUP, 'roles'));
  return facts;
}

/** Facts combined across a principal's grants (bind needs create bindings too, CSR needs three). */
interface Combined {
  createRoleBindings: Map<string, Cite>;
  createClusterRoleBindings?: Cite;
  bindClusterRoles: { scope: string; names: string[] | null; cite: Cite }[];
  bindRoles: { scope: string; names: string[] | null; cite: Cite }[];
  escalateClusterRoles?: Cite;
  writeClusterRoles?: Cite;
  escalateRoles: Map<string, Cite>;
  writeRoles: Map<string, Cite>;
  csrCreate?: Cite;
  csrApprove?: Cite;
  signerApprove?: Cite;
}

/** ALL = a ClusterRoleBinding: every namespace and cluster-scoped resources. */
const ALL = '*';
/** RoleBindings the principal can create in every namespace: namespaced resources only. */
const EVERY_NAMESPACE = '*ns';

export class EscalationGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: Edge[] = [];
  private readonly out = new Map<string, Edge[]>();
  private readonly incoming = new Map<string, Edge[]>();
  /**
   * The first edge from a source to a target, to merge repeats: keyed by the ids themselves, which
   * are looked up anyway, rather than by a new concatenated string per edge.
   */
  private readonly firstEdgeBetween = new Map<string, Map<string, Edge>>();
  private readonly grantingGroups = new Map<string, boolean>();
  private readonly roleFacts = new Map<RoleRecord, RuleFacts[]>();
  private readonly ruleFacts = new Map<string, RuleFacts>();
  private readonly pending: string[] = [];
  private userNames: string[] | undefined;

  constructor(private readonly index: RbacIndex, private readonly facts: ClusterFacts) {
    for (const t of TARGETS) this.node(targetId(t), 'target', t);
    this.addEdge(targetId('secrets'), targetId('cluster-admin'), 'equivalent', 'every Secret includes the credentials of privileged accounts and controllers (the guide: effectively cluster-admin)', []);
    this.addEdge(targetId('nodes'), targetId('cluster-admin'), 'equivalent', 'the kubelet API of every node runs commands in every pod, control-plane pods included', []);
    for (const subject of index.subjects()) this.principal(subject);
    for (let i = 0; i < this.pending.length; i++) this.expand(this.pending[i]!);
  }

  private node(id: string, kind: NodeKind, label: string, subject?: SubjectId): GraphNode {
    let n = this.nodes.get(id);
    if (!n) {
      n = { id, kind, label, ...(subject ? { subject } : {}) };
      this.nodes.set(id, n);
    }
    return n;
  }

  private addEdge(from: string, to: string, type: EdgeType, description: string, cites: Cite[]): void {
    if (from === to) return;
    let byTarget = this.firstEdgeBetween.get(from);
    if (!byTarget) this.firstEdgeBetween.set(from, (byTarget = new Map()));
    const first = byTarget.get(to);
    // Two types between the same nodes are rare (a user holding a wildcard and webhook rights): the source's few edges are searched then.
    const existing = first && (first.type === type ? first : this.outgoing(from).find((e) => e.to === to && e.type === type));
    if (existing) {
      if (cites.length > 0 && existing.cites.length < 3) existing.cites.push(...cites.slice(0, 3 - existing.cites.length));
      return;
    }
    const edge: Edge = { from, to, type, description, cites: cites.slice(0, 3) };
    if (!first) byTarget.set(to, edge);
    this.edges.push(edge);
    push(this.out, from, edge);
    push(this.incoming, to, edge);
    if (!this.nodes.has(to)) this.pending.push(to);
  }

  /** An identity node: its memberships and the edges of the grants naming it. */
  private principal(subject: SubjectId): string {
    const id = nodeIdOf(subject);
    if (this.nodes.has(id)) return id;
    this.node(id, subject.kind, describeSubject(subject), subject);
    for (const group of membershipsOf(subject)) {
      if (this.groupHasGrants(group)) this.addEdge(id, this.principal({ kind: 'Group', name: group }), 'member-of', `is a member of group ${group} and holds its grants`, []);
    }
    this.grantEdges(id, this.index.directGrants(subject).map((g) => ({ role: g.role, scope: g.scope ?? ALL, cite: (f: RuleFacts) => citeOf(g, f) })));
    return id;
  }

  private factsOfRole(role: RoleRecord): RuleFacts[] {
    let facts = this.roleFacts.get(role);
    if (!facts) this.roleFacts.set(role, (facts = role.rules.map((r, i) => this.factsOfRule(r, i))));
    return facts;
  }

  /** The namespaces' Roles repeat the same few rules: each rule's capabilities are probed once. */
  private factsOfRule(rule: PolicyRule, ruleIndex: number): RuleFacts {
    const key = JSON.stringify(rule);
    let facts = this.ruleFacts.get(key);
    if (!facts) this.ruleFacts.set(key, (facts = factsOf(rule, ruleIndex)));
    return facts.rule === rule && facts.ruleIndex === ruleIndex ? facts : { ...facts, rule, ruleIndex };
  }

  private grantEdges(from: string, grants: { role: RoleRecord; scope: string; cite: (f: RuleFacts) => Cite }[]): void {
    // Most accounts hold nothing directly: skip building the combined facts for them.
    if (grants.length === 0) return;
    const combined: Combined = { createRoleBindings: new Map(), bindClusterRoles: [], bindRoles: [], escalateRoles: new Map(), writeRoles: new Map() };
    for (const grant of grants) {
      const { role, cite } = grant;
      // Cluster-scoped resources (users, nodes, clusterroles, CSRs, webhooks, PVs) are granted
      // only by ClusterRoleBindings: a RoleBinding's requests always carry its namespace.
      const cluster = grant.scope === ALL;
      const scope = grant.scope === EVERY_NAMESPACE ? ALL : grant.scope;
      for (const f of this.factsOfRole(role)) {
        const c = () => [cite(f)];
        const where = scope === ALL ? 'in every namespace' : `in namespace ${scope}`;
        if (f.wildcard && cluster) this.addEdge(from, targetId('cluster-admin'), 'wildcard', 'holds every verb on every resource cluster-wide', c());
        if (f.wildcard && !cluster) this.addEdge(from, hub('admin', scope), 'wildcard', `holds every verb on every resource ${where}`, c());
        if (f.workloads) this.addEdge(from, hub('accounts', scope), 'create-workloads', `creates ${f.workloads} ${where}, so runs pods as any ServiceAccount there and mounts its Secrets`, c());
        if (f.exec) this.addEdge(from, hub('running', scope), 'exec-into-pods', `uses ${f.exec} ${where}, so acts as the accounts of the pods running there`, c());
        if (f.secrets) {
          if (f.secrets.names === null) {
            if (cluster) this.addEdge(from, targetId('secrets'), 'read-secrets', 'reads every Secret of the cluster', c());
            this.addEdge(from, hub('secrets', scope), 'read-secrets', `reads Secrets ${where}, legacy ServiceAccount tokens included`, c());
          } else this.tokenSecretEdges(from, scope, f.secrets.names, c());
        }
        if (f.tokens) this.accountEdges(from, scope, f.tokens.names, 'serviceaccount-token', `creates tokens (serviceaccounts/token) ${where}`, c());
        if (f.impersonateServiceAccounts) this.accountEdges(from, scope, f.impersonateServiceAccounts.names, 'impersonate', `impersonates ServiceAccounts ${where}`, c());
        if (cluster && f.impersonateUsers) {
          const users = f.impersonateUsers.names ?? (this.userNames ??= this.index.subjects().filter((s) => s.kind === 'User').map((s) => s.name));
          for (const name of users) this.addEdge(from, this.principal(resolveUser(name)), 'impersonate', `impersonates user ${name}`, c());
        }
        if (cluster && f.impersonateGroups) {
          const names = f.impersonateGroups.names;
          if (names === null || names.includes(MASTERS_GROUP)) this.addEdge(from, targetId('cluster-admin'), 'impersonate', `impersonates group ${MASTERS_GROUP}, which bypasses authorization`, c());
          for (const name of names ?? []) if (name !== MASTERS_GROUP) this.addEdge(from, this.principal({ kind: 'Group', name }), 'impersonate', `impersonates group ${name}`, c());
        }
        if (f.createRoleBindings && !combined.createRoleBindings.has(scope)) combined.createRoleBindings.set(scope, cite(f));
        if (cluster && f.createClusterRoleBindings) combined.createClusterRoleBindings ??= cite(f);
        if (f.bindClusterRoles) combined.bindClusterRoles.push({ scope, names: f.bindClusterRoles.names, cite: cite(f) });
        if (f.bindRoles) combined.bindRoles.push({ scope, names: f.bindRoles.names, cite: cite(f) });
        if (cluster && f.escalateClusterRoles) combined.escalateClusterRoles ??= cite(f);
        if (cluster && f.writeClusterRoles) combined.writeClusterRoles ??= cite(f);
        if (f.escalateRoles && !combined.escalateRoles.has(scope)) combined.escalateRoles.set(scope, cite(f));
        if (f.writeRoles && !combined.writeRoles.has(scope)) combined.writeRoles.set(scope, cite(f));
        if (!cluster) continue;
        if (f.nodesProxy) this.addEdge(from, targetId('nodes'), 'nodes-proxy', 'uses nodes/proxy: the kubelet API of every node (exec in any pod)', c());
        if (f.csrCreate) combined.csrCreate ??= cite(f);
        if (f.csrApprove) combined.csrApprove ??= cite(f);
        if (f.signerApprove) combined.signerApprove ??= cite(f);
        if (f.mutatingWebhooks) this.addEdge(from, targetId('cluster-admin'), 'mutating-webhook', 'writes MutatingWebhookConfigurations: sees and alters every object, pods included', c());
        if (f.validatingWebhooks) this.addEdge(from, targetId('secrets'), 'validating-webhook', 'writes ValidatingWebhookConfigurations: receives every object written, Secrets included', c());
        if (f.persistentVolumes) this.addEdge(from, targetId('nodes'), 'persistent-volume', 'creates PersistentVolumes: a hostPath volume exposes the node filesystem to a pod that claims it', c());
      }
    }
    this.combinedEdges(from, combined);
  }

  private combinedEdges(from: string, c: Combined): void {
    if (c.createClusterRoleBindings) {
      for (const b of c.bindClusterRoles) {
        if (b.scope !== ALL) continue;
        if (b.names === null) this.addEdge(from, targetId('cluster-admin'), 'bind', 'binds any ClusterRole (cluster-admin included) with a ClusterRoleBinding', [c.createClusterRoleBindings, b.cite]);
        else for (const name of b.names) this.roleEdge(from, 'ClusterRole', undefined, name, ALL, [c.createClusterRoleBindings, b.cite]);
      }
    }
    for (const [scope, create] of c.createRoleBindings) {
      for (const b of [...c.bindClusterRoles, ...c.bindRoles.map((r) => ({ ...r, role: true }))]) {
        if (b.scope !== ALL && scope !== ALL && b.scope !== scope) continue;
        const where = scope !== ALL ? scope : b.scope;
        const isRole = 'role' in b;
        if (b.names === null) this.addEdge(from, hub('admin', where), 'bind', `binds any ${isRole ? 'Role' : 'ClusterRole'} with a RoleBinding ${where === ALL ? 'in every namespace' : `in namespace ${where}`}`, [create, b.cite]);
        else for (const name of b.names) {
          if (isRole && where === ALL) continue;
          this.roleEdge(from, isRole ? 'Role' : 'ClusterRole', isRole ? where : undefined, name, where === ALL ? EVERY_NAMESPACE : where, [create, b.cite]);
        }
      }
    }
    if (c.escalateClusterRoles && c.writeClusterRoles) this.addEdge(from, targetId('cluster-admin'), 'escalate', 'escalates ClusterRoles: writes any permission into a ClusterRole', [c.escalateClusterRoles, c.writeClusterRoles]);
    for (const [scope, esc] of c.escalateRoles) {
      const write = c.writeRoles.get(scope) ?? c.writeRoles.get(ALL);
      if (write) this.addEdge(from, hub('admin', scope), 'escalate', `escalates Roles: writes any permission into a Role ${scope === ALL ? 'in every namespace' : `in namespace ${scope}`}`, [esc, write]);
    }
    if (c.csrCreate && c.csrApprove && c.signerApprove) {
      this.addEdge(from, targetId('cluster-admin'), 'certificate-signing', `creates and approves CertificateSigningRequests for kubernetes.io/kube-apiserver-client: a client certificate for any identity, ${MASTERS_GROUP} included`, [c.csrCreate, c.csrApprove, c.signerApprove]);
    }
  }

  /** A role the principal can bind: a node holding that role's permissions in the scope. */
  private roleEdge(from: string, kind: 'Role' | 'ClusterRole', namespace: string | undefined, name: string, scope: string, cites: Cite[]): void {
    const role = this.index.role(kind, namespace, name);
    if (!role) return;
    const id = `role:${kind}/${namespace ? `${namespace}/` : ''}${name}@${scope}`;
    if (!this.nodes.has(id)) {
      this.node(id, 'role', `${kind} ${name} ${scope === ALL ? 'cluster-wide' : scope === EVERY_NAMESPACE ? 'in every namespace' : `in ${scope}`}`);
      const ref = { kind: role.kind, name: role.name, ...(role.namespace ? { namespace: role.namespace } : {}) };
      this.grantEdges(id, [{ role, scope, cite: (f) => ({ binding: { kind: scope === ALL ? 'ClusterRoleBinding' : 'RoleBinding', name: '(one they create)', ...(scope === ALL || scope === EVERY_NAMESPACE ? {} : { namespace: scope }) }, role: ref, rule: f.rule, ruleIndex: f.ruleIndex }) }]);
    }
    this.addEdge(from, id, 'bind', `binds ${kind} ${name} to itself ${scope === ALL ? 'cluster-wide' : scope === EVERY_NAMESPACE ? 'in every namespace' : `in namespace ${scope}`}`, cites);
  }

  private accountEdges(from: string, scope: string, names: string[] | null, type: EdgeType, description: string, cites: Cite[]): void {
    if (names === null) {
      this.addEdge(from, hub('accounts', scope), type, `${description}: every ServiceAccount`, cites);
      return;
    }
    const namespaces = scope === ALL ? this.facts.namespaces : [scope];
    for (const ns of namespaces) for (const name of names) {
      if (scope === ALL && !this.facts.serviceAccounts.get(ns)?.has(name)) continue;
      this.addEdge(from, this.principal({ kind: 'ServiceAccount', namespace: ns, name }), type, `${description}: ServiceAccount ${ns}/${name}`, cites);
    }
  }

  private tokenSecretEdges(from: string, scope: string, secretNames: string[], cites: Cite[]): void {
    const namespaces = scope === ALL ? [...this.facts.legacyTokens.keys()] : [scope];
    for (const ns of namespaces) {
      for (const [account, secrets] of this.facts.legacyTokens.get(ns) ?? []) {
        const readable = secrets.filter((s) => secretNames.includes(s));
        if (readable.length > 0) this.addEdge(from, this.principal({ kind: 'ServiceAccount', namespace: ns, name: account }), 'legacy-token', `reads Secret ${ns}/${readable[0]}, a legacy token of ServiceAccount ${ns}/${account}`, cites);
      }
    }
  }

  /** Hubs fan out to accounts when first reached, so the graph stays linear in size. */
  private expand(id: string): void {
    const [, what, scope] = /^hub:([a-z]+):(.*)$/.exec(id) ?? [];
    if (!what || scope === undefined || this.nodes.has(id)) return;
    const where = scope === ALL ? 'every namespace' : `namespace ${scope}`;
    this.node(id, 'hub', hubLabel(what, where));
    if (scope === ALL) {
      for (const ns of this.facts.namespaces) this.addEdge(id, hub(what, ns), 'equivalent', `includes namespace ${ns}`, []);
      return;
    }
    if (what === 'admin') {
      this.addEdge(id, hub('accounts', scope), 'create-workloads', 'holds every permission in the namespace, pod creation included', []);
      this.addEdge(id, hub('secrets', scope), 'read-secrets', 'holds every permission in the namespace, Secrets included', []);
      return;
    }
    const accounts = what === 'accounts' ? this.facts.serviceAccounts.get(scope)
      : what === 'running' ? this.facts.runningAccounts.get(scope)
        : new Set(this.facts.legacyTokens.get(scope)?.keys() ?? []);
    // Every account of the namespace is in the same groups: asked once, not once per account.
    const groupsGrant = membershipsOf({ kind: 'ServiceAccount', namespace: scope, name: '' }).some((g) => g !== AUTHENTICATED_GROUP && this.groupHasGrants(g));
    for (const name of [...(accounts ?? [])].sort()) {
      const sa: SubjectId = { kind: 'ServiceAccount', namespace: scope, name };
      // Only accounts that hold something (themselves or through their namespace's group) matter.
      if (!groupsGrant && !this.nodes.has(nodeIdOf(sa)) && this.index.directGrants(sa).length === 0) continue;
      const how = what === 'secrets' ? `legacy token Secret ${this.facts.legacyTokens.get(scope)?.get(name)?.[0] ?? ''}` : what === 'running' ? 'runs in a pod there' : 'exists there';
      this.addEdge(id, this.principal(sa), what === 'secrets' ? 'legacy-token' : 'runs-as', `ServiceAccount ${scope}/${name} (${how})`, []);
    }
  }

  /** Asked for the same few groups (system:serviceaccounts...) for every account. */
  private groupHasGrants(name: string): boolean {
    let has = this.grantingGroups.get(name);
    if (has === undefined) this.grantingGroups.set(name, (has = this.index.directGrants({ kind: 'Group', name }).length > 0));
    return has;
  }

  outgoing(id: string): Edge[] {
    return this.out.get(id) ?? [];
  }

  /** For every node that reaches the target: the first edge of one shortest path. */
  shortestPaths(target: Target): Map<string, Edge | null> {
    const next = new Map<string, Edge | null>([[targetId(target), null]]);
    const queue = [targetId(target)];
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!;
      for (const e of this.incoming.get(id) ?? []) {
        if (next.has(e.from)) continue;
        next.set(e.from, e);
        queue.push(e.from);
      }
    }
    return next;
  }

  /** The edges of the shortest path from a node, given shortestPaths' result. */
  static pathFrom(id: string, next: Map<string, Edge | null>): Edge[] | undefined {
    if (!next.has(id)) return undefined;
    const path: Edge[] = [];
    for (let e = next.get(id); e; e = next.get(e.to)) path.push(e);
    return path;
  }
}

function hub(what: string, scope: string): string {
  return `hub:${what}:${scope}`;
}

function hubLabel(what: string, where: string): string {
  switch (what) {
    case 'accounts': return `any ServiceAccount of ${where}`;
    case 'running': return `accounts of running pods in ${where}`;
    case 'secrets': return `Secrets of ${where}`;
    default: return `every permission in ${where}`;
  }
}

function resolveUser(name: string): SubjectId {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
  return m ? { kind: 'ServiceAccount', namespace: m[1]!, name: m[2]! } : { kind: 'User', name };
}

/** The groups the authenticator puts an identity in (beyond any it is named with). */
export function membershipsOf(subject: SubjectId): string[] {
  switch (subject.kind) {
    case 'ServiceAccount': return [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${subject.namespace}`, AUTHENTICATED_GROUP];
    case 'User': return [subject.name === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP];
    case 'Group': return subject.name === AUTHENTICATED_GROUP || subject.name === UNAUTHENTICATED_GROUP ? [] : [AUTHENTICATED_GROUP];
  }
}

function citeOf(g: Grant, f: RuleFacts): Cite {
  return {
    binding: { kind: g.binding.kind, name: g.binding.name, ...(g.binding.namespace ? { namespace: g.binding.namespace } : {}) },
    role: { kind: g.role.kind, name: g.role.name, ...(g.role.namespace ? { namespace: g.role.namespace } : {}) },
    rule: f.rule,
    ruleIndex: f.ruleIndex,
  };
}

export function describeCite(c: Cite): string {
  const binding = `${c.binding.kind} ${c.binding.namespace ? `${c.binding.namespace}/` : ''}${c.binding.name}`;
  return `${binding} -> ${c.role.kind} ${c.role.name} rule[${c.ruleIndex}]: ${describeRule(c.rule)}`;
}

/** Subjects kubeward does not report as a user's choice: the API server's own identities. */
export function isSystemSubject(s: SubjectId): boolean {
  if (s.kind === 'ServiceAccount') return SYSTEM_NAMESPACES.has(s.namespace ?? '');
  return s.name.startsWith('system:') && s.name !== AUTHENTICATED_GROUP && s.name !== UNAUTHENTICATED_GROUP && s.name !== ANONYMOUS_USER && s.name !== SERVICE_ACCOUNTS_GROUP && !s.name.startsWith(`${SERVICE_ACCOUNTS_GROUP}:`);
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
