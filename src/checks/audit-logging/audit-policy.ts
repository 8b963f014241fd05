// Audit policies as kube-apiserver evaluates them (k8s.io/apiserver/pkg/audit/policy/checker.go):
// the first rule that matches a request decides its level, and a request no rule matches is not
// audited. Built on that: which level a sensitive resource can be logged at, whether some
// request escapes every rule, and which rules can never be reached.

import type { ComponentSettings, Setting } from '../../engines/config/index.js';
import type { Item, K8sObject } from '../../inventory/types.js';
import { forEachApiServerConfigFile } from '../component-support.js';
import { subjectAtField } from '../define.js';
import type { CheckContext, CheckResult, Subject } from '../types.js';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof LEVELS)[number];

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level?: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
}

export interface AuditPolicy extends K8sObject {
  rules?: PolicyRule[];
}

/** The attributes of one API request, as the policy checker sees them. */
export interface RequestAttributes {
  user: string;
  groups: string[];
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** "" for cluster-scoped requests and lists across all namespaces. */
  namespace: string;
  name: string;
  path: string;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes(value);
const nonEmpty = (list: string[] | undefined): list is string[] => (list ?? []).length > 0;

function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesResource(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!a.resourceRequest) return false;
  if (nonEmpty(rule.namespaces) && !has(rule.namespaces, a.namespace)) return false;
  if (!nonEmpty(rule.resources as string[] | undefined)) return true;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  for (const gr of rule.resources ?? []) {
    if ((gr.group ?? '') !== a.apiGroup) continue;
    if (!nonEmpty(gr.resources)) return true;
    for (const res of gr.resources) {
      if (nonEmpty(gr.resourceNames) && !has(gr.resourceNames, a.name)) continue;
      if (res === combined || res === '*') return true;
      if (a.subresource && res.startsWith('*/') && a.subresource === res.slice(2)) return true;
      if (res.endsWith('/*') && a.resource === res.slice(0, -2)) return true;
    }
  }
  return false;
}

/** checker.go ruleMatches, condition by condition. */
export function ruleMatches(rule: PolicyRule, a: RequestAttributes): boolean {
  if (nonEmpty(rule.users) && !has(rule.users, a.user)) return false;
  if (nonEmpty(rule.userGroups) && !a.groups.some((g) => has(rule.userGroups, g))) return false;
  if (nonEmpty(rule.verbs) && !has(rule.verbs, a.verb)) return false;
  if (nonEmpty(rule.namespaces) || (rule.resources ?? []).length > 0) return ruleMatchesResource(rule, a);
  if (nonEmpty(rule.nonResourceURLs)) return !a.resourceRequest && rule.nonResourceURLs.some((spec) => pathMatches(a.path, spec));
  return true;
}

/** The level a request is audited at and the rule that decides it (none: not audited). */
export function levelFor(rules: PolicyRule[], a: RequestAttributes): { level: AuditLevel; rule?: number } {
  const index = rules.findIndex((r) => ruleMatches(r, a));
  return index < 0 ? { level: 'None' } : { level: rules[index]!.level ?? 'None', rule: index };
}

export function levelRank(level: AuditLevel | undefined): number {
  return LEVELS.indexOf(level ?? 'None');
}

/** A resource whose request or response bodies carry credentials. */
export interface SensitiveResource {
  label: string;
  apiGroup: string;
  resource: string;
  subresource: string;
}

export const SENSITIVE_RESOURCES: SensitiveResource[] = [
  { label: 'secrets', apiGroup: '', resource: 'secrets', subresource: '' },
  { label: 'configmaps', apiGroup: '', resource: 'configmaps', subresource: '' },
  { label: 'tokenreviews', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '' },
  { label: 'serviceaccounts/token', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' },
];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
/** Values no policy names: a request using them escapes every rule constrained on that field. */
const ANY_USER = 'kubeward:any-user';
const ANY_NAMESPACE = 'kubeward-any-namespace';
const ANY_NAME = 'kubeward-any-name';

/**
 * A request to `target` that rule `index` matches and no earlier rule does, if there is one. The
 * candidates take rule `index`'s own values where it constrains a field and values no rule names
 * where it does not: an unnamed value matches only the rules that leave the field open, so if
 * these candidates all hit an earlier rule, every request does.
 */
export function reachesRule(rules: PolicyRule[], index: number, target: SensitiveResource): RequestAttributes | undefined {
  const rule = rules[index]!;
  // Cheap rejections first: a non-resource rule, or one whose resources name other groups only.
  if (nonEmpty(rule.nonResourceURLs) && !nonEmpty(rule.namespaces) && (rule.resources ?? []).length === 0) return undefined;
  if ((rule.resources ?? []).length > 0 && !rule.resources!.some((gr) => (gr.group ?? '') === target.apiGroup)) return undefined;
  const users = nonEmpty(rule.users) ? rule.users : [ANY_USER];
  const groups = nonEmpty(rule.userGroups) ? rule.userGroups.map((g) => [g]) : [[]];
  const verbs = nonEmpty(rule.verbs) ? rule.verbs : VERBS;
  const namespaces = nonEmpty(rule.namespaces) ? rule.namespaces : [ANY_NAMESPACE, ''];
  const names = new Set<string>([ANY_NAME, '']);
  for (const gr of rule.resources ?? []) for (const n of gr.resourceNames ?? []) names.add(n);
  for (const user of users) {
    for (const g of groups) {
      for (const verb of verbs) {
        for (const namespace of namespaces) {
          for (const name of names) {
            const a: RequestAttributes = { user, groups: g, verb, resourceRequest: true, apiGroup: target.apiGroup, resource: target.resource, subresource: target.subresource, namespace, name, path: '' };
            if (!ruleMatches(rule, a)) continue;
            if (!rules.slice(0, index).some((earlier) => ruleMatches(earlier, a))) return a;
          }
        }
      }
    }
  }
  return undefined;
}

/** The highest level any request to `target` can be logged at, and the first rule that logs it so. */
export function highestLevelFor(rules: PolicyRule[], target: SensitiveResource): { level: AuditLevel; rule?: number } {
  let best: { level: AuditLevel; rule?: number } = { level: 'None' };
  rules.forEach((rule, index) => {
    if (levelRank(rule.level) <= levelRank(best.level)) return;
    if (reachesRule(rules, index, target)) best = { level: rule.level ?? 'None', rule: index };
  });
  return best;
}

function patternCovers(broad: string, narrow: string): boolean {
  if (broad === '*' || broad === narrow) return true;
  if (broad.startsWith('*/')) return narrow.endsWith(broad.slice(1)) && narrow !== broad.slice(1);
  if (broad.endsWith('/*')) {
    const resource = broad.slice(0, -2);
    return narrow === resource || narrow.startsWith(`${resource}/`);
  }
  return false;
}

function subset(narrow: string[] | undefined, broad: string[] | undefined): boolean {
  if (!nonEmpty(broad)) return true;
  return nonEmpty(narrow) && narrow.every((v) => broad.includes(v));
}

function groupResourcesCover(broad: GroupResources, narrow: GroupResources): boolean {
  if ((broad.group ?? '') !== (narrow.group ?? '')) return false;
  if (!nonEmpty(broad.resources)) return true;
  if (!nonEmpty(narrow.resources)) return false;
  if (!subset(narrow.resourceNames, broad.resourceNames)) return false;
  return narrow.resources.every((n) => broad.resources!.some((b) => patternCovers(b, n)));
}

function urlCovers(broad: string, narrow: string): boolean {
  if (broad === '*' || broad === narrow) return true;
  return broad.endsWith('*') && narrow.startsWith(broad.replace(/\*+$/, ''));
}

/** Whether every request `later` matches is matched by `earlier` (so `later` is never reached). */
export function ruleCovers(earlier: PolicyRule, later: PolicyRule): boolean {
  if (!subset(later.users, earlier.users) || !subset(later.userGroups, earlier.userGroups) || !subset(later.verbs, earlier.verbs)) return false;
  const resourceRule = (r: PolicyRule) => nonEmpty(r.namespaces) || (r.resources ?? []).length > 0;
  if (resourceRule(earlier)) {
    if (!resourceRule(later)) return false;
    if (!subset(later.namespaces, earlier.namespaces)) return false;
    if ((earlier.resources ?? []).length === 0) return true;
    if ((later.resources ?? []).length === 0) return false;
    return later.resources!.every((n) => earlier.resources!.some((b) => groupResourcesCover(b, n)));
  }
  if (nonEmpty(earlier.nonResourceURLs)) {
    if (resourceRule(later) || !nonEmpty(later.nonResourceURLs)) return false;
    return later.nonResourceURLs.every((n) => earlier.nonResourceURLs!.some((b) => urlCovers(b, n)));
  }
  return true;
}

/**
 * Earlier rules that may cover a later one, indexed by one constrained field: a rule that lists
 * users can only cover a rule whose users are all among them, so it must list the later rule's
 * first user. Keeps the search near-linear for policies with thousands of per-user rules.
 */
class ConstraintIndex {
  private readonly open: number[] = [];
  private readonly byValue = new Map<string, number[]>();

  add(index: number, values: string[] | undefined): void {
    if (!nonEmpty(values)) {
      this.open.push(index);
      return;
    }
    for (const v of new Set(values)) {
      const list = this.byValue.get(v);
      if (list) list.push(index);
      else this.byValue.set(v, [index]);
    }
  }

  /** The earlier rules that may cover a rule with these values, as lists (not copied). */
  candidates(values: string[] | undefined): number[][] {
    return nonEmpty(values) ? [this.open, this.byValue.get(values[0]!) ?? []] : [this.open];
  }
}

const total = (lists: number[][]) => lists.reduce((n, l) => n + l.length, 0);

/** Every rule an earlier rule covers, with the first such earlier rule. */
export function shadowedRules(rules: PolicyRule[]): { rule: number; by: number }[] {
  const fields = ['users', 'userGroups', 'namespaces', 'verbs'] as const;
  const indexes = fields.map(() => new ConstraintIndex());
  const shadowed: { rule: number; by: number }[] = [];
  rules.forEach((rule, index) => {
    const lists = fields.map((field, f) => indexes[f]!.candidates(rule[field]));
    const smallest = lists.reduce((a, b) => (total(b) < total(a) ? b : a));
    let by = -1;
    for (const list of smallest) for (const j of list) if ((by < 0 || j < by) && ruleCovers(rules[j]!, rule)) by = j;
    if (by >= 0) shadowed.push({ rule: index, by });
    fields.forEach((field, f) => indexes[f]!.add(index, rule[field]));
  });
  return shadowed;
}

/** "rule 2 (RequestResponse)": how messages name a rule. */
export function describeRule(rules: PolicyRule[], index: number): string {
  return `rule ${index + 1} (level ${rules[index]!.level ?? 'None'})`;
}

/** The policy item as a finding subject, at the line of rules[index] when known. */
export function ruleSubject(item: Item, index?: number): Subject {
  return subjectAtField(item, index === undefined ? undefined : `rules[${index}]`);
}

export interface AuditSetup {
  settings: ComponentSettings;
  policyFile: Setting;
  policy: Item<AuditPolicy>;
}

/**
 * The audit policy of every kube-apiserver that names one. A server without --audit-policy-file
 * is audit-logging-disabled's finding, not these checks'; one whose policy file is not in the
 * input cannot be judged.
 */
export function* forEachAuditPolicy(ctx: CheckContext, judge: (setup: AuditSetup) => Iterable<CheckResult>): Iterable<CheckResult> {
  yield* forEachApiServerConfigFile(ctx, 'audit-policy-file', 'Policy', 'audit.k8s.io', ({ settings, flag, file }) =>
    judge({ settings, policyFile: flag, policy: file as Item<AuditPolicy> }));
}

/** A kubeadm API server with an audit policy and a rotated log, plus the policy, for examples. */
export function auditExample(flags: string[], policyRules: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.2
    command:
${['kube-apiserver', '--audit-policy-file=/etc/kubernetes/audit-policy.yaml', ...flags].map((f) => `    - ${f}`).join('\n')}
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
${policyRules}`;
}

export const ROTATED_LOG_FLAGS = ['--audit-log-path=/var/log/kubernetes/audit/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'];

/** A policy that logs credentials as metadata only and everything else by a final catch-all. */
export const GOOD_POLICY_RULES = `- level: None
  nonResourceURLs: ["/healthz*", "/livez*", "/readyz*"]
- level: Metadata
  resources:
  - group: ""
    resources: ["secrets", "configmaps", "serviceaccounts/token"]
  - group: authentication.k8s.io
    resources: ["tokenreviews"]
- level: Request
  verbs: ["create", "update", "patch", "delete"]
- level: Metadata`;
