import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { isWildcardRule } from '../../engines/rbac/escalation.js';
import { describeSubject, resolveSubject } from '../../engines/rbac/index.js';
import { ruleAllows } from '../../engines/rbac/match.js';
import { bindingSubject, rbacScan } from '../../engines/rbac/scan.js';
import type { PolicyRule, RoleRecord } from '../../engines/rbac/types.js';
import type { CisOutcome } from '../types.js';
import { defineCheck, fail, pass } from '../define.js';

/** One permission CIS 5.1.8-5.1.13 asks to minimise, as the request the API server authorizes. */
interface Permission {
  control: Cis112ControlId;
  what: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** undefined: any verb (nodes/proxy maps every HTTP method to a verb). */
  verbs?: string[];
  /** The request carries a namespace, so a RoleBinding grants it there; otherwise only a ClusterRoleBinding. */
  namespaced: boolean;
  /** Judged by kubeward only: the CIS audit text does not name it, so CIS's verdict stays pass. */
  beyondCis?: string;
}

const RBAC = 'rbac.authorization.k8s.io';
const ADMISSION = 'admissionregistration.k8s.io';
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

// Each request is the one Kubernetes authorizes: bind with the binding's namespace
// (BindingAuthorized), escalate with the role's (RoleEscalationAuthorized), impersonation with the
// header's kind (users, groups, uids and userextras are cluster-wide; serviceaccounts namespaced).
const PERMISSIONS: Permission[] = [
  { control: '5.1.8', what: 'bind roles', apiGroup: RBAC, resource: 'roles', verbs: ['bind'], namespaced: true },
  { control: '5.1.8', what: 'bind clusterroles', apiGroup: RBAC, resource: 'clusterroles', verbs: ['bind'], namespaced: true },
  { control: '5.1.8', what: 'escalate roles', apiGroup: RBAC, resource: 'roles', verbs: ['escalate'], namespaced: true },
  { control: '5.1.8', what: 'escalate clusterroles', apiGroup: RBAC, resource: 'clusterroles', verbs: ['escalate'], namespaced: false },
  { control: '5.1.8', what: 'impersonate users', apiGroup: '', resource: 'users', verbs: ['impersonate'], namespaced: false },
  { control: '5.1.8', what: 'impersonate groups', apiGroup: '', resource: 'groups', verbs: ['impersonate'], namespaced: false },
  { control: '5.1.8', what: 'impersonate serviceaccounts', apiGroup: '', resource: 'serviceaccounts', verbs: ['impersonate'], namespaced: true },
  { control: '5.1.8', what: 'impersonate uids', apiGroup: 'authentication.k8s.io', resource: 'uids', verbs: ['impersonate'], namespaced: false },
  { control: '5.1.8', what: 'impersonate userextras', apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: '*', verbs: ['impersonate'], namespaced: false },
  { control: '5.1.9', what: 'create persistentvolumes', apiGroup: '', resource: 'persistentvolumes', verbs: ['create'], namespaced: false },
  { control: '5.1.10', what: 'use nodes/proxy', apiGroup: '', resource: 'nodes', subresource: 'proxy', namespaced: false },
  { control: '5.1.11', what: 'update certificatesigningrequests/approval', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval', verbs: ['update', 'patch'], namespaced: false },
  { control: '5.1.11', what: 'approve signers', apiGroup: 'certificates.k8s.io', resource: 'signers', verbs: ['approve'], namespaced: false, beyondCis: 'approving a CSR also takes "approve" on its signer; CIS\'s audit names the approval sub-resource only' },
  { control: '5.1.12', what: 'write validatingwebhookconfigurations', apiGroup: ADMISSION, resource: 'validatingwebhookconfigurations', verbs: WRITE, namespaced: false },
  { control: '5.1.12', what: 'write mutatingwebhookconfigurations', apiGroup: ADMISSION, resource: 'mutatingwebhookconfigurations', verbs: WRITE, namespaced: false },
  ...['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'].map((resource): Permission => ({
    control: '5.1.12', what: `write ${resource}`, apiGroup: ADMISSION, resource, verbs: WRITE, namespaced: false,
    beyondCis: 'admission policies (CEL) deny or rewrite every object as webhooks do; CIS\'s audit names the webhook configurations only',
  })),
  { control: '5.1.13', what: 'create serviceaccounts/token', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', verbs: ['create'], namespaced: true },
];

const CONTROLS = [...new Set(PERMISSIONS.map((p) => p.control))];

/**
 * Does the rule allow the request for some name? A rule limited by resourceNames still grants the
 * permission for those names. A userextras request names the extra key as its subresource: every
 * key the rule lists is probed, and "scopes" for a rule on every resource ("*").
 */
function ruleGrants(rule: PolicyRule, p: Permission): boolean {
  const subresources = p.subresource === '*'
    ? ['scopes', ...rule.resources.flatMap((r) => (r.startsWith(`${p.resource}/`) || r.startsWith('*/') ? [r.slice(r.indexOf('/') + 1)] : []))]
    : [p.subresource ?? ''];
  // "Any verb": probing the rule's own verbs asks whether it grants one of them.
  const verbs = p.verbs ?? rule.verbs;
  return verbs.some((verb) => subresources.some((subresource) => ['', ...rule.resourceNames].some((name) =>
    ruleAllows({ verb, apiGroup: p.apiGroup, resource: p.resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}) }, rule))));
}

/**
 * The permissions a role's rules grant cluster-wide (a RoleBinding gives the namespaced ones), in
 * PERMISSIONS order. The namespaces' Roles repeat the same few rules: `byRule` keeps what each
 * rule grants, by its content, so a rule is probed once per scan.
 */
function permissionsOf(role: RoleRecord, byRule: Map<string, Set<Permission>>): Permission[] {
  const granted = role.rules.map((rule) => {
    const key = JSON.stringify(rule);
    let permissions = byRule.get(key);
    if (!permissions) byRule.set(key, (permissions = new Set(PERMISSIONS.filter((p) => ruleGrants(rule, p)))));
    return permissions;
  });
  return PERMISSIONS.filter((p) => granted.some((permissions) => permissions.has(p)));
}

/** Every control of the check with CIS's outcome for these held permissions. */
function cisOutcomes(held: readonly Permission[], excluded: boolean): Partial<Record<Cis112ControlId, CisOutcome>> {
  return Object.fromEntries(CONTROLS.map((c) => [c, !excluded && held.some((p) => p.control === c && !p.beyondCis) ? 'fail' : 'pass']));
}

function describe(held: readonly Permission[]): string {
  return CONTROLS.flatMap((c) => {
    const here = held.filter((p) => p.control === c);
    return here.length > 0 ? [`${here.map((p) => p.what).join(', ')} (CIS ${c})`] : [];
  }).join('; ');
}

const BOOTSTRAP_NOTE = 'CIS counts this binding; kubeward leaves out the bootstrap policy\'s and kubeadm\'s own bindings, which the cluster needs to run';

export default defineCheck({
  id: 'subject-holds-sensitive-rbac-permission',
  section: 'api-authz',
  severity: 'high',
  title: 'Subject holds bind, escalate, impersonate, PV creation, nodes/proxy, CSR approval, webhook or token-creation rights',
  docs: {
    what: 'For every RoleBinding and ClusterRoleBinding, asks the RBAC authorizer\'s own rule match whether the role it grants allows, in the binding\'s scope, one of the permissions the CIS Benchmark (5.1.8 to 5.1.13) asks to keep to a minimum: bind or escalate roles and clusterroles, impersonate users, groups, serviceaccounts, uids or userextras (5.1.8); create persistentvolumes (5.1.9); any verb on nodes/proxy (5.1.10); update or patch certificatesigningrequests/approval, and approve on signers (5.1.11); create, update, patch or delete validating or mutating webhook configurations, and admission policies and their bindings (5.1.12); create serviceaccounts/token (5.1.13). Requests are built as Kubernetes builds them: a RoleBinding grants bind (checked in the binding\'s namespace), escalate on Roles, impersonation of ServiceAccounts and token creation in its namespace; the cluster-scoped ones (users, groups, nodes, CSRs, webhooks, PersistentVolumes, escalate on ClusterRoles) only through a ClusterRoleBinding. A rule limited by resourceNames still counts. Left out, with a note in the CIS view: the bootstrap policy\'s and kubeadm\'s own bindings (system:masters\' cluster-admin, kubeadm:cluster-admins, the system:controller:* and system:kube-controller-manager roles; the node authorizer serves system:nodes without RBAC), and bindings that hold every verb on every resource cluster-wide, which cluster-admin-equivalent-subject reports (their CIS verdict is still fail). Signer approval and admission policies are judged by kubeward only: CIS\'s audit does not name them, so their CIS verdict stays pass.',
    why: 'Each of these rights is a step to cluster-admin: bind and escalate grant any permission, impersonation acts as any identity (system:masters included), a hostPath PersistentVolume mounts the node\'s filesystem, nodes/proxy runs commands in every pod through the kubelet API, CSR approval mints client certificates for any user, a webhook sees or rewrites every object written, and a ServiceAccount token is that account\'s credential. The guide asks to understand such indirect escalation and grant it to as few subjects as possible.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
  cis: { '1.12': CONTROLS },
  remediation: `Remove the permission from the role, or bind the role only to the subjects that need it, in the
namespaces where they need it; limit what remains with resourceNames:

apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ci-token, namespace: ci}
rules:
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  resourceNames: ["deployer"]
  verbs: ["create"]`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    // Many bindings share a role: its rules are probed once.
    const byRole = new Map<RoleRecord, Permission[]>();
    const byRule = new Map<string, Set<Permission>>();
    for (const binding of index.bindings) {
      // Bindings the bootstrap policy supplies for resolution are not in the input: nothing to judge.
      if (!binding.role || (binding.builtin && !binding.item)) continue;
      let granted = byRole.get(binding.role);
      if (!granted) byRole.set(binding.role, (granted = permissionsOf(binding.role, byRule)));
      const held = binding.kind === 'ClusterRoleBinding' ? granted : granted.filter((p) => p.namespaced);
      if (held.length === 0) {
        yield pass(bindingSubject(binding));
        continue;
      }
      if (binding.builtin) {
        yield pass(bindingSubject(binding), { cis: { '1.12': cisOutcomes(held, true) }, cisNote: Object.fromEntries([...new Set(held.map((p) => p.control))].map((c) => [c, BOOTSTRAP_NOTE])) });
        continue;
      }
      const cis = { '1.12': cisOutcomes(held, false) };
      const notes = Object.fromEntries(CONTROLS.flatMap((c) => {
        const beyond = held.filter((p) => p.control === c);
        return beyond.length > 0 && beyond.every((p) => p.beyondCis) ? [[c, beyond[0]!.beyondCis!]] : [];
      }));
      const cisNote = Object.keys(notes).length > 0 ? { cisNote: notes } : {};
      if (binding.kind === 'ClusterRoleBinding' && binding.role.rules.some(isWildcardRule)) {
        yield pass(bindingSubject(binding), { cis, cisNote: `holds every verb on every resource cluster-wide, so every permission CIS 5.1.8-5.1.13 names; cluster-admin-equivalent-subject reports it (ClusterRole ${binding.role.name})` });
        continue;
      }
      const where = binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${binding.namespace}`;
      let subjects = 0;
      for (const [i, s] of binding.subjects.entries()) {
        const subject = resolveSubject(s, binding.namespace);
        if (!subject) continue;
        subjects++;
        yield fail(bindingSubject(binding), `${describeSubject(subject)} can ${describe(held)} ${where} through ${binding.role.kind} ${binding.role.name}`, { field: `subjects[${i}]`, cis, ...cisNote });
      }
      // A binding whose subjects apply to nobody grants nothing.
      if (subjects === 0) yield pass(bindingSubject(binding));
    }
  },
  examples: {
    fail: [
      {
        description: 'a CI account that may impersonate any ServiceAccount and create tokens in its namespace (CIS 5.1.8, 5.1.13)',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: ci}
rules:
- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-token-minter, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-minter}
subjects: [{kind: ServiceAccount, name: runner}]`,
      },
      {
        description: 'a storage operator that creates PersistentVolumes and reads nodes/proxy (CIS 5.1.9, 5.1.10)',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: storage-operator}
rules:
- {apiGroups: [""], resources: [persistentvolumes], verbs: [get, list, create]}
- {apiGroups: [""], resources: [nodes/proxy], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: storage-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: storage-operator}
subjects: [{kind: ServiceAccount, name: operator, namespace: storage}]`,
      },
      {
        description: 'a certificate approver, and a policy manager that edits webhooks (CIS 5.1.11, 5.1.12)',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: approver}
rules:
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}
- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: approver}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: approver}
subjects: [{kind: Group, name: platform}]`,
      },
    ],
    pass: [
      {
        description: 'read-only access to the same objects',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: auditor}
rules:
- {apiGroups: [""], resources: [persistentvolumes, nodes], verbs: [get, list, watch]}
- {apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [get, list]}
- {apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations], verbs: [get, list]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [roles, clusterroles], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: auditor}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: auditor}
subjects: [{kind: Group, name: auditors}]`,
      },
      {
        description: 'cluster-scoped rights (PersistentVolumes, nodes/proxy) in a RoleBinding apply to nothing',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pv-maker}
rules: [{apiGroups: [""], resources: [persistentvolumes, nodes/proxy], verbs: [create, get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pv-maker, namespace: storage}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pv-maker}
subjects: [{kind: ServiceAccount, name: operator}]`,
      },
    ],
  },
});
