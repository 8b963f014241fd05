// Fixes at the level of a namespace: its Pod Security labels (the namespace dry-run decides the
// level), NetworkPolicies (metadata egress denied, ingress limited to the namespace), and the
// ResourceQuota and LimitRange sized from what its workloads declare today.

import type { FailResult } from '../checks/types.js';
import { cidrContains, effectivePolicyTypes, parseCidr, parseIp } from '../engines/netpol/index.js';
import type { NetworkPolicySpec } from '../engines/netpol/model.js';
import { LABEL_PREFIX, evaluatePod, formatVersion, type PolicyVersion } from '../engines/podsecurity/index.js';
import type { PodSpecRef } from '../inventory/inventory.js';
import type { K8sObject } from '../inventory/types.js';
import { containersOf } from '../inventory/pod.js';
import { failingNamespaces, namespacedObject, plannedSpec } from './helpers.js';
import type { FixContext } from './types.js';

const METADATA_POLICY = 'kubeward-deny-cloud-metadata-egress';
const INGRESS_POLICY = 'kubeward-ingress-from-own-namespace';
const QUOTA = 'kubeward-quota';
const LIMIT_RANGE = 'kubeward-container-defaults';

/** The pod specs of each namespace, grouped once per scan. */
export function podsByNamespace(ctx: FixContext): Map<string, PodSpecRef[]> {
  return ctx.check.shared('fix:pods-by-namespace', () => {
    const out = new Map<string, PodSpecRef[]>();
    for (const pod of ctx.check.inventory.podSpecs()) {
      const list = out.get(pod.namespace);
      if (list) list.push(pod);
      else out.set(pod.namespace, [pod]);
    }
    return out;
  });
}

/**
 * Labels each failing namespace to enforce the strictest level every pod the input holds for it
 * passes (restricted, else baseline), with warn and audit at restricted. A namespace with a pod
 * that fails baseline stays, with the pods that keep it from being labelled.
 */
export function labelNamespaces(ctx: FixContext, failures: readonly FailResult[], version: PolicyVersion, exempt: (pod: PodSpecRef) => boolean): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    const item = ctx.check.inventory.get('Namespace', undefined, namespace);
    if (!item) continue;
    const pods = (podsByNamespace(ctx).get(namespace) ?? []).filter((p) => !exempt(p));
    const passes = (level: 'baseline' | 'restricted') => pods.filter((p) => !evaluatePod(level, version, p.podMetadata, plannedSpec(ctx, p)).allowed);
    const notRestricted = passes('restricted');
    const notBaseline = notRestricted.length === 0 ? [] : passes('baseline');
    if (notBaseline.length > 0) {
      const names = notBaseline.slice(0, 5).map((p) => `${p.item.ref.kind.toLowerCase()}/${p.item.ref.name}`).join(', ');
      ctx.manual(failure, `enforcing baseline would refuse ${notBaseline.length} of its pods (${names}${notBaseline.length > 5 ? ', ...' : ''}); fix them first (pod-violates-baseline-pod-security, --unsafe-fixes)`);
      continue;
    }
    const level = notRestricted.length === 0 ? 'restricted' : 'baseline';
    const edit = ctx.edit(item);
    edit.set(['metadata', 'labels', `${LABEL_PREFIX}enforce`], level);
    edit.set(['metadata', 'labels', `${LABEL_PREFIX}enforce-version`], formatVersion(version));
    edit.set(['metadata', 'labels', `${LABEL_PREFIX}warn`], 'restricted');
    edit.set(['metadata', 'labels', `${LABEL_PREFIX}audit`], 'restricted');
  }
}

const METADATA = [
  { ip: parseIp('169.254.169.254')!, cidr: '169.254.169.254/32' },
  { ip: parseIp('fd00:ec2::254')!, cidr: 'fd00:ec2::254/128' },
];

/** Every destination but the metadata service: the world by ipBlock, pods by selector (their IPs are not cluster-external). */
const ALL_BUT_METADATA = [
  { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
  { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
  { namespaceSelector: {} },
];

interface EgressRule { to?: { ipBlock?: { cidr?: string; except?: string[] } }[]; ports?: unknown[] }

/**
 * Denies the cloud metadata addresses to the pods of each failing namespace (below); unsafe where
 * the input shows pods that take their credentials from there.
 */
export function denyMetadataEgress(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    const identity = metadataIdentity(ctx, namespace);
    if (identity) {
      ctx.withSafety('unsafe', `${identity} takes its cloud credentials from the metadata address: those pods lose them (allow that address in a policy of their own first)`, () => denyMetadataEgressIn(ctx, namespace, failure), failure);
    } else {
      denyMetadataEgressIn(ctx, namespace, failure);
    }
  }
}

/**
 * Evidence in the input that pods of the namespace get credentials at the metadata address: GKE
 * Workload Identity (its metadata server answers pods there), AAD Pod Identity (NMI intercepts
 * it), kube2iam and kiam (proxies of it). IRSA and Azure Workload Identity use projected tokens
 * instead. Pods that use the node's own instance role leave no trace in the input.
 */
function metadataIdentity(ctx: FixContext, namespace: string): string | undefined {
  const gke = ctx.check.inventory.inNamespace(namespace, 'ServiceAccount').find((sa) => sa.object.metadata?.annotations?.['iam.gke.io/gcp-service-account']);
  if (gke) return `ServiceAccount ${namespace}/${gke.ref.name} (GKE Workload Identity, annotation iam.gke.io/gcp-service-account)`;
  for (const pod of podsByNamespace(ctx).get(namespace) ?? []) {
    const what = `${pod.item.ref.kind.toLowerCase()}/${pod.item.ref.name}`;
    if (pod.podMetadata?.labels?.['aadpodidbinding']) return `${what} (AAD Pod Identity, label aadpodidbinding)`;
    if (pod.podMetadata?.annotations?.['iam.amazonaws.com/role']) return `${what} (kube2iam or kiam, annotation iam.amazonaws.com/role)`;
  }
  return undefined;
}

/**
 * Takes the metadata service out of every egress rule of the namespace's policies (an ipBlock that
 * covers it gets an except; a rule open to every destination gets ALL_BUT_METADATA), and adds a
 * policy that isolates every pod for egress with ALL_BUT_METADATA. Policies add up, so both are
 * needed: only metadata reach is lost.
 */
function denyMetadataEgressIn(ctx: FixContext, namespace: string, failure: FailResult): void {
  const policies = ctx.check.inventory.inNamespace(namespace, 'NetworkPolicy');
  // Pods some policy already isolates for egress would get all egress back from a policy for every pod.
  const isolating = policies.filter((p) => p.ref.name !== METADATA_POLICY && effectivePolicyTypes((p.object.spec ?? {}) as NetworkPolicySpec).egress);
  for (const item of policies) {
    const edit = ctx.edit(item);
    const rules = (edit.object.spec as { egress?: EgressRule[] } | undefined)?.egress;
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, r) => {
      if (!rule || typeof rule !== 'object') return;
      if (!Array.isArray(rule.to) || rule.to.length === 0) {
        edit.set(['spec', 'egress', r, 'to'], ALL_BUT_METADATA);
        return;
      }
      rule.to.forEach((peer, p) => {
        const cidr = peer?.ipBlock?.cidr ? parseCidr(peer.ipBlock.cidr) : undefined;
        if (!cidr) return;
        const except = Array.isArray(peer.ipBlock!.except) ? peer.ipBlock!.except : [];
        const missing = METADATA.filter((m) => cidrContains(cidr, m.ip) && !except.some((e) => { const c = parseCidr(e); return c !== undefined && cidrContains(c, m.ip); }));
        if (missing.length > 0) edit.set(['spec', 'egress', r, 'to', p, 'ipBlock', 'except'], [...except, ...missing.map((m) => m.cidr)]);
      });
    });
  }
  if (ctx.check.inventory.get('NetworkPolicy', namespace, METADATA_POLICY)) return;
  if ((podsByNamespace(ctx).get(namespace) ?? []).every((p) => p.spec.hostNetwork === true)) {
    ctx.manual(failure, `every pod of "${namespace}" runs on the host network, where NetworkPolicies do not apply: a firewall on the node has to block the metadata service`);
    return;
  }
  if (isolating.length > 0) {
    ctx.manual(failure, `NetworkPolicies (${isolating.map((p) => p.ref.name).join(', ')}) already isolate pods of "${namespace}" for egress: a policy for every pod would give them all egress back, so the pods they do not select need a policy a person writes`);
    return;
  }
  ctx.add(namespacedObject('networking.k8s.io/v1', 'NetworkPolicy', namespace, METADATA_POLICY, {
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: ALL_BUT_METADATA }] },
  }));
}

export const OWN_NAMESPACE_INGRESS_RISK = 'connections from other namespaces (ingress controllers, monitoring) and from outside the cluster are refused until a policy allows them';

/**
 * Ingress only from pods of the same namespace; everything else is refused until a policy allows
 * it. Safe where nothing in the input leads into the namespace's pods from outside it: traffic
 * within the namespace stays allowed and traffic from the node (kubelet probes) is always allowed
 * by NetworkPolicy semantics, so only listeners nothing announces lose clients elsewhere.
 */
export function ingressFromOwnNamespace(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    if (ctx.check.inventory.get('NetworkPolicy', namespace, INGRESS_POLICY)) continue;
    const isolating = ctx.check.inventory.inNamespace(namespace, 'NetworkPolicy').filter((p) => effectivePolicyTypes((p.object.spec ?? {}) as NetworkPolicySpec).ingress);
    if (isolating.length > 0) {
      ctx.manual(failure, `NetworkPolicies (${isolating.map((p) => p.ref.name).join(', ')}) already isolate pods of "${namespace}" for ingress: a policy for every pod would open them to the whole namespace, so the pods they do not select need a policy a person writes`);
      continue;
    }
    const add = () => ctx.add(namespacedObject('networking.k8s.io/v1', 'NetworkPolicy', namespace, INGRESS_POLICY, {
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    }));
    const client = clientsFromOutside(ctx, namespace);
    if (client) ctx.withSafety('unsafe', `${client} may lead clients from outside "${namespace}" to its pods: ${OWN_NAMESPACE_INGRESS_RISK}`, add, failure);
    else add();
  }
}

const PROMETHEUS_ANNOTATIONS = ['prometheus.io/scrape', 'prometheus.io/port'];
const MONITOR_KINDS = ['PodMonitor', 'ServiceMonitor'];
const MONITOR_CRDS = ['podmonitors.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com'];

/**
 * What in the input leads into the namespace's pods from outside it, or undefined: a Service of
 * any type (how other namespaces, ingress controllers, webhooks and APIServices reach pods), a
 * declared container or host port, a Prometheus scrape annotation, or the Prometheus Operator's
 * PodMonitor or ServiceMonitor kind anywhere (monitors pick namespaces by selector). Host-network
 * pods are left out: NetworkPolicies do not apply to them.
 */
function clientsFromOutside(ctx: FixContext, namespace: string): string | undefined {
  const inventory = ctx.check.inventory;
  const service = inventory.inNamespace(namespace, 'Service')[0];
  if (service) return `Service ${namespace}/${service.ref.name}`;
  for (const pod of podsByNamespace(ctx).get(namespace) ?? []) {
    const spec = plannedSpec(ctx, pod);
    if (spec.hostNetwork === true) continue;
    const what = `${pod.item.ref.kind.toLowerCase()}/${pod.item.ref.name}`;
    const listening = containersOf(spec).find(({ container }) => container?.ports?.some((p) => p?.containerPort !== undefined || p?.hostPort !== undefined));
    if (listening) return `${what} (${listening.path} declares a port)`;
    const annotation = PROMETHEUS_ANNOTATIONS.find((a) => pod.podMetadata?.annotations?.[a] !== undefined);
    if (annotation) return `${what} (annotation ${annotation})`;
  }
  // Custom resources are skipped by the loader but counted by kind; their CRDs say the operator is
  // installed even where no monitor is in the input. A monitor anywhere may select this namespace.
  const monitor = MONITOR_KINDS.find((kind) => inventory.skippedKinds[kind]);
  if (monitor) return `${inventory.skippedKinds[monitor]} ${monitor} object(s) of the Prometheus Operator (monitors select namespaces by label)`;
  const crd = inventory.ofKind('CustomResourceDefinition').find((item) => MONITOR_CRDS.includes(item.ref.name));
  if (crd) return `CustomResourceDefinition ${crd.ref.name} (Prometheus Operator monitors select namespaces by label)`;
  return undefined;
}

// ---- quotas and limits ------------------------------------------------------------------------

/** Headroom over what a namespace uses today: twice its pods and its declared requests and limits. */
const HEADROOM = 2;
const MIN_PODS = 10;

interface Usage {
  pods: number;
  nodePorts: number;
  loadBalancers: number;
  /** Sums of declared requests/limits (millicores, bytes), undefined when some container declares none. */
  sums: Record<'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory', number | undefined>;
  largest: Record<'requests.cpu' | 'requests.memory' | 'limits.cpu' | 'limits.memory', number>;
}

function replicasOf(pod: PodSpecRef): number {
  if (pod.item.ref.kind === 'Pod') return 1;
  const spec = pod.item.object.spec as { replicas?: number; parallelism?: number } | undefined;
  return typeof spec?.replicas === 'number' ? spec.replicas : typeof spec?.parallelism === 'number' ? spec.parallelism : 1;
}

/** Kubernetes quantities as millicores (cpu) or bytes (memory). */
function parseQuantity(value: unknown, cpu: boolean): number | undefined {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value ?? ''));
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { '': 1, m: 0.001, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2] ?? '']!;
  return cpu ? n * unit * 1000 : n * unit;
}

function formatQuantity(value: number, cpu: boolean): string {
  if (cpu) return value % 1000 === 0 ? String(value / 1000) : `${Math.ceil(value)}m`;
  const mi = Math.ceil(value / 1024 ** 2);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

function usageOf(ctx: FixContext, namespace: string): Usage {
  const inventory = ctx.check.inventory;
  const specs = podsByNamespace(ctx).get(namespace) ?? [];
  // A dump holds both the Pods and the workloads that made them: the Pods are what runs.
  const running = specs.some((p) => p.item.ref.kind === 'Pod') ? specs.filter((p) => p.item.ref.kind === 'Pod') : specs.filter((p) => !['ReplicaSet', 'Job'].includes(p.item.ref.kind) || !p.item.object.metadata?.ownerReferences?.length);
  const sums: Usage['sums'] = { 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };
  const largest: Usage['largest'] = { 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };
  let pods = 0;
  for (const pod of running) {
    const n = replicasOf(pod);
    pods += n;
    for (const c of pod.spec.containers ?? []) {
      for (const key of Object.keys(sums) as (keyof Usage['sums'])[]) {
        const [kind, resource] = key.split('.') as ['requests' | 'limits', 'cpu' | 'memory'];
        const value = parseQuantity(c.resources?.[kind]?.[resource], resource === 'cpu');
        if (value === undefined) sums[key] = undefined;
        else {
          if (sums[key] !== undefined) sums[key]! += value * n;
          largest[key] = Math.max(largest[key], value);
        }
      }
    }
  }
  const services = inventory.inNamespace(namespace, 'Service').map((s) => (s.object.spec ?? {}) as ServiceSpec);
  return { pods, nodePorts: services.reduce((n, s) => n + nodePortsOf(s), 0), loadBalancers: services.filter((s) => s.type === 'LoadBalancer').length, sums, largest };
}

interface ServiceSpec {
  type?: string;
  ports?: { nodePort?: number }[];
  allocateLoadBalancerNodePorts?: boolean;
}

/**
 * The node ports a Service uses as the quota counts them: every port of a NodePort or
 * LoadBalancer Service, or of a LoadBalancer that allocates no node ports those that set one.
 * Capped below this, recreating the Service (delete and apply) would be refused.
 */
function nodePortsOf(spec: ServiceSpec): number {
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (spec.type === 'NodePort') return ports.length;
  if (spec.type !== 'LoadBalancer') return 0;
  return spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p?.nodePort).length : ports.length;
}

/** Exposure stays where it is today: a new NodePort or LoadBalancer needs a person to raise the caps. */
function exposureCaps(usage: Usage): Record<(typeof EXPOSURE_CAPS)[number], string> {
  return { 'services.nodeports': String(usage.nodePorts), 'services.loadbalancers': String(usage.loadBalancers) };
}

/** The hard limits kubeward's quota sets for a namespace. */
function quotaHard(ctx: FixContext, namespace: string): Record<string, string> {
  const usage = usageOf(ctx, namespace);
  const hard: Record<string, string> = {
    pods: String(Math.max(MIN_PODS, usage.pods * HEADROOM)),
    ...exposureCaps(usage),
  };
  // A compute quota makes the API refuse pods that declare no requests: only where all declare them.
  for (const [key, sum] of Object.entries(usage.sums)) {
    if (sum !== undefined && sum > 0) hard[key] = formatQuantity(sum * HEADROOM, key.endsWith('cpu'));
  }
  return hard;
}

/** kubeward's ResourceQuota for each failing namespace, or the missing keys added to one already planned. */
export function addQuotas(ctx: FixContext, failures: readonly FailResult[], keys?: readonly string[]): void {
  for (const { namespace } of failingNamespaces(failures)) {
    const hard = quotaHard(ctx, namespace);
    const existing = ctx.check.inventory.get('ResourceQuota', namespace, QUOTA);
    if (existing) {
      const edit = ctx.edit(existing);
      for (const key of keys ?? Object.keys(hard)) if (hard[key] !== undefined) edit.set(['spec', 'hard', key], hard[key]);
      continue;
    }
    const planned = ctx.added('ResourceQuota', namespace, QUOTA);
    const spec = { hard: { ...((planned?.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {}), ...hard } };
    ctx.add(namespacedObject('v1', 'ResourceQuota', namespace, QUOTA, { spec }));
  }
}

/** The quota keys that cap NodePort and LoadBalancer Services. */
export const EXPOSURE_CAPS = ['services.nodeports', 'services.loadbalancers'] as const;

export const NEW_QUOTA_RISK = 'in a namespace without an unscoped ResourceQuota, the one added also caps pods at twice today\'s (at least 10) and, where every container declares them, CPU and memory requests and limits: pods beyond those (a scale-up, an autoscaler) and, where compute is capped, new pods that declare no requests or limits are refused until it is changed';

/** A ResourceQuota's hard limits when it is unscoped, else undefined: scoped quotas (scopes, scopeSelector) track only pod resources. */
function unscopedHard(quota: K8sObject): Record<string, unknown> | undefined {
  const spec = (quota.spec ?? {}) as { hard?: Record<string, unknown>; scopes?: unknown[]; scopeSelector?: unknown };
  return (spec.scopes ?? []).length > 0 || spec.scopeSelector ? undefined : (spec.hard ?? {});
}

/** The exposure caps no unscoped quota among these sets. */
export function missingExposureCaps(quotas: readonly K8sObject[]): (typeof EXPOSURE_CAPS)[number][] {
  const hards = quotas.map(unscopedHard).filter((hard) => hard !== undefined);
  return EXPOSURE_CAPS.filter((key) => !hards.some((hard) => key in hard));
}

/**
 * Caps NodePort and LoadBalancer Services at today's counts. Where the namespace has an unscoped
 * ResourceQuota (kubeward's, else the first by name), the caps no unscoped quota sets yet are
 * added to it and nothing else changes: every Service that exists stays admitted, only another
 * one is refused, so it is safe. Elsewhere kubeward's quota is added, pods capped too: unsafe.
 */
export function capServiceExposure(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace, failure } of failingNamespaces(failures)) {
    const quotas = ctx.check.inventory.inNamespace(namespace, 'ResourceQuota').map((item) => ({ item, object: ctx.planned(item) }));
    const unscoped = quotas.filter((q) => unscopedHard(q.object)).sort((a, b) => (a.item.ref.name < b.item.ref.name ? -1 : 1));
    const target = unscoped.find((q) => q.item.ref.name === QUOTA) ?? unscoped[0];
    if (!target) {
      ctx.withSafety('unsafe', NEW_QUOTA_RISK, () => addQuotas(ctx, [failure], EXPOSURE_CAPS), failure);
      continue;
    }
    const caps = exposureCaps(usageOf(ctx, namespace));
    const edit = ctx.edit(target.item);
    for (const key of missingExposureCaps(quotas.map((q) => q.object))) edit.set(['spec', 'hard', key], caps[key]);
  }
}

/** Adds the pod count to each failing quota that caps no compute resource. */
export function capPods(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const failure of failures) {
    const item = ctx.check.inventory.get('ResourceQuota', failure.subject.ref.namespace, failure.subject.ref.name);
    if (!item?.ref.namespace) continue;
    ctx.edit(item).set(['spec', 'hard', 'pods'], quotaHard(ctx, item.ref.namespace).pods);
  }
}

/** A LimitRange whose defaults are the largest requests and limits the namespace's containers declare. */
export function addLimitRanges(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { namespace } of failingNamespaces(failures)) {
    if (ctx.check.inventory.get('LimitRange', namespace, LIMIT_RANGE)) continue;
    const { largest } = usageOf(ctx, namespace);
    const request = { cpu: largest['requests.cpu'] || 100, memory: largest['requests.memory'] || 128 * 1024 ** 2 };
    const limit = { cpu: Math.max(largest['limits.cpu'], request.cpu * HEADROOM), memory: Math.max(largest['limits.memory'], request.memory * HEADROOM) };
    ctx.add(namespacedObject('v1', 'LimitRange', namespace, LIMIT_RANGE, {
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: formatQuantity(request.cpu, true), memory: formatQuantity(request.memory, false) },
          default: { cpu: formatQuantity(limit.cpu, true), memory: formatQuantity(limit.memory, false) },
        }],
      },
    }));
  }
}
