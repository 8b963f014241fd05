// Whether a ServiceAccount's token is worth anything to a pod, decided by the RBAC engine: the
// grants the account gets (by its user name and its groups), less those every authenticated
// identity gets anyway and the bootstrap discovery roles. An account left with none needs no
// token: it only identifies the pod to the API server, which lets it do nothing more than any
// other caller with credentials. Both automount fixes (a pod, a namespace's default account)
// decide with this. The grants a namespace's default account holds move to an account of their
// own here too, proven by the same engine to leave every moved pod exactly the grants it had.

import type { CheckContext, FailResult } from '../checks/types.js';
import { AUTHENTICATED_GROUP, DISCOVERY_ROLES } from '../engines/rbac/bootstrap.js';
import { RbacIndex, bindingFieldsOf, userInfoFor } from '../engines/rbac/index.js';
import { rbacScan } from '../engines/rbac/scan.js';
import type { BindingSubject, Grant, PolicyRule, RequestAttributes, UserInfo } from '../engines/rbac/types.js';
import type { PodSpecRef } from '../inventory/inventory.js';
import type { Item } from '../inventory/types.js';
import { PodChange, namespacedObject, plannedSpec } from './helpers.js';
import { podsByNamespace } from './namespace-fixes.js';
import type { FixContext } from './types.js';

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

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** A binding subject that names the default ServiceAccount of `namespace`. */
function namesDefaultOf(subject: unknown, bindingNamespace: string | undefined, namespace: string): boolean {
  const s = subject as Partial<BindingSubject> | null;
  return s?.kind === 'ServiceAccount' && s.name === 'default' && (s.namespace || bindingNamespace) === namespace;
}

/** What an account is granted, role and scope, whatever binding grants it. */
function grantKeys(index: RbacIndex, namespace: string, name: string): Set<string> {
  return new Set(index.grantsFor(userInfoFor({ kind: 'ServiceAccount', namespace, name })).map((g) => `${g.role.kind}/${g.role.namespace ?? ''}/${g.role.name}@${g.scope ?? '*'}`));
}

/** A ServiceAccount name from a binding's (DNS-1123: lowercase letters, digits, "-" and "."), not taken in the namespace. */
function freeAccountName(ctx: FixContext, namespace: string, from: string): string {
  const base = from.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 240) || 'workloads';
  const taken = (name: string) => name === 'default' || ctx.check.inventory.get('ServiceAccount', namespace, name) !== undefined || ctx.added('ServiceAccount', namespace, name) !== undefined;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

/** The pods of the input that run in `namespace` as its default ServiceAccount. */
function podsRunningAsDefault(ctx: FixContext, namespace: string): PodSpecRef[] {
  return (podsByNamespace(ctx).get(namespace) ?? []).filter((pod) => {
    const spec = plannedSpec(ctx, pod);
    return (spec.serviceAccountName || spec.serviceAccount || 'default') === 'default';
  });
}

/**
 * The fix of default-serviceaccount-with-bindings. Per namespace, the bindings (other than the
 * bootstrap policy's) naming its default ServiceAccount name a new account instead (named from
 * the binding, or "workloads" when several bindings move), and every pod template of the input
 * there that runs as default runs as it. Planned only when the RBAC engine, asked of the bindings
 * as planned, gives the new account exactly the roles and scopes default had: a grant the fix
 * does not move (a User subject naming the account, a bootstrap binding) leaves it to a person.
 * A group of accounts (system:serviceaccounts[:ns]) is left to a person: which accounts need it
 * is not in the input.
 */
export function moveDefaultAccountGrants(ctx: FixContext, failures: readonly FailResult[]): void {
  const byNamespace = new Map<string, { bindings: Item[]; failures: FailResult[] }>();
  for (const failure of failures) {
    const { kind, namespace, name } = failure.subject.ref;
    const binding = ctx.check.inventory.get(kind, namespace, name);
    if (!binding) continue;
    const index = /^subjects\[(\d+)\]$/.exec(failure.field ?? '')?.[1];
    const subject = index === undefined ? undefined : (binding.object as { subjects?: Partial<BindingSubject>[] }).subjects?.[Number(index)];
    if (subject?.kind !== 'ServiceAccount') {
      const { roleRef } = bindingFieldsOf(binding.object);
      ctx.manual(failure, `a group of ServiceAccounts (${subject?.name ?? 'unnamed'}) is granted ${roleRef.kind} ${roleRef.name} by ${kind} ${name}: which accounts need it is not in the input; bind it to those accounts instead`);
      continue;
    }
    const target = subject.namespace || namespace;
    if (!target) continue;
    let entry = byNamespace.get(target);
    if (!entry) byNamespace.set(target, (entry = { bindings: [], failures: [] }));
    if (!entry.bindings.includes(binding)) entry.bindings.push(binding);
    entry.failures.push(failure);
  }
  for (const [namespace, { bindings, failures: nsFailures }] of byNamespace) {
    const account = freeAccountName(ctx, namespace, bindings.length === 1 ? bindings[0]!.ref.name : 'workloads');
    const moved = new Map(bindings.map((b) => {
      const subjects = (ctx.planned(b) as { subjects?: unknown[] }).subjects ?? [];
      return [b, subjects.map((s) => (namesDefaultOf(s, b.ref.namespace, namespace) ? { kind: 'ServiceAccount', name: account, namespace } : s))] as const;
    }));
    // The engine over the RBAC objects as planned, with these subjects moved.
    const planned = new RbacIndex(ctx.check.inventory.items.filter((i) => RBAC_KINDS.has(i.ref.kind)).map((i) => {
      const subjects = moved.get(i);
      const object = ctx.planned(i);
      return subjects ? { ...i, object: { ...object, subjects } } : object === i.object ? i : { ...i, object };
    }));
    const before = grantKeys(rbacScan(ctx.check).index, namespace, 'default');
    const after = grantKeys(planned, namespace, account);
    const lost = [...before].filter((k) => !after.has(k));
    const gained = [...after].filter((k) => !before.has(k));
    if (lost.length > 0 || gained.length > 0) {
      for (const failure of nsFailures) ctx.manual(failure, `moving the bindings would not give ServiceAccount ${namespace}/${account} exactly what ${namespace}/default has (${[...lost.map((k) => `not ${k}`), ...gained.map((k) => `also ${k}`)].slice(0, 3).join(', ')}): another grant names the default account; a person moves it`);
      continue;
    }
    const pods = podsRunningAsDefault(ctx, namespace);
    const grants = grantsBeyondAuthenticated(ctx.check, namespace, 'default');
    const risk = `pods of namespace ${namespace} outside the input that run as its default ServiceAccount lose ${grants.length > 0 ? describeGrants(grants) : 'its grants'}; ${pods.length === 0 ? 'no pod template of the input runs as it' : `${pods.length} pod template${pods.length === 1 ? '' : 's'} of the input (${pods.slice(0, 3).map((p) => `${p.item.ref.kind} ${p.item.ref.name}`).join(', ')}${pods.length > 3 ? ', ...' : ''}) now run${pods.length === 1 ? 's' : ''} as ${namespace}/${account} and roll${pods.length === 1 ? 's' : ''} out`}; apply kubeward-fixes.yaml (the new account) first: a Pod naming a missing account is refused`;
    const apply = () => {
      ctx.add(namespacedObject('v1', 'ServiceAccount', namespace, account, {}));
      for (const [binding, subjects] of moved) ctx.edit(binding).set(['subjects'], subjects);
      for (const pod of pods) {
        const change = new PodChange(ctx, pod);
        change.remove(['serviceAccount']);
        change.set(['serviceAccountName'], account);
        change.commit();
      }
    };
    for (const failure of nsFailures) ctx.withSafety('unsafe', risk, apply, failure);
  }
}
