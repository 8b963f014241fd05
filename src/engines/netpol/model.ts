// What the NetworkPolicy engine reasons about, read from the inventory: endpoints (running pods,
// and the pod templates of workloads whose pods are not in the input), namespaces with their
// labels, and NetworkPolicies compiled to a form that is cheap to evaluate.

import type { Inventory } from '../../inventory/inventory.js';
import { POD_TEMPLATE_PATHS } from '../../inventory/kinds.js';
import { mapSelectorMatches, selectorMatches, type LabelSelector } from '../../inventory/labels.js';
import { containersOf, type PodSpec } from '../../inventory/pod.js';
import type { Item, K8sObject } from '../../inventory/types.js';
import { parseCidr, parseIp, type Cidr, type IpAddress } from './cidr.js';
import { parseProtocol, type Protocol } from './ports.js';
import type { NetpolSemantics } from './versions.js';

/** The label the API server sets on every namespace (immutable, since Kubernetes 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/**
 * A pod, or the pod template of a workload none of whose pods are in the input (a manifests-only
 * scan). A template stands for every pod it will create: same namespace, labels and ports, but
 * no IP, so ipBlock peers cannot be decided for it.
 */
export interface Endpoint {
  index: number;
  /** "namespace/pod" for a pod; "namespace/kind/name" (kind in lower case) for a template. */
  id: string;
  namespace: string;
  name: string;
  kind: string;
  template: boolean;
  labels: Record<string, string>;
  ips: IpAddress[];
  hostNetwork: boolean;
  ports: EndpointPort[];
  item: Item;
  /** Field path of the pod spec in the object. */
  path: string;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  /** False when the input has no Namespace object: only the name label is known. */
  labelsKnown: boolean;
}

/** A label set as a string, the key of selector caches. */
export function labelsKey(labels: Record<string, string>): string {
  // Labels mostly come with their keys sorted: then the object itself is the key. Equal sets in
  // another order get another key, which only costs a cache entry.
  const keys = Object.keys(labels);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  return sorted ? JSON.stringify(labels) : JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export type CompiledPeer =
  | { kind: 'selector'; podSelector?: LabelSelector; namespaceSelector?: LabelSelector; key: string }
  | { kind: 'ipBlock'; cidr: Cidr; except: Cidr[]; key: string }
  /** A peer the API server would reject; it matches nothing. */
  | { kind: 'invalid'; key: string };

export interface CompiledPort {
  protocol: Protocol | undefined;
  /** Undefined: every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface CompiledRule {
  /** Index in spec.ingress / spec.egress. */
  index: number;
  /** Undefined: every peer (empty or missing from/to). */
  peers: CompiledPeer[] | undefined;
  /** Undefined: every port (empty or missing ports). */
  ports: CompiledPort[] | undefined;
  /** The rule has a named port, so what it allows depends on the destination pod. */
  named: boolean;
}

export interface CompiledPolicy {
  name: string;
  namespace: string;
  item: Item;
  podSelector: LabelSelector;
  /** Undefined when the policy does not govern ingress (policyTypes). */
  ingress: CompiledRule[] | undefined;
  egress: CompiledRule[] | undefined;
}

export interface PolicyProblem {
  item: Item;
  field: string;
  message: string;
}

interface NetworkPolicyPeerSpec {
  podSelector?: LabelSelector | null;
  namespaceSelector?: LabelSelector | null;
  ipBlock?: { cidr?: string; except?: string[] } | null;
}

interface NetworkPolicyRuleSpec {
  from?: NetworkPolicyPeerSpec[] | null;
  to?: NetworkPolicyPeerSpec[] | null;
  ports?: { protocol?: string; port?: number | string; endPort?: number }[] | null;
}

export interface NetworkPolicySpec {
  podSelector?: LabelSelector | null;
  policyTypes?: string[] | null;
  ingress?: NetworkPolicyRuleSpec[] | null;
  egress?: NetworkPolicyRuleSpec[] | null;
}

/**
 * policyTypes as the API server defaults them: Ingress always, Egress when egress rules are
 * present (networking/v1 SetDefaults_NetworkPolicy).
 */
export function effectivePolicyTypes(spec: NetworkPolicySpec): { ingress: boolean; egress: boolean } {
  if (spec.policyTypes && spec.policyTypes.length > 0) {
    return { ingress: spec.policyTypes.includes('Ingress'), egress: spec.policyTypes.includes('Egress') };
  }
  return { ingress: true, egress: (spec.egress ?? []).length > 0 };
}

export function compilePolicy(item: Item, problems: PolicyProblem[], semantics: NetpolSemantics): CompiledPolicy {
  const spec = ((item.object as { spec?: NetworkPolicySpec }).spec ?? {}) as NetworkPolicySpec;
  const types = effectivePolicyTypes(spec);
  const compileRules = (rules: NetworkPolicyRuleSpec[] | null | undefined, direction: 'ingress' | 'egress'): CompiledRule[] =>
    (rules ?? []).map((rule, index) => {
      const field = `spec.${direction}[${index}]`;
      const peersSpec = (direction === 'ingress' ? rule.from : rule.to) ?? [];
      const peers = peersSpec.length === 0 ? undefined : peersSpec.map((peer, i) => compilePeer(peer, item, `${field}.${direction === 'ingress' ? 'from' : 'to'}[${i}]`, problems));
      const portsSpec = rule.ports ?? [];
      const ports = portsSpec.length === 0 ? undefined : portsSpec.map((p, i) => compilePort(p, item, `${field}.ports[${i}]`, problems, semantics));
      return { index, peers, ports, named: (ports ?? []).some((p) => typeof p.port === 'string') };
    });
  return {
    name: item.ref.name,
    namespace: item.ref.namespace ?? 'default',
    item,
    // A missing podSelector is rejected by validation in real clusters; {} is the only sensible reading.
    podSelector: spec.podSelector ?? {},
    ingress: types.ingress ? compileRules(spec.ingress, 'ingress') : undefined,
    egress: types.egress ? compileRules(spec.egress, 'egress') : undefined,
  };
}

function compilePeer(peer: NetworkPolicyPeerSpec, item: Item, field: string, problems: PolicyProblem[]): CompiledPeer {
  const key = JSON.stringify(peer);
  if (peer.ipBlock) {
    if (peer.podSelector || peer.namespaceSelector) {
      problems.push({ item, field, message: 'ipBlock cannot be combined with podSelector or namespaceSelector; the API server rejects this peer' });
      return { kind: 'invalid', key };
    }
    const cidr = parseCidr(peer.ipBlock.cidr ?? '');
    const except = (peer.ipBlock.except ?? []).map((text) => parseCidr(text));
    if (!cidr || except.some((c) => !c)) {
      problems.push({ item, field: `${field}.ipBlock`, message: `invalid CIDR in ipBlock (${[peer.ipBlock.cidr, ...(peer.ipBlock.except ?? [])].join(', ')})` });
      return { kind: 'invalid', key };
    }
    return { kind: 'ipBlock', cidr, except: except as Cidr[], key };
  }
  if (!peer.podSelector && !peer.namespaceSelector) {
    problems.push({ item, field, message: 'peer names no podSelector, namespaceSelector or ipBlock; the API server rejects it' });
    return { kind: 'invalid', key };
  }
  return {
    kind: 'selector',
    ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
    ...(peer.namespaceSelector ? { namespaceSelector: peer.namespaceSelector } : {}),
    key,
  };
}

function compilePort(spec: { protocol?: string; port?: number | string; endPort?: number }, item: Item, field: string, problems: PolicyProblem[], semantics: NetpolSemantics): CompiledPort {
  const protocol = parseProtocol(spec.protocol);
  if (!protocol) problems.push({ item, field: `${field}.protocol`, message: `unknown protocol "${spec.protocol}"; it matches no traffic` });
  const port: CompiledPort = { protocol };
  if (spec.port !== undefined && spec.port !== null) {
    if (typeof spec.port === 'string' && /^\d+$/.test(spec.port)) {
      // intstr: a quoted "80" is a port name, and names must contain a letter: the API server rejects it.
      problems.push({ item, field: `${field}.port`, message: `port "${spec.port}" is a string, not a number; the API server rejects it as a port name (write 80, not "80")` });
    }
    port.port = spec.port;
    if (typeof spec.port === 'number' && typeof spec.endPort === 'number' && semantics.endPort) {
      if (spec.endPort < spec.port) problems.push({ item, field: `${field}.endPort`, message: `endPort ${spec.endPort} is below port ${spec.port}; the API server rejects it` });
      else port.endPort = spec.endPort;
    }
  }
  return port;
}

/** Namespaces of the input with their labels (and the name label the API server adds). */
export function namespacesOf(inventory: Inventory, semantics: NetpolSemantics): Map<string, NamespaceInfo> {
  const out = new Map<string, NamespaceInfo>();
  for (const name of inventory.namespaces()) {
    const object = inventory.get('Namespace', undefined, name);
    const labels = { ...(object?.object.metadata?.labels ?? {}), ...(semantics.namespaceNameLabel ? { [NAMESPACE_NAME_LABEL]: name } : {}) };
    out.set(name, { name, labels, labelsKnown: object !== undefined });
  }
  return out;
}

/**
 * Every endpoint: each Pod that runs (not Succeeded/Failed), and the template of each workload
 * none of whose pods is in the input. A workload counts as represented when a Pod in its
 * namespace matches its selector, or when a Pod or workload in the input names it as
 * controlling owner. Workloads scaled to zero and finished Jobs run no pods and are left out.
 */
export function endpointsOf(inventory: Inventory): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const represented = new Set<Item>();
  const pods = inventory.ofKind('Pod').filter((item) => {
    const phase = (item.object as { status?: { phase?: string } }).status?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  });
  const running = new Set(pods);
  for (const item of inventory.items) {
    if (item.ref.kind === 'Pod' && !running.has(item)) continue;
    let owner = controllerOf(inventory, item);
    while (owner && !represented.has(owner)) {
      represented.add(owner);
      owner = controllerOf(inventory, owner);
    }
  }
  for (const item of pods) {
    const ref = inventory.podSpecOf(item);
    if (ref) endpoints.push(makeEndpoint(endpoints.length, item, ref.spec, ref.podMetadata.labels, ref.path, false, podIps(item.object)));
  }
  const podsByNamespace = new Map<string, Item[]>();
  for (const pod of pods) {
    const ns = pod.ref.namespace ?? 'default';
    const list = podsByNamespace.get(ns);
    if (list) list.push(pod);
    else podsByNamespace.set(ns, [pod]);
  }
  for (const kind of Object.keys(POD_TEMPLATE_PATHS)) {
    if (kind === 'Pod' || kind === 'PodTemplate') continue;
    for (const item of inventory.ofKind(kind)) {
      if (represented.has(item) || runsNoPods(item.object)) continue;
      const ref = inventory.podSpecOf(item);
      if (!ref) continue;
      const nsPods = podsByNamespace.get(ref.namespace) ?? [];
      if (nsPods.some((pod) => workloadSelects(item.object, pod.object.metadata?.labels))) continue;
      endpoints.push(makeEndpoint(endpoints.length, item, ref.spec, ref.podMetadata.labels, ref.path, true, []));
    }
  }
  return endpoints;
}

function controllerOf(inventory: Inventory, item: Item): Item | undefined {
  const owners = item.object.metadata?.ownerReferences;
  if (!owners) return undefined;
  for (const owner of owners) {
    if (owner.controller) return owner.kind && owner.name ? inventory.get(owner.kind, item.ref.namespace, owner.name) : undefined;
  }
  return undefined;
}

function runsNoPods(object: K8sObject): boolean {
  const spec = object.spec as { replicas?: number } | undefined;
  if (spec?.replicas === 0) return true;
  return object.kind === 'Job' && Boolean((object.status as { completionTime?: string } | undefined)?.completionTime);
}

function workloadSelects(object: K8sObject, labels: Record<string, string> | undefined): boolean {
  const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return false;
  if (object.kind === 'ReplicationController') return mapSelectorMatches(selector as Record<string, string>, labels);
  return selectorMatches(selector as LabelSelector, labels);
}

function podIps(object: K8sObject): IpAddress[] {
  const status = object.status as { podIP?: string; podIPs?: { ip?: string }[] } | undefined;
  const texts: string[] = [];
  if (status?.podIP) texts.push(status.podIP);
  for (const entry of status?.podIPs ?? []) if (entry.ip && !texts.includes(entry.ip)) texts.push(entry.ip);
  const ips: IpAddress[] = [];
  for (const text of texts) {
    const ip = parseIp(text);
    if (ip) ips.push(ip);
  }
  return ips;
}

function makeEndpoint(index: number, item: Item, spec: PodSpec, labels: Record<string, string> | undefined, path: string, template: boolean, ips: IpAddress[]): Endpoint {
  const namespace = item.ref.namespace ?? 'default';
  const ports: EndpointPort[] = [];
  for (const { container } of containersOf(spec)) {
    for (const p of container.ports ?? []) {
      const protocol = parseProtocol(p.protocol);
      if (typeof p.containerPort === 'number' && protocol) ports.push(p.name ? { name: p.name, port: p.containerPort, protocol } : { port: p.containerPort, protocol });
    }
  }
  return {
    index,
    id: template ? `${namespace}/${item.ref.kind.toLowerCase()}/${item.ref.name}` : `${namespace}/${item.ref.name}`,
    namespace,
    name: item.ref.name,
    kind: item.ref.kind,
    template,
    labels: labels ?? {},
    ips,
    hostNetwork: spec.hostNetwork === true,
    ports,
    item,
    path,
  };
}
