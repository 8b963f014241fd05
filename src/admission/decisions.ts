// The webhook's decisions: one AdmissionReview request in, allowed or denied with the checks that
// decided, warnings and audit annotations out. Pure over the request, the configuration and the
// cluster state (no I/O), so the server, the tests and the benchmark run the same code.
//
// - The object's own checks run on the object with its Namespace, ServiceAccount or role from the
//   state (OBJECT_CHECKS). On UPDATE only what the old object did not already fail counts.
// - Bindings and roles are judged on the RBAC state with the request applied: a new escalation
//   path for a subject that had none. Namespaces: a lowered pod-security level. NetworkPolicies:
//   the network checks of the namespace, before and after.

import { findCheck } from '../checks/registry.js';
import type { SectionSlug, Severity } from '../checks/sections.js';
import type { Check } from '../checks/types.js';
import { LEVELS, policyToEvaluate, MODES } from '../engines/podsecurity/index.js';
import { clusterFactsOf, EscalationGraph, membershipsOf, nodeIdOf, targetId, TARGETS, type Edge, type Target } from '../engines/rbac/escalation.js';
import { aggregationSelectors, bindingFieldsOf, grantsOf, RbacIndex, roleKey, rulesOf, subjectKey } from '../engines/rbac/index.js';
import { ResourceScopes } from '../engines/rbac/resources.js';
import type { RbacScan } from '../engines/rbac/scan.js';
import { describePath } from '../engines/rbac/paths.js';
import { aggregateClusterRoles, ruleKey, type AggregationCandidate } from '../engines/rbac/aggregation.js';
import { BUILTIN_CLUSTER_ROLES } from '../engines/rbac/bootstrap.js';
import type { BindingRecord, Grant, PolicyRule, RoleRecord, SubjectId } from '../engines/rbac/types.js';
import type { LabelSelector } from '../inventory/labels.js';
import { POD_TEMPLATE_PATHS, isNamespacedKind } from '../inventory/kinds.js';
import { objectKey, refOf, valueAtPath, type Item, type K8sObject, type ResourceRef } from '../inventory/types.js';
import { parseKubeVersion } from '../inventory/version.js';
import type { Finding } from '../report/types.js';
import { findException } from '../scan/exceptions.js';
import { buildInventory, createContext, evaluateCheck } from '../scan/run.js';
import { emptyLoadResult } from '../sources/types.js';
import { actionFor, type Action, type AdmissionConfig } from './config.js';
import { ESCALATION_CHECK, OBJECT_CHECKS, RBAC_KINDS, ruleMeta } from './rules.js';
import type { ClusterState, RbacBaseline } from './state.js';

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  name?: string;
  namespace?: string;
  operation?: string;
  userInfo?: { username?: string; groups?: string[] };
  object?: K8sObject | null;
  oldObject?: K8sObject | null;
  dryRun?: boolean;
}

/** One check's verdict on the request. */
export interface Verdict {
  check: string;
  section: SectionSlug;
  severity: Severity;
  action: Action | 'excepted';
  message: string;
  remediation?: string;
}

export interface Decision {
  allowed: boolean;
  /** status.message of a denial: every enforcing check with its fix. */
  message?: string;
  warnings: string[];
  auditAnnotations: Record<string, string>;
  verdicts: Verdict[];
  /** Why nothing was judged (CONNECT, DELETE, an exemption), for metrics and logs. */
  skipped?: string;
}

/** kubectl prints each warning on its own line; the API server truncates long ones. */
export const MAX_WARNING = 120;

const NETWORK_CHECKS = ['namespace-pods-not-isolated-for-ingress', 'namespace-pods-not-isolated-for-egress', 'namespace-reachable-from-every-namespace', 'allow-all-rule-undoes-default-deny'];

function checksById(ids: readonly string[]): Check[] {
  return ids.map((id) => {
    const check = findCheck(id);
    if (!check) throw new Error(`admission check ${id} is not in the catalogue`);
    return check;
  });
}

/** What one rule found about the object: a message, and its own remediation if it has one. */
interface Found { id: string; message: string; remediation?: string; severity?: Severity }

export class Decider {
  private readonly podChecks: Check[];
  private readonly kindChecks = new Map<string, Check[]>();
  private readonly networkChecks = checksById(NETWORK_CHECKS);
  private readonly k8sVersion;

  constructor(private readonly config: AdmissionConfig, private readonly state: ClusterState, private readonly now: () => Date = () => new Date()) {
    const level = config.podSecurity.level;
    // The Pod Security level: baseline drops the restricted check, privileged both.
    const skip = new Set(level === 'privileged' ? ['pod-violates-baseline-pod-security', 'pod-violates-restricted-pod-security'] : level === 'baseline' ? ['pod-violates-restricted-pod-security'] : []);
    this.podChecks = checksById(OBJECT_CHECKS.pod!.filter((id) => !skip.has(id)));
    for (const [kind, ids] of Object.entries(OBJECT_CHECKS)) if (kind !== 'pod') this.kindChecks.set(kind, checksById(ids));
    this.k8sVersion = config.podSecurity.version === 'latest' ? undefined : parseKubeVersion(`${config.podSecurity.version}.0`);
  }

  decide(request: AdmissionRequest): Decision {
    const operation = request.operation ?? '';
    if (operation !== 'CREATE' && operation !== 'UPDATE') return skipped(`${operation || 'no operation'}: not judged`);
    const object = request.object;
    if (!object || typeof object !== 'object') return skipped('no object in the request');
    const kind = object.kind ?? request.kind?.kind ?? '';
    const namespace = object.metadata?.namespace ?? request.namespace;
    const exempt = this.exemption(request, namespace, kind === 'Namespace' ? object.metadata?.name : undefined);
    if (exempt) return { ...skipped(exempt), auditAnnotations: { exempt: exempt } };
    const rawOld = operation === 'UPDATE' && request.oldObject && typeof request.oldObject === 'object' ? request.oldObject : undefined;
    const old = rawOld ? withIdentity(rawOld, request, namespace) : undefined;
    const named = withIdentity(object, request, namespace);

    const found: Found[] = [];
    const stateNotes: string[] = [];
    const before = old ? new Set(this.objectFindings(old).map(findingKey)) : undefined;
    for (const f of this.objectFindings(named)) if (!before?.has(findingKey(f))) found.push(f);

    // The cross-object rule of the kind: findings, or why the state could not judge it.
    let cross: Found[] | string = [];
    if (RBAC_KINDS.has(kind)) cross = this.escalation(named, old);
    else if (kind === 'Namespace' && old) cross = weakenedPodSecurity(old, named);
    else if (kind === 'NetworkPolicy') cross = this.reopened(named, old);
    if (typeof cross === 'string') stateNotes.push(cross);
    else for (const f of cross) found.push(f);
    return this.assemble(refOf(named), found, stateNotes);
  }

  private exemption(request: AdmissionRequest, namespace: string | undefined, namespaceName: string | undefined): string | undefined {
    const { exemptions } = this.config;
    const ns = namespace ?? namespaceName;
    if (ns && exemptions.namespaces.includes(ns)) return `namespace ${ns} is exempt`;
    const user = request.userInfo?.username;
    if (user && exemptions.usernames.includes(user)) return `user ${user} is exempt`;
    const group = request.userInfo?.groups?.find((g) => exemptions.groups.includes(g));
    if (group) return `group ${group} is exempt`;
    return undefined;
  }

  /** The object's own checks, with its Namespace, ServiceAccount and role from the state. */
  private objectFindings(object: K8sObject): Found[] {
    const kind = object.kind ?? '';
    const isPod = kind in POD_TEMPLATE_PATHS;
    const checks = isPod ? this.podChecks : this.kindChecks.get(kind);
    if (!checks || checks.length === 0) return [];
    const ref = refOf(object);
    const items: Item[] = [{ object, ref, location: { file: 'admission request' } }];
    const fromState = (k: string, ns: string | undefined, name: string | undefined) => {
      const item = name ? this.state.get(k, ns, name) : undefined;
      if (item) items.push(item);
    };
    if (ref.namespace) fromState('Namespace', undefined, ref.namespace);
    if (isPod) {
      const spec = valueAtPath(object, POD_TEMPLATE_PATHS[kind]!) as { runtimeClassName?: unknown } | null | undefined;
      if (spec?.runtimeClassName && this.config.exemptions.runtimeClasses.includes(String(spec.runtimeClassName))) return [];
    }
    const isBinding = kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
    let role: Item | undefined;
    if (isBinding) {
      const roleRef = (object as { roleRef?: { kind?: string; name?: string } }).roleRef;
      role = this.roleItem(roleRef?.kind ?? '', ref.namespace, roleRef?.name ?? '');
      if (role) items.push(role);
    }
    const load = { ...emptyLoadResult(), items };
    const inventory = buildInventory(load);
    if (load.errors.length > 0) {
      return [{ id: 'invalid-object', message: `the object cannot be judged: ${load.errors.map((e) => e.message).join('; ')}` }];
    }
    const ctx = createContext(inventory, this.k8sVersion, this.now());
    // The binding and its role are all the RBAC checks read: an index of those two, without the
    // bootstrap policy the scan adds (rebuilding and aggregating it would cost a millisecond a request).
    if (role) ctx.shared<RbacScan>('rbac', () => {
      const index = new RbacIndex(inventory.items, { bootstrap: false });
      return { index, graph: () => new EscalationGraph(index, clusterFactsOf(inventory.items, [], index)), scopes: new ResourceScopes(inventory.items) };
    });
    const out: Found[] = [];
    for (const check of checks) {
      for (const result of evaluateCheck(check, ctx)) {
        if (result.status !== 'fail' || !sameRef(result.subject.ref, ref)) continue;
        out.push({ id: check.id, message: result.message, ...(result.remediation ? { remediation: result.remediation } : {}), ...(result.severity ? { severity: result.severity } : {}) });
      }
    }
    return out;
  }

  /** The role a binding names: the state's object, else the role the state's index resolves (a bootstrap ClusterRole). */
  private roleItem(kind: string, namespace: string | undefined, name: string): Item | undefined {
    if (kind !== 'Role' && kind !== 'ClusterRole') return undefined;
    const stored = this.state.get(kind, namespace, name);
    if (stored) return stored;
    const record = this.state.rbac()?.index.role(kind, kind === 'Role' ? namespace : undefined, name);
    if (!record) return undefined;
    const object: K8sObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, labels: record.labels }, rules: record.rules };
    return { object, ref: refOf(object), location: { file: 'bootstrap policy' } };
  }

  /**
   * A binding or role change judged on the RBAC state with the request applied. Only the changed
   * subjects' edges are built anew (a graph on an overlay of the state's index); from every other
   * node the state's shortest paths are reused, so a decision costs what the change reaches
   * before it meets the existing graph, not a rebuild.
   */
  private escalation(object: K8sObject, old: K8sObject | undefined): Found[] | string {
    const unavailable = this.stateProblem();
    if (unavailable) return unavailable;
    const base = this.state.rbac()!;
    const change = object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding'
      ? bindingChange(base.index, object, old)
      : roleChange(base.index, object);
    if (change.subjects.length === 0) return [];
    const graph = new EscalationGraph(overlayIndex(base, change), base.facts);
    const changed = new Set(change.subjects.map(nodeIdOf));
    // Node labels from the new graph, else the state's: the path runs through both.
    const labels = { nodes: { get: (id: string) => graph.nodes.get(id) ?? base.graph.nodes.get(id) } } as unknown as EscalationGraph;
    for (const target of TARGETS) {
      const reachedBefore = base.next[target];
      for (const subject of change.subjects) {
        const id = nodeIdOf(subject);
        // It had a path itself, or through a group the authenticator puts it in.
        if (reachedBefore.has(id) || membershipsOf(subject).some((g) => reachedBefore.has(nodeIdOf({ kind: 'Group', name: g })))) continue;
        const edges = pathThrough(graph, id, targetId(target), (node) => !changed.has(node) && reachedBefore.has(node), reachedBefore);
        if (!edges) continue;
        // The first target found is the strongest (cluster-admin, then Secrets, then nodes).
        return [{ id: ESCALATION_CHECK, message: `gives ${describeTarget(target)} to a subject that had no path to it: ${describePath(labels, { subject, target, edges })}` }];
      }
    }
    return [];
  }

  /** A NetworkPolicy change: the namespace's network checks before and after it. */
  private reopened(object: K8sObject, old: K8sObject | undefined): Found[] | string {
    const unavailable = this.stateProblem();
    if (unavailable) return unavailable;
    const ref = refOf(object);
    const namespace = ref.namespace ?? 'default';
    const view = this.state.namespaceView(namespace, ['Pod', 'NetworkPolicy']).filter((i) => !(i.ref.kind === 'NetworkPolicy' && i.ref.name === ref.name));
    const run = (policy: K8sObject | undefined) => {
      const items = policy ? [...view, { object: policy, ref: refOf(policy), location: { file: 'admission request' } }] : view;
      const ctx = createContext(buildInventory({ ...emptyLoadResult(), items }), this.k8sVersion, this.now());
      const out: Found[] = [];
      for (const check of this.networkChecks) {
        for (const r of evaluateCheck(check, ctx)) {
          if (r.status === 'fail' && (r.subject.ref.namespace === namespace || (r.subject.ref.kind === 'Namespace' && r.subject.ref.name === namespace))) {
            out.push({ id: check.id, message: r.message });
          }
        }
      }
      return out;
    };
    const before = new Set(run(old ?? undefined).map(findingKey));
    return run(object)
      .filter((f) => !before.has(findingKey(f)))
      .map((f) => ({ id: 'network-policy-reopens-namespace', message: `re-opens namespace ${namespace} (${f.id}): ${f.message}` }));
  }

  private stateProblem(): string | undefined {
    const status = this.state.status();
    if (!status.synced || !this.state.rbac()) return 'the cluster state is not synced yet';
    if ((status.ageSeconds ?? Infinity) > this.config.state.maxAgeSeconds || this.state.rbacStale(this.config.state.maxAgeSeconds)) {
      return `the cluster state is older than ${this.config.state.maxAgeSeconds}s`;
    }
    return undefined;
  }

  private assemble(ref: ResourceRef, found: Found[], stateNotes: string[]): Decision {
    const verdicts: Verdict[] = [];
    for (const f of found) {
      const meta = f.id === 'invalid-object' ? { id: f.id, section: 'pod-privileges' as SectionSlug, severity: 'high' as Severity, remediation: 'send a valid object' } : ruleMeta(f.id);
      const severity = f.severity ?? meta.severity;
      const finding: Finding = { check: f.id, section: meta.section, severity, status: 'fail', message: f.message, resource: ref };
      const excepted = findException(this.config.exceptions.active, finding);
      const action = excepted ? 'excepted' : actionFor(this.config, { id: f.id, section: meta.section, severity });
      if (action === 'off') continue;
      verdicts.push({ check: f.id, section: meta.section, severity, action, message: f.message, remediation: firstLine(f.remediation ?? meta.remediation) });
    }
    const denied = verdicts.filter((v) => v.action === 'enforce');
    const warnings = verdicts.filter((v) => v.action === 'warn').map((v) => warning(`[${v.check}] ${v.message}`));
    let allowed = denied.length === 0;
    const auditAnnotations: Record<string, string> = {};
    if (verdicts.length > 0) auditAnnotations.checks = verdicts.map((v) => `${v.check}=${v.action}`).join(',');
    const excepted = verdicts.filter((v) => v.action === 'excepted');
    if (excepted.length > 0) auditAnnotations.excepted = excepted.map((v) => v.check).join(',');
    if (stateNotes.length > 0) {
      const note = `cross-object checks not evaluated: ${stateNotes.join('; ')}`;
      auditAnnotations.state = note;
      if (this.config.state.whenUnavailable === 'deny') {
        allowed = false;
        denied.push({ check: 'cluster-state', section: 'api-authz', severity: 'high', action: 'enforce', message: note, remediation: 'retry when kubeward has synced the cluster state' });
      } else warnings.push(warning(`kubeward: ${note}`));
    }
    const decision: Decision = { allowed, warnings, auditAnnotations, verdicts };
    if (!allowed) {
      decision.message = `kubeward denied ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}: ${denied.map((v) => `[${v.check}] ${v.message} Fix: ${v.remediation}`).join(' | ')}`;
    }
    return decision;
  }
}

function skipped(reason: string): Decision {
  return { allowed: true, warnings: [], auditAnnotations: {}, verdicts: [], skipped: reason };
}

/** The request's name and namespace on the object (a CREATE with generateName has no name yet). */
function withIdentity(object: K8sObject, request: AdmissionRequest, namespace: string | undefined): K8sObject {
  const metadata = object.metadata ?? {};
  const name = metadata.name ?? request.name ?? metadata.generateName ?? '(unnamed)';
  const ns = isNamespacedKind(object.kind ?? '') ? (metadata.namespace ?? namespace) : undefined;
  if (metadata.name === name && metadata.namespace === ns) return object;
  return { ...object, metadata: { ...metadata, name, ...(ns ? { namespace: ns } : {}) } };
}

const findingKey = (f: Found) => `${f.id}\u0000${f.message}`;

function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** The first paragraph of a remediation (its snippet follows), cut at a sentence when long. */
function firstLine(text: string): string {
  const paragraph = (text.split(/\n\s*\n/)[0] ?? text).replace(/\s+/g, ' ').trim().replace(/:$/, '');
  const sentence = paragraph.indexOf('. ');
  return paragraph.length > 200 && sentence > 0 ? paragraph.slice(0, sentence + 1) : paragraph;
}

/** A warning kubectl shows whole: at most MAX_WARNING characters. */
export function warning(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= MAX_WARNING ? flat : `${flat.slice(0, MAX_WARNING - 3)}...`;
}

function describeTarget(target: Target): string {
  return target === 'cluster-admin' ? 'cluster-admin' : target === 'secrets' ? 'every Secret of the cluster' : 'every node (kubelet API)';
}

/** Lowering or removing a pod-security.kubernetes.io level on a Namespace update. */
function weakenedPodSecurity(old: K8sObject, object: K8sObject): Found[] {
  const before = policyToEvaluate(old.metadata?.labels).policy;
  const after = policyToEvaluate(object.metadata?.labels).policy;
  const out: Found[] = [];
  for (const mode of MODES) {
    const from = LEVELS.indexOf(before[mode].level);
    const to = LEVELS.indexOf(after[mode].level);
    if (to < from) {
      out.push({ id: 'pod-security-labels-weakened', message: `lowers pod-security.kubernetes.io/${mode} from ${before[mode].level} to ${after[mode].level}${object.metadata?.labels?.[`pod-security.kubernetes.io/${mode}`] === undefined ? ' (label removed)' : ''}.` });
    }
  }
  return out;
}

// ---- RBAC with the request applied ----------------------------------------------------------

interface RbacChange {
  /** Bindings whose grants the change replaces (kind, namespace, name). */
  replaced: Set<string>;
  grants: Grant[];
  roles: Map<string, RoleRecord>;
  /** Subjects whose grants change: the ones that may gain a path. */
  subjects: SubjectId[];
}

function bindingRecordOf(object: K8sObject): BindingRecord {
  const kind = object.kind === 'ClusterRoleBinding' ? 'ClusterRoleBinding' : 'RoleBinding';
  return {
    kind,
    name: object.metadata?.name ?? '',
    ...(kind === 'RoleBinding' ? { namespace: object.metadata?.namespace ?? 'default' } : {}),
    ...bindingFieldsOf(object),
    builtin: false,
    order: Number.MAX_SAFE_INTEGER,
  };
}

function bindingChange(index: RbacIndex, object: K8sObject, old: K8sObject | undefined): RbacChange {
  const binding = bindingRecordOf(object);
  binding.role = index.referencedRole(binding);
  const grants = binding.role ? grantsOf(binding, binding.role) : [];
  const replaced = new Set([objectKey(binding.kind, binding.namespace, binding.name)]);
  if (old) replaced.add(objectKey(old.kind ?? '', old.metadata?.namespace, old.metadata?.name ?? ''));
  return { replaced, grants, roles: new Map(), subjects: uniqueSubjects(grants) };
}

function selectorsOf(role: RoleRecord): LabelSelector[] | undefined {
  if (role.item) return aggregationSelectors(role.item.object);
  return BUILTIN_CLUSTER_ROLES.find((b) => b.name === role.name)?.aggregateFrom?.map((matchLabels) => ({ matchLabels }));
}

/** A Role or ClusterRole change: it and the aggregated ClusterRoles it feeds get new rules. */
function roleChange(index: RbacIndex, object: K8sObject): RbacChange {
  const kind = object.kind === 'ClusterRole' ? 'ClusterRole' : 'Role';
  const name = object.metadata?.name ?? '';
  const namespace = kind === 'Role' ? (object.metadata?.namespace ?? 'default') : undefined;
  const changed: RoleRecord = {
    kind, name, ...(namespace ? { namespace } : {}), rules: rulesOf(object),
    labels: object.metadata?.labels ?? {}, aggregated: false, builtin: false,
    item: { object, ref: refOf(object), location: { file: 'admission request' } },
  };
  const newRoles = new Map<string, RoleRecord>([[roleKey(kind, namespace, name), changed]]);
  if (kind === 'ClusterRole') {
    const candidates: AggregationCandidate[] = index.roles.filter((r) => r.kind === 'ClusterRole' && r.name !== name).map((r) => {
      const selectors = selectorsOf(r);
      return { name: r.name, labels: r.labels, rules: r.rules, ...(selectors ? { selectors } : {}) };
    });
    const own = selectorsOf(changed);
    candidates.push({ name, labels: changed.labels, rules: changed.rules, ...(own ? { selectors: own } : {}) });
    for (const [aggName, rules] of aggregateClusterRoles(candidates)) {
      const current = index.role('ClusterRole', undefined, aggName);
      if (aggName === name) {
        changed.rules = rules;
        changed.aggregated = true;
        continue;
      }
      if (!current || sameRules(current.rules, rules)) continue;
      newRoles.set(roleKey('ClusterRole', undefined, aggName), { ...current, rules });
    }
  }
  const replaced = new Set<string>();
  const grants: Grant[] = [];
  for (const role of newRoles.values()) {
    for (const binding of index.bindingsOf(role)) {
      replaced.add(objectKey(binding.kind, binding.namespace, binding.name));
      grantsOf(binding, role, grants);
    }
  }
  return { replaced, grants, roles: newRoles, subjects: uniqueSubjects(grants) };
}

function sameRules(a: RoleRecord['rules'], b: RoleRecord['rules']): boolean {
  const keys = new Set(a.map(ruleKey));
  return a.length === b.length && b.every((r) => keys.has(ruleKey(r)));
}

function uniqueSubjects(grants: Grant[]): SubjectId[] {
  return [...new Map(grants.map((g) => [subjectKey(g.subject), g.subject])).values()];
}

/**
 * The state's RBAC index as the new graph sees it: the changed subjects hold their grants with
 * the change applied; every other subject that reaches a target in the state holds an empty
 * grant (so the graph links it, without expanding it: its paths are the state's), and the rest
 * hold nothing.
 */
function overlayIndex(base: RbacBaseline, change: RbacChange): RbacIndex {
  const added = new Map<string, Grant[]>();
  for (const g of change.grants) {
    const key = subjectKey(g.subject);
    const list = added.get(key);
    if (list) list.push(g);
    else added.set(key, [g]);
  }
  const changed = new Set(change.subjects.map(subjectKey));
  // Both halves of a combined edge are rules of those groups: without one among the new grants,
  // no other grant can pair with them.
  const pairs = change.grants.some(combines);
  // What EscalationGraph reads of its index, and nothing else: a method it starts to call fails
  // loudly instead of answering from the state without the change.
  const overlay: Pick<RbacIndex, 'directGrants' | 'subjects' | 'role'> = {
    directGrants: (subject) => {
      if (changed.has(subjectKey(subject))) {
        // Of its other grants only those that combine with the new ones (bind with create
        // rolebindings, escalate with write, CSR create with approve): the edges of the rest led
        // nowhere before (it had no path) and lead nowhere now.
        const kept = !pairs ? [] : base.index.directGrants(subject)
          .filter((g) => combines(g) && !change.replaced.has(objectKey(g.binding.kind, g.binding.namespace, g.binding.name)))
          .map((g) => ({ ...g, role: { ...g.role, rules: g.role.rules.filter(combiningRule) } }));
        return [...kept, ...(added.get(subjectKey(subject)) ?? [])];
      }
      const id = nodeIdOf(subject);
      return TARGETS.some((t) => base.next[t].has(id)) ? [emptyGrant(subject)] : [];
    },
    subjects: () => change.subjects,
    role: (kind, namespace, name) => change.roles.get(roleKey(kind, namespace, name)) ?? base.index.role(kind, namespace, name),
  };
  // EscalationGraph takes an RbacIndex but reads only these three.
  return overlay as RbacIndex;
}

const COMBINING_GROUPS = new Set(['*', 'rbac.authorization.k8s.io', 'certificates.k8s.io']);

/** A rule that can pair with another grant's into an edge (escalation.ts combinedEdges). */
function combiningRule(rule: PolicyRule): boolean {
  return rule.apiGroups.some((g) => COMBINING_GROUPS.has(g));
}

function combines(grant: Grant): boolean {
  return grant.role.rules.some(combiningRule);
}

const NO_RULES: RoleRecord = { kind: 'ClusterRole', name: '(state)', rules: [], labels: {}, aggregated: false, builtin: true };
const NO_BINDING: BindingRecord = { kind: 'ClusterRoleBinding', name: '(state)', roleRef: { kind: 'ClusterRole', name: '(state)' }, subjects: [], builtin: true, order: 0 };

function emptyGrant(subject: SubjectId): Grant {
  return { binding: NO_BINDING, role: NO_RULES, subject };
}

/**
 * The shortest path from a node to the target: breadth-first over the new graph's edges until
 * the target, or a node the state already knows reaches it (then the state's path follows).
 */
function pathThrough(graph: EscalationGraph, from: string, target: string, known: (id: string) => boolean, next: Map<string, Edge | null>): Edge[] | undefined {
  const via = new Map<string, Edge | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (id === target || (id !== from && known(id))) {
      const path: Edge[] = [];
      for (let e = via.get(id); e; e = via.get(e.from)) path.unshift(e);
      return id === target ? path : [...path, ...(EscalationGraph.pathFrom(id, next) ?? [])];
    }
    for (const e of graph.outgoing(id)) {
      if (via.has(e.to)) continue;
      via.set(e.to, e);
      queue.push(e.to);
    }
  }
  return undefined;
}
