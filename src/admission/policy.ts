// `kubeward admission-policy`: the single-object checks CEL can express, as
// ValidatingAdmissionPolicies and their bindings (admissionregistration.k8s.io/v1, Kubernetes
// 1.30+): native enforcement with no webhook to keep available. Each expression is true when the
// object passes, and mirrors the check's evaluate(); a test runs every one with a CEL evaluator on
// the check's examples and on real install manifests and holds the verdicts equal. Only CEL that
// Kubernetes 1.30 accepts: the standard macros and the strings extension (upperAscii, join).

import { findCheck } from '../checks/registry.js';
import { RUNTIME_SOCKETS } from '../checks/pod-privileges/container-runtime-socket-mounted.js';
import { SENSITIVE_EXACT, SENSITIVE_TREES } from '../checks/pod-privileges/writable-sensitive-host-path.js';
import { CONTROL_PLANE_TAINTS } from '../checks/node-placement/pod-tolerates-control-plane-or-all-taints.js';
import { COMPUTE_KEYS } from '../checks/resource-quota/resource-quota-caps-no-compute.js';
import { POD_TEMPLATE_PATHS, SYSTEM_NAMESPACES } from '../inventory/kinds.js';
import type { K8sObject } from '../inventory/types.js';
import { actionFor, type Action, type AdmissionConfig } from './config.js';
import { OBJECT_CHECKS, resourceRulesFor } from './rules.js';

export interface CelPolicy {
  check: string;
  /** The kinds it matches: every pod-bearing kind, or these. */
  kinds: 'pod' | string[];
  /** True when the object passes the check. */
  expression: string;
  messageExpression: string;
  /** The message is the check's own, word for word (else it says the same, shorter). */
  exactMessage: boolean;
}

const list = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
const SYSTEM = list([...SYSTEM_NAMESPACES]);

/** Variables every pod policy has: the pod spec wherever the kind keeps it, and all containers. */
export const POD_VARIABLES = [
  { name: 'ns', expression: "has(object.metadata.namespace) ? object.metadata.namespace : request.namespace" },
  { name: 'name', expression: "has(object.metadata.name) ? object.metadata.name : (has(object.metadata.generateName) ? object.metadata.generateName : '')" },
  {
    name: 'pod',
    expression: Object.entries(POD_TEMPLATE_PATHS)
      .filter(([kind]) => kind !== 'Deployment')
      .map(([kind, path]) => `object.kind == '${kind}' ? object.${path.join('.')} : `)
      .join('') + 'object.spec.template.spec',
  },
  {
    name: 'containers',
    expression: ['initContainers', 'containers', 'ephemeralContainers'].map((f) => `(has(variables.pod.${f}) ? variables.pod.${f} : [])`).join(' + '),
  },
  { name: 'hostPaths', expression: "has(variables.pod.volumes) ? variables.pod.volumes.filter(v, has(v.hostPath) && has(v.hostPath.path) && v.hostPath.path != '') : []" },
];

const sc = (c: string, field: string) => `has(${c}.securityContext) && has(${c}.securityContext.${field})`;
const privileged = (c: string) => `(${sc(c, 'privileged')} && ${c}.securityContext.privileged == true)`;
// normaliseCapability: upper case, CAP_ prefix dropped.
const moduleCap = (a: string) => `${a}.upperAscii() in ['SYS_MODULE', 'ALL', 'CAP_SYS_MODULE', 'CAP_ALL']`;
const addsModule = (c: string) => `(${sc(c, 'capabilities')} && has(${c}.securityContext.capabilities.add) && ${c}.securityContext.capabilities.add.exists(a, ${moduleCap('a')}))`;
// normaliseHostPath for the paths manifests hold: a trailing slash dropped.
const hostPath = (v: string) => `(${v}.hostPath.path.endsWith('/') && size(${v}.hostPath.path) > 1 ? ${v}.hostPath.path.substring(0, size(${v}.hostPath.path) - 1) : ${v}.hostPath.path)`;
const exposesSocket = (p: string) => `${list(Object.keys(RUNTIME_SOCKETS))}.exists(s, s == ${p} || ${p} == '/' || s.startsWith(${p} + '/'))`;
const mounted = (v: string, writable: boolean) => `variables.containers.exists(c, has(c.volumeMounts) && c.volumeMounts.exists(m, has(m.name) && has(${v}.name) && m.name == ${v}.name${writable ? ' && !(has(m.readOnly) && m.readOnly == true)' : ''}))`;
const sensitive = (p: string) => `(${p} in ${list(SENSITIVE_EXACT)} || ${list(SENSITIVE_TREES)}.exists(r, ${p} == r || ${p}.startsWith(r + '/')))`;
const operator = (t: string) => `(has(${t}.operator) ? ${t}.operator : 'Equal')`;
const broadToleration = (t: string) =>
  `((!has(${t}.effect) || ${t}.effect == '' || ${t}.effect == 'NoSchedule') && ((${operator(t)} == 'Exists' && (!has(${t}.key) || ${t}.key == '')) || (has(${t}.key) && ${t}.key in ${list(CONTROL_PLANE_TAINTS)} && (${operator(t)} == 'Exists' || !has(${t}.value) || ${t}.value == ''))))`;
const serviceType = "(has(object.spec.type) ? object.spec.type : 'ClusterIP')";
const ports = "(has(object.spec.ports) ? object.spec.ports : [])";
const ENFORCE = 'pod-security.kubernetes.io/enforce';
const enforceLabel = `(has(object.metadata.labels) && '${ENFORCE}' in object.metadata.labels)`;
const saToken = "has(object.type) && object.type == 'kubernetes.io/service-account-token'";
const bootstrapToken = "((has(object.type) && object.type == 'bootstrap.kubernetes.io/token') || (object.metadata.namespace == 'kube-system' && object.metadata.name.startsWith('bootstrap-token-')))";
const saAdmin = (s: string) => `(${s}.kind == 'ServiceAccount' && has(${s}.namespace) && ${s}.namespace != '' && ${s}.namespace != 'kube-system')`;
const clusterAdminRef = "object.roleRef.kind == 'ClusterRole' && object.roleRef.name == 'cluster-admin'";

export const CEL_POLICIES: readonly CelPolicy[] = [
  {
    check: 'container-runtime-socket-mounted', kinds: 'pod', exactMessage: false,
    expression: `!variables.hostPaths.exists(v, ${mounted('v', false)} && ${exposesSocket(hostPath('v'))})`,
    messageExpression: `variables.hostPaths.filter(v, ${mounted('v', false)} && ${exposesSocket(hostPath('v'))}).map(v, 'hostPath volume "' + v.name + '" (' + v.hostPath.path + ') mounts a container runtime socket or a directory holding one').join('; ')`,
  },
  {
    check: 'writable-sensitive-host-path', kinds: 'pod', exactMessage: false,
    expression: `variables.ns in ${SYSTEM} || !variables.hostPaths.exists(v, ${mounted('v', true)} && !${exposesSocket(hostPath('v'))} && ${sensitive(hostPath('v'))})`,
    messageExpression: `variables.hostPaths.filter(v, ${mounted('v', true)} && !${exposesSocket(hostPath('v'))} && ${sensitive(hostPath('v'))}).map(v, 'hostPath volume "' + v.name + '" (' + v.hostPath.path + ') is a sensitive host directory mounted writable').join('; ')`,
  },
  {
    check: 'container-can-load-kernel-modules', kinds: 'pod', exactMessage: true,
    expression: `variables.ns in ${SYSTEM} || (has(variables.pod.hostUsers) && variables.pod.hostUsers == false) || !variables.containers.exists(c, ${privileged('c')} || ${addsModule('c')})`,
    messageExpression: `variables.containers.filter(c, ${privileged('c')} || ${addsModule('c')}).map(c, ${privileged('c')} ? 'container "' + c.name + '" is privileged' : 'container "' + c.name + '" adds ' + c.securityContext.capabilities.add.filter(a, ${moduleCap('a')}).join(', ')).join('; ') + ': it can load kernel modules into the node'`,
  },
  {
    check: 'host-network-pod-outside-system-namespace', kinds: 'pod', exactMessage: true,
    expression: `variables.ns in ${SYSTEM} || !(has(variables.pod.hostNetwork) && variables.pod.hostNetwork == true)`,
    messageExpression: "object.kind + ' ' + variables.ns + '/' + variables.name + ' runs on the host network, outside the reach of NetworkPolicy'",
  },
  {
    check: 'pod-tolerates-control-plane-or-all-taints', kinds: 'pod', exactMessage: false,
    expression: `variables.ns in ${SYSTEM} || !has(variables.pod.tolerations) || !variables.pod.tolerations.exists(t, ${broadToleration('t')})`,
    messageExpression: "'a toleration tolerates every taint or a control-plane taint, so the pods may run on control-plane nodes'",
  },
  {
    check: 'pod-sets-node-name', kinds: 'pod', exactMessage: true,
    // A Pod with a status was placed by the scheduler: the check leaves it alone.
    expression: `variables.ns in ${SYSTEM} || (object.kind == 'Pod' && has(object.status)) || !has(variables.pod.nodeName) || variables.pod.nodeName == ''`,
    messageExpression: "'spec.nodeName is \"' + variables.pod.nodeName + '\": the pods bypass the scheduler, its taints and node selection'",
  },
  {
    check: 'service-exposed-outside-cluster', kinds: ['Service'], exactMessage: true,
    expression: `!(${serviceType} in ['NodePort', 'LoadBalancer'])`,
    messageExpression: `'Service ' + object.metadata.namespace + '/' + object.metadata.name + ' of type ' + ${serviceType} + ' exposes port' + (size(${ports}) == 1 ? '' : 's') + ' ' + (size(${ports}) == 0 ? '(none listed)' : ${ports}.map(p, (has(p.port) ? string(p.port) : '?') + (has(p.nodePort) ? ' (node port ' + string(p.nodePort) + ')' : '')).join(', ')) + ' outside the cluster ' + (${serviceType} == 'LoadBalancer' ? 'through a cloud load balancer and on every node' : 'on every node')`,
  },
  {
    check: 'namespace-without-pod-security-enforcement', kinds: ['Namespace'], exactMessage: true,
    // An unknown level enforces restricted, as kube-apiserver reads it.
    expression: `object.metadata.name in ${SYSTEM} || (${enforceLabel} && object.metadata.labels['${ENFORCE}'] != 'privileged')`,
    messageExpression: `'namespace "' + object.metadata.name + '" ' + (${enforceLabel} ? 'is labelled ${ENFORCE}=privileged' : 'has no ${ENFORCE} label, so kube-apiserver\\'s default (privileged, unless it is given a PodSecurity configuration that is not in the input) applies') + ': any pod may run privileged there'`,
  },
  {
    check: 'resource-quota-caps-no-compute', kinds: ['ResourceQuota'], exactMessage: false,
    expression: `has(object.spec.hard) && ${list(COMPUTE_KEYS)}.exists(k, k in object.spec.hard)`,
    messageExpression: "'ResourceQuota ' + object.metadata.namespace + '/' + object.metadata.name + ' caps neither CPU, memory nor the number of pods'",
  },
  {
    check: 'legacy-service-account-token-secret', kinds: ['Secret'], exactMessage: true,
    expression: `!(${saToken})`,
    messageExpression: "'Secret ' + object.metadata.namespace + '/' + object.metadata.name + ' holds a ' + (has(object.metadata.labels) && 'kubernetes.io/legacy-token-invalid-since' in object.metadata.labels ? 'legacy token of ' : 'non-expiring legacy token of ') + (has(object.metadata.annotations) && 'kubernetes.io/service-account.name' in object.metadata.annotations ? 'ServiceAccount ' + object.metadata.namespace + '/' + object.metadata.annotations['kubernetes.io/service-account.name'] : 'a ServiceAccount (no service-account.name annotation)') + (has(object.metadata.labels) && 'kubernetes.io/legacy-token-invalid-since' in object.metadata.labels ? '; invalidated by the token cleaner since ' + object.metadata.labels['kubernetes.io/legacy-token-invalid-since'] + ', still stored' : '')",
  },
  {
    check: 'bootstrap-token-secret-present', kinds: ['Secret'], exactMessage: false,
    expression: `!${bootstrapToken}`,
    messageExpression: "'bootstrap token ' + object.metadata.name + ' is stored; delete it once the nodes it was made for have joined'",
  },
  {
    check: 'serviceaccount-bound-to-cluster-admin', kinds: ['ClusterRoleBinding'], exactMessage: true,
    expression: `!(${clusterAdminRef} && has(object.subjects) && object.subjects.exists(s, ${saAdmin('s')}))`,
    messageExpression: `object.subjects.filter(s, ${saAdmin('s')}).map(s, 'ServiceAccount ' + s.namespace + '/' + s.name + ' is cluster-admin').join('; ')`,
  },
];

/** The single-object checks of the webhook that no policy expresses, and why. */
export const NOT_EXPRESSIBLE: Readonly<Record<string, string>> = {
  'pod-violates-baseline-pod-security': 'Pod Security Admission enforces it natively: label the namespace pod-security.kubernetes.io/enforce=baseline',
  'pod-violates-restricted-pod-security': 'Pod Security Admission enforces it natively: label the namespace pod-security.kubernetes.io/enforce=restricted',
  'pod-node-selector-conflicts-with-namespace': 'needs the namespace\'s node-selector annotation and the PodNodeSelector plugin configuration, parsed as label selectors',
  'anonymous-or-unauthenticated-granted': 'needs the rules of the role the binding names: a policy sees one object',
  'authenticated-group-granted-beyond-discovery': 'needs the rules of the role the binding names: a policy sees one object',
  'default-serviceaccount-with-bindings': 'needs the role the binding names to exist and grant something: a policy sees one object',
  'rbac-escalation-path': 'an escalation path runs through other bindings and roles: only the webhook sees the cluster state',
  'pod-security-labels-weakened': 'judged by the webhook; the Pod Security labels themselves are enforced by Pod Security Admission',
  'network-policy-reopens-namespace': 'needs the namespace\'s other NetworkPolicies and pods: only the webhook sees the cluster state',
};

const VALIDATION_ACTIONS: Record<Exclude<Action, 'off'>, string> = { enforce: 'Deny', warn: 'Warn', audit: 'Audit' };

/** Policies and bindings for every expressible check the configuration does not turn off. */
export function admissionPolicies(config: AdmissionConfig): K8sObject[] {
  const out: K8sObject[] = [];
  const { exemptions } = config;
  const matchConditions = [
    ...(exemptions.usernames.length > 0 ? [{ name: 'exempt-users', expression: `!(request.userInfo.username in ${list(exemptions.usernames)})` }] : []),
    ...(exemptions.groups.length > 0 ? [{ name: 'exempt-groups', expression: `!request.userInfo.groups.exists(g, g in ${list(exemptions.groups)})` }] : []),
  ];
  for (const policy of CEL_POLICIES) {
    const check = findCheck(policy.check)!;
    const action = actionFor(config, check);
    if (action === 'off') continue;
    const name = `kubeward-${policy.check}`;
    const labels = { 'app.kubernetes.io/part-of': 'kubeward', 'kubeward.io/check': policy.check };
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels, annotations: { 'kubeward.io/severity': check.severity, 'kubeward.io/title': check.title } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: resourceRulesFor(policy.kinds === 'pod' ? Object.keys(POD_TEMPLATE_PATHS) : policy.kinds) },
        ...(matchConditions.length > 0 ? { matchConditions } : {}),
        ...(policy.kinds === 'pod' ? { variables: POD_VARIABLES } : {}),
        validations: [{ expression: policy.expression, messageExpression: `'[${policy.check}] ' + ${policy.messageExpression}`, reason: 'Forbidden' }],
        auditAnnotations: [{ key: 'check', valueExpression: `'${policy.check}'` }],
      },
    });
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels },
      spec: {
        policyName: name,
        validationActions: [VALIDATION_ACTIONS[action]],
        ...(exemptions.namespaces.length > 0 ? { matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: exemptions.namespaces }] } } } : {}),
      },
    });
  }
  return out;
}

/** Every webhook check with what the policies do with it. */
export function coverage(): { check: string; expressed: boolean; reason?: string }[] {
  const ids = [...new Set([...Object.values(OBJECT_CHECKS).flat(), ...Object.keys(NOT_EXPRESSIBLE)])];
  return ids.map((id) => {
    const expressed = CEL_POLICIES.some((p) => p.check === id);
    return expressed ? { check: id, expressed } : { check: id, expressed, reason: NOT_EXPRESSIBLE[id] ?? 'not expressible in CEL' };
  });
}
