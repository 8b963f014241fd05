// The NetworkPolicy reachability engine: decides, as Kubernetes defines it, whether traffic from
// one pod (or IP) to another pod (or IP) on a port and protocol is allowed.
//
// Semantics (k8s.io/api/networking/v1 and the upstream e2e tests in test/e2e/network/netpol):
// - A pod is isolated for a direction when some policy in its namespace selects it and has that
//   direction in its (defaulted) policyTypes; then only what the union of those policies' rules
//   allows is allowed. A pod no policy selects is not isolated: everything is allowed.
// - A->B is allowed iff A's egress allows it (to B's IPs/labels, B's port) and B's ingress allows
//   it (from A). An external IP has no policies: only the pod side is evaluated.
// - Peers: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every pod
//   of the selected namespaces; both = pods matching podSelector in the selected namespaces;
//   ipBlock = addresses in cidr and not in except (pod IPs included, as the e2e tests expect).
//   Empty from/to or ports = all.
// - Ports: protocol defaults to TCP; a numeric port with endPort is a range; a named port is
//   resolved against the destination pod's container ports (name and protocol), for ingress and
//   egress alike.
// - hostNetwork pods are not governed by NetworkPolicy in most CNIs: they are treated as not
//   isolated, and selectors matching them as a peer are undecided (their traffic carries the
//   node's IP).
// Semantics that changed between releases (endPort, the namespace name label) follow the
// version given, see versions.ts.
// Where the input does not decide a question (a template has no IP, a namespace without a
// Namespace object has unknown labels), the answer is "unknown", never a guess.

import type { Inventory } from '../../inventory/inventory.js';
import { isEmptySelector, selectorMatches, type LabelSelector } from '../../inventory/labels.js';
import type { KubeVersion } from '../../inventory/version.js';
import { cidrContains, cidrCovers, parseCidr, type IpAddress } from './cidr.js';
import {
  compilePolicy,
  endpointsOf,
  labelsKey,
  namespacesOf,
  NAMESPACE_NAME_LABEL,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledRule,
  type Endpoint,
  type EndpointPort,
  type NamespaceInfo,
  type PolicyProblem,
} from './model.js';
import { semanticsFor, type NetpolSemantics } from './versions.js';
import { addPorts, emptyPortSet, fullPortSet, intersectPorts, isEmptyPortSet, MAX_PORT, unionPorts, type PortSet, type Protocol } from './ports.js';

/** Label sets per graph stay below this, so a selector and a label set make one exact number key. */
const LABEL_ID_LIMIT = 2 ** 32;

const NO_POLICIES: CompiledPolicy[] = [];

/** A three-valued answer: no, cannot be decided from the input, yes. Ordered so max/min work. */
export const NO = 0;
export const UNKNOWN = 1;
export const YES = 2;
export type Tri = typeof NO | typeof UNKNOWN | typeof YES;

export function triToBoolean(t: Tri): boolean | null {
  return t === YES ? true : t === NO ? false : null;
}

/** A side of a connection: a pod or template, or an address outside the inventory. */
export type Party = { endpoint: Endpoint } | { ip: IpAddress; text: string };

export type Direction = 'ingress' | 'egress';

/** A concrete port and protocol, or "any": some port the rule allows on the destination. */
export type PortQuery = { port: number; protocol: Protocol } | 'any';

export interface DirectionVerdict {
  isolated: boolean;
  allowed: boolean | null;
  /** Policies whose rules allow the traffic. */
  policies: string[];
}

export interface ReachVerdict {
  allowed: boolean | null;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  /** Why an answer is unknown, and caveats (hostNetwork). */
  notes: string[];
}

interface TriSet {
  sure: Uint32Array;
  possible: Uint32Array;
}

export class NetpolGraph {
  readonly endpoints: Endpoint[];
  readonly namespaces: Map<string, NamespaceInfo>;
  readonly policies: CompiledPolicy[];
  readonly problems: PolicyProblem[] = [];
  private readonly policiesByNamespace = new Map<string, CompiledPolicy[]>();
  /** Built on the first lookup by id: the checks never look endpoints up by id. */
  private byId: Map<string, Endpoint> | undefined;
  private readonly endpointsByNamespace = new Map<string, Endpoint[]>();
  /** Each endpoint's label set by number. */
  private readonly endpointLabelIds: Int32Array;
  /** Selectors and label sets by number (equal JSON, equal number), so the match cache keys are numbers. */
  private readonly selectorIds = new WeakMap<object, number>();
  private readonly selectorIdsByKey = new Map<string, number>();
  private readonly labelIds = new Map<string, number>();
  private readonly selectorCache = new Map<number, boolean>();
  private readonly namespaceMatchCache = new Map<string, Tri>();
  /** policiesSelecting per endpoint, and per namespace and label set: the pods of a workload share theirs. */
  private readonly selectingCache: Record<Direction, (CompiledPolicy[] | undefined)[]> = { ingress: [], egress: [] };
  private readonly selectingByLabels: Record<Direction, Map<string, Map<number, CompiledPolicy[]>>> = { ingress: new Map(), egress: new Map() };
  private classCache: { classOf: Int32Array; representatives: Endpoint[]; byNamespace: Map<string, number[]> } | undefined;
  private namespaceReachCache: NamespaceReach | undefined;

  readonly semantics: NetpolSemantics;
  /** The address families of the pods whose IPs the input shows (empty: unknown). */
  private readonly podFamilies = new Set<4 | 6>();

  constructor(inventory: Inventory, options: { k8sVersion?: KubeVersion | undefined } = {}) {
    this.semantics = semanticsFor(options.k8sVersion);
    this.endpoints = endpointsOf(inventory);
    this.namespaces = namespacesOf(inventory, this.semantics);
    this.policies = inventory.ofKind('NetworkPolicy').map((item) => compilePolicy(item, this.problems, this.semantics));
    for (const policy of this.policies) {
      const list = this.policiesByNamespace.get(policy.namespace);
      if (list) list.push(policy);
      else this.policiesByNamespace.set(policy.namespace, [policy]);
    }
    for (const endpoint of this.endpoints) {
      if (!endpoint.hostNetwork) for (const ip of endpoint.ips) this.podFamilies.add(ip.family);
      const list = this.endpointsByNamespace.get(endpoint.namespace);
      if (list) list.push(endpoint);
      else this.endpointsByNamespace.set(endpoint.namespace, [endpoint]);
    }
    this.endpointLabelIds = Int32Array.from(this.endpoints, (e) => this.labelId(labelsKey(e.labels)));
  }

  /** An endpoint by "namespace/pod" or "namespace/kind/name". */
  findEndpoint(id: string): Endpoint | undefined {
    this.byId ??= new Map(this.endpoints.map((e) => [e.id, e]));
    return this.byId.get(id);
  }

  /** Endpoints of a namespace, in input order. */
  endpointsIn(namespace: string): Endpoint[] {
    return this.endpointsByNamespace.get(namespace) ?? [];
  }

  policiesInNamespace(namespace: string): CompiledPolicy[] {
    return this.policiesByNamespace.get(namespace) ?? [];
  }

  /** Policies that select the endpoint and govern the direction. */
  policiesSelecting(endpoint: Endpoint, direction: Direction): CompiledPolicy[] {
    const cache = this.selectingCache[direction];
    let list = cache[endpoint.index];
    if (!list) {
      const inNamespace = this.policiesByNamespace.get(endpoint.namespace);
      if (!inNamespace) list = NO_POLICIES;
      else {
        let byLabels = this.selectingByLabels[direction].get(endpoint.namespace);
        if (!byLabels) this.selectingByLabels[direction].set(endpoint.namespace, (byLabels = new Map()));
        const labelId = this.endpointLabelIds[endpoint.index]!;
        list = byLabels.get(labelId);
        if (!list) byLabels.set(labelId, (list = inNamespace.filter((p) => p[direction] !== undefined && selectorMatches(p.podSelector, endpoint.labels))));
      }
      cache[endpoint.index] = list;
    }
    return list;
  }

  /** Is the endpoint isolated for the direction (hostNetwork pods never are)? */
  isIsolated(endpoint: Endpoint, direction: Direction): boolean {
    return !endpoint.hostNetwork && this.policiesSelecting(endpoint, direction).length > 0;
  }

  private selectorId(selector: LabelSelector): number {
    let id = this.selectorIds.get(selector);
    if (id === undefined) {
      const key = JSON.stringify(selector);
      id = this.selectorIdsByKey.get(key);
      if (id === undefined) {
        id = this.selectorIdsByKey.size;
        this.selectorIdsByKey.set(key, id);
      }
      this.selectorIds.set(selector, id);
    }
    return id;
  }

  private labelId(key: string): number {
    let id = this.labelIds.get(key);
    if (id === undefined) {
      id = this.labelIds.size;
      this.labelIds.set(key, id);
    }
    return id;
  }

  /** Label selector match, cached per selector and label set. */
  selects(selector: LabelSelector, labels: Record<string, string>, key = labelsKey(labels)): boolean {
    return this.selectsLabelId(selector, labels, this.labelId(key));
  }

  private selectsLabelId(selector: LabelSelector, labels: Record<string, string>, labelId: number): boolean {
    const cacheKey = this.selectorId(selector) * LABEL_ID_LIMIT + labelId;
    let result = this.selectorCache.get(cacheKey);
    if (result === undefined) {
      result = selectorMatches(selector, labels);
      this.selectorCache.set(cacheKey, result);
    }
    return result;
  }

  /** Label selector match against an endpoint's labels. */
  private selectsEndpoint(selector: LabelSelector, endpoint: Endpoint): boolean {
    return this.selectsLabelId(selector, endpoint.labels, this.endpointLabelIds[endpoint.index]!);
  }

  /** Does a namespaceSelector select the namespace? Unknown when its labels are not in the input. */
  namespaceMatches(selector: LabelSelector, namespace: string, notes?: Set<string>): Tri {
    const cacheKey = `${this.selectorId(selector)}\u0001${namespace}`;
    let result = this.namespaceMatchCache.get(cacheKey);
    if (result === undefined) {
      const info = this.namespaces.get(namespace) ?? { name: namespace, labels: this.semantics.namespaceNameLabel ? { [NAMESPACE_NAME_LABEL]: namespace } : {}, labelsKnown: false };
      const matches = selectorMatches(selector, info.labels);
      // Without the Namespace object only the name label is known, and only where the API server sets it.
      const decidable = info.labelsKnown || isEmptySelector(selector) || (this.semantics.namespaceNameLabel && onlyNameLabel(selector));
      result = decidable ? (matches ? YES : NO) : UNKNOWN;
      this.namespaceMatchCache.set(cacheKey, result);
    }
    if (result === UNKNOWN) notes?.add(`namespace "${namespace}" has no Namespace object in the input, so its labels (other than ${NAMESPACE_NAME_LABEL}) are unknown`);
    return result;
  }

  /** Does a policy peer (of a policy in `policyNamespace`) match a party? */
  peerMatches(peer: CompiledPeer, policyNamespace: string, party: Party, notes?: Set<string>): Tri {
    if (peer.kind === 'invalid') return NO;
    if (peer.kind === 'ipBlock') {
      const ips = 'ip' in party ? [party.ip] : party.endpoint.ips;
      if (ips.length === 0) {
        // A pod's address is never link-local or loopback: a block holding every other address
        // of the family holds it, when the input shows which families pods get.
        if (holdsEveryPodAddress(peer) && this.podFamilies.size > 0) return this.podFamilies.has(peer.cidr.family) ? YES : NO;
        if ('endpoint' in party) notes?.add(`${party.endpoint.id} has no IP in the input (a template or a pending pod), so ipBlock ${peer.cidr.text} may or may not match it`);
        return UNKNOWN;
      }
      return ips.some((ip) => cidrContains(peer.cidr, ip) && !peer.except.some((e) => cidrContains(e, ip))) ? YES : NO;
    }
    if ('ip' in party) return NO;
    const endpoint = party.endpoint;
    const inNamespace = peer.namespaceSelector
      ? this.namespaceMatches(peer.namespaceSelector, endpoint.namespace, notes)
      : endpoint.namespace === policyNamespace ? YES : NO;
    if (inNamespace === NO) return NO;
    if (peer.podSelector && !this.selectsEndpoint(peer.podSelector, endpoint)) return NO;
    if (endpoint.hostNetwork) {
      notes?.add(`${endpoint.id} uses hostNetwork: its traffic carries the node's IP, and whether pod selectors match it depends on the CNI`);
      return UNKNOWN;
    }
    return inNamespace;
  }

  /** The best answer of any of a rule's peers. */
  private anyPeerMatches(peers: CompiledPeer[], policyNamespace: string, party: Party, notes?: Set<string>): Tri {
    if ('endpoint' in party && party.endpoint.ips.length === 0 && holdsEveryPodAddressOfBothFamilies(peers)) return YES;
    let best: Tri = NO;
    for (const peer of peers) {
      const match = this.peerMatches(peer, policyNamespace, party, notes);
      if (match === YES) return YES;
      if (match > best) best = match;
    }
    return best;
  }

  /** Do the rule's ports allow the query on a destination with these container ports? */
  portsMatch(rule: CompiledRule, destinationPorts: EndpointPort[] | undefined, query: PortQuery): boolean {
    if (!rule.ports) return true;
    return rule.ports.some((p) => {
      if (!p.protocol) return false;
      if (typeof p.port === 'string') {
        const named = p.port;
        const protocol = p.protocol;
        return (destinationPorts ?? []).some((c) => c.name === named && c.protocol === protocol && (query === 'any' || (c.port === query.port && c.protocol === query.protocol)));
      }
      if (query === 'any') return true;
      if (p.protocol !== query.protocol) return false;
      if (p.port === undefined) return true;
      return p.endPort !== undefined ? query.port >= p.port && query.port <= p.endPort : query.port === p.port;
    });
  }

  /** Every port and protocol the rule allows on a destination. */
  rulePorts(rule: CompiledRule, destinationPorts: EndpointPort[] | undefined): PortSet {
    if (!rule.ports) return fullPortSet();
    const set = emptyPortSet();
    for (const p of rule.ports) {
      if (!p.protocol) continue;
      if (p.port === undefined) addPorts(set, p.protocol, 1, MAX_PORT);
      else if (typeof p.port === 'number') addPorts(set, p.protocol, p.port, p.endPort ?? p.port);
      else for (const c of destinationPorts ?? []) if (c.name === p.port && c.protocol === p.protocol) addPorts(set, c.protocol, c.port, c.port);
    }
    return set;
  }

  /**
   * One direction, evaluated on `subject` (the source for egress, the destination for ingress)
   * against `peer` (the other side).
   */
  private direction(direction: Direction, subject: Endpoint, peer: Party, destinationPorts: EndpointPort[] | undefined, query: PortQuery, notes: Set<string>): { isolated: boolean; allowed: Tri; policies: string[] } {
    if (subject.hostNetwork) {
      notes.add(`${subject.id} uses hostNetwork: most CNIs do not apply NetworkPolicy to it, so it is treated as not isolated`);
      return { isolated: false, allowed: YES, policies: [] };
    }
    const policies = this.policiesSelecting(subject, direction);
    if (policies.length === 0) return { isolated: false, allowed: YES, policies: [] };
    let best: Tri = NO;
    const allowing: string[] = [];
    for (const policy of policies) {
      let policyBest: Tri = NO;
      for (const rule of policy[direction]!) {
        if (!this.portsMatch(rule, destinationPorts, query)) continue;
        const match = rule.peers ? this.anyPeerMatches(rule.peers, policy.namespace, peer, notes) : YES;
        if (match > policyBest) policyBest = match;
        if (policyBest === YES) break;
      }
      if (policyBest === YES) allowing.push(policy.name);
      if (policyBest > best) best = policyBest;
    }
    return { isolated: true, allowed: best, policies: allowing };
  }

  /** Is traffic from `source` to `destination` on the port allowed? */
  reach(source: Party, destination: Party, port: number, protocol: Protocol): ReachVerdict {
    const notes = new Set<string>();
    const query = { port, protocol };
    const destinationPorts = 'endpoint' in destination ? destination.endpoint.ports : undefined;
    const egress = 'endpoint' in source
      ? this.direction('egress', source.endpoint, destination, destinationPorts, query, notes)
      : { isolated: false, allowed: YES as Tri, policies: [] };
    const ingress = 'endpoint' in destination
      ? this.direction('ingress', destination.endpoint, source, destinationPorts, query, notes)
      : { isolated: false, allowed: YES as Tri, policies: [] };
    const allowed = Math.min(egress.allowed, ingress.allowed) as Tri;
    return {
      allowed: triToBoolean(allowed),
      egress: { isolated: egress.isolated, allowed: triToBoolean(egress.allowed), policies: egress.policies },
      ingress: { isolated: ingress.isolated, allowed: triToBoolean(ingress.allowed), policies: ingress.policies },
      // Caveats only matter when they could change the answer, or for hostNetwork pods.
      notes: [...notes].filter((n) => allowed === UNKNOWN || n.includes('hostNetwork')),
    };
  }

  /** The ports (per protocol) one direction allows between two endpoints: surely, and possibly. */
  private directionPorts(direction: Direction, subject: Endpoint, peer: Endpoint, destination: Endpoint): { sure: PortSet; possible: PortSet } {
    if (!this.isIsolated(subject, direction)) return { sure: fullPortSet(), possible: fullPortSet() };
    let sure = emptyPortSet();
    let possible = emptyPortSet();
    for (const policy of this.policiesSelecting(subject, direction)) {
      for (const rule of policy[direction]!) {
        const match = rule.peers ? this.anyPeerMatches(rule.peers, policy.namespace, { endpoint: peer }) : YES;
        if (match === NO) continue;
        const ports = this.rulePorts(rule, destination.ports);
        possible = unionPorts(possible, ports);
        if (match === YES) sure = unionPorts(sure, ports);
      }
    }
    return { sure, possible };
  }

  /** Every port on which `source` may reach `destination`, surely and possibly. */
  allowedPorts(source: Endpoint, destination: Endpoint): { sure: PortSet; possible: PortSet } {
    const egress = this.directionPorts('egress', source, destination, destination);
    const ingress = this.directionPorts('ingress', destination, source, destination);
    return { sure: intersectPorts(egress.sure, ingress.sure), possible: intersectPorts(egress.possible, ingress.possible) };
  }

  /** Can `source` reach `destination` on some port (of `protocol`, when given)? */
  reachesOnSomePort(source: Endpoint, destination: Endpoint, protocol?: Protocol): Tri {
    // Neither side isolated: every port of every protocol, without building the port sets.
    if (!this.isIsolated(source, 'egress') && !this.isIsolated(destination, 'ingress')) return YES;
    const ports = this.allowedPorts(source, destination);
    const some = (set: PortSet) => (protocol ? set[protocol].length > 0 : !isEmptyPortSet(set));
    return some(ports.sure) ? YES : some(ports.possible) ? UNKNOWN : NO;
  }

  /**
   * Endpoints that behave alike under every policy (same namespace, labels, hostNetwork,
   * container ports, and the same answers from every ipBlock) share a class, so matrices are
   * computed per class.
   */
  private classes(): { classOf: Int32Array; representatives: Endpoint[]; byNamespace: Map<string, number[]> } {
    if (this.classCache) return this.classCache;
    const ipBlocks = new Map<string, CompiledPeer & { kind: 'ipBlock' }>();
    for (const policy of this.policies) {
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        for (const peer of rule.peers ?? []) if (peer.kind === 'ipBlock') ipBlocks.set(peer.key, peer);
      }
    }
    const blocks = [...ipBlocks.values()];
    const classOf = new Int32Array(this.endpoints.length);
    const representatives: Endpoint[] = [];
    const byKey = new Map<string, number>();
    const byNamespace = new Map<string, number[]>();
    for (const endpoint of this.endpoints) {
      const ipSignature = blocks.map((b) => this.peerMatches(b, endpoint.namespace, { endpoint })).join('');
      const key = [endpoint.namespace, this.endpointLabelIds[endpoint.index], endpoint.hostNetwork, JSON.stringify(endpoint.ports), ipSignature].join('\u0000');
      let cls = byKey.get(key);
      if (cls === undefined) {
        cls = representatives.length;
        representatives.push(endpoint);
        byKey.set(key, cls);
        const list = byNamespace.get(endpoint.namespace);
        if (list) list.push(cls);
        else byNamespace.set(endpoint.namespace, [cls]);
      }
      classOf[endpoint.index] = cls;
    }
    this.classCache = { classOf, representatives, byNamespace };
    return this.classCache;
  }

  /**
   * The namespaces a direction of an endpoint's policies may let it talk to (ports aside): every
   * namespace, or these. An over-approximation: pairs outside it are surely denied.
   */
  private peerNamespaces(endpoint: Endpoint, direction: Direction, namespaces: string[], selected: Map<string, Set<string>>): 'all' | Set<string> {
    if (!this.isIsolated(endpoint, direction)) return 'all';
    const out = new Set<string>();
    for (const policy of this.policiesSelecting(endpoint, direction)) {
      for (const rule of policy[direction]!) {
        if (!rule.peers) return 'all';
        for (const peer of rule.peers) {
          if (peer.kind === 'invalid') continue;
          if (peer.kind === 'ipBlock') return 'all';
          if (!peer.namespaceSelector) {
            out.add(policy.namespace);
            continue;
          }
          if (isEmptySelector(peer.namespaceSelector)) return 'all';
          let matching = selected.get(peer.key);
          if (!matching) {
            const selector = peer.namespaceSelector;
            matching = new Set(namespaces.filter((ns) => this.namespaceMatches(selector, ns) !== NO));
            selected.set(peer.key, matching);
          }
          for (const ns of matching) out.add(ns);
        }
      }
    }
    return out;
  }

  /**
   * Namespace-level reachability on some port, without a class x class matrix: each class lists
   * the namespaces its policies may allow, so a pair of namespaces only looks at the classes that
   * may talk to each other (linear in endpoints when policies name their peers).
   */
  namespaceReach(): NamespaceReach {
    if (this.namespaceReachCache) return this.namespaceReachCache;
    const { representatives, byNamespace } = this.classes();
    const namespaces = [...byNamespace.keys()];
    const selected = new Map<string, Set<string>>();
    const index = (direction: Direction): Map<string, NamespacePeers> => {
      const out = new Map<string, NamespacePeers>();
      for (const [namespace, classes] of byNamespace) {
        const peers: NamespacePeers = { open: [], toward: new Map(), unisolated: false };
        for (const cls of classes) {
          if (!this.isIsolated(representatives[cls]!, direction)) peers.unisolated = true;
          const allowed = this.peerNamespaces(representatives[cls]!, direction, namespaces, selected);
          if (allowed === 'all') peers.open.push(cls);
          else {
            for (const ns of allowed) {
              const list = peers.toward.get(ns);
              if (list) list.push(cls);
              else peers.toward.set(ns, [cls]);
            }
          }
        }
        out.set(namespace, peers);
      }
      return out;
    };
    this.namespaceReachCache = new NamespaceReach(representatives, index('egress'), index('ingress'), (s, d) => this.reachesOnSomePort(s, d));
    return this.namespaceReachCache;
  }

  /**
   * Reachability between every pair of endpoints for one port query, as bitsets per class. With
   * "any", a pair is a candidate when each side allows some port: callers confirm candidates
   * with reachesOnSomePort, which intersects the exact port sets.
   */
  matrix(query: PortQuery): ReachMatrix {
    const { classOf, representatives, byNamespace } = this.classes();
    const count = representatives.length;
    const words = Math.ceil(count / 32);
    const all: TriSet = { sure: fullBits(count, words), possible: fullBits(count, words) };
    const peerSets = new Map<string, TriSet>();
    const peerSet = (peer: CompiledPeer, policyNamespace: string): TriSet => {
      // Only a podSelector without namespaceSelector depends on the policy's namespace.
      const key = peer.kind === 'selector' && !peer.namespaceSelector ? `${policyNamespace}\u0000${peer.key}` : peer.key;
      let set = peerSets.get(key);
      if (set) return set;
      set = { sure: new Uint32Array(words), possible: new Uint32Array(words) };
      let candidates: number[];
      if (peer.kind === 'invalid') candidates = [];
      else if (peer.kind === 'ipBlock') candidates = representatives.map((_, i) => i);
      else if (!peer.namespaceSelector) candidates = byNamespace.get(policyNamespace) ?? [];
      else {
        candidates = [];
        for (const [ns, list] of byNamespace) if (this.namespaceMatches(peer.namespaceSelector, ns) !== NO) for (const cls of list) candidates.push(cls);
      }
      for (const cls of candidates) {
        const match = this.peerMatches(peer, policyNamespace, { endpoint: representatives[cls]! });
        if (match !== NO) setBit(set.possible, cls);
        if (match === YES) setBit(set.sure, cls);
      }
      peerSets.set(key, set);
      return set;
    };
    const ipless = representatives.map((e, i) => (e.ips.length === 0 ? i : -1)).filter((i) => i >= 0);
    const rulePeers = (rule: CompiledRule, policyNamespace: string): TriSet => {
      if (!rule.peers) return all;
      if (rule.peers.length === 1) return peerSet(rule.peers[0]!, policyNamespace);
      const out: TriSet = { sure: new Uint32Array(words), possible: new Uint32Array(words) };
      for (const peer of rule.peers) orInto(out, peerSet(peer, policyNamespace));
      // As anyPeerMatches: blocks holding every pod address of both families hold every IP-less endpoint.
      if (holdsEveryPodAddressOfBothFamilies(rule.peers)) {
        for (const cls of ipless) {
          setBit(out.sure, cls);
          setBit(out.possible, cls);
        }
      }
      return out;
    };

    const egress: TriSet[] = [];
    const ingress: TriSet[] = [];
    for (const rep of representatives) {
      if (!this.isIsolated(rep, 'egress')) egress.push(all);
      else {
        const row: TriSet = { sure: new Uint32Array(words), possible: new Uint32Array(words) };
        for (const policy of this.policiesSelecting(rep, 'egress')) {
          for (const rule of policy.egress!) {
            if (!rule.named && !this.portsMatch(rule, undefined, query)) continue;
            const peers = rulePeers(rule, policy.namespace);
            if (!rule.named) {
              orInto(row, peers);
              continue;
            }
            // A named port resolves per destination: keep the destinations where it does.
            for (let cls = 0; cls < count; cls++) {
              if (!hasBit(peers.possible, cls) || !this.portsMatch(rule, representatives[cls]!.ports, query)) continue;
              setBit(row.possible, cls);
              if (hasBit(peers.sure, cls)) setBit(row.sure, cls);
            }
          }
        }
        egress.push(row);
      }
      if (!this.isIsolated(rep, 'ingress')) ingress.push(all);
      else {
        const row: TriSet = { sure: new Uint32Array(words), possible: new Uint32Array(words) };
        for (const policy of this.policiesSelecting(rep, 'ingress')) {
          for (const rule of policy.ingress!) {
            if (this.portsMatch(rule, rep.ports, query)) orInto(row, rulePeers(rule, policy.namespace));
          }
        }
        ingress.push(row);
      }
    }
    return new ReachMatrix(classOf, representatives, byNamespace, egress, ingress);
  }
}

/** Reachability between classes of endpoints for one port query. */
export class ReachMatrix {
  private readonly confirmed = new Map<number, Tri>();

  constructor(
    private readonly classOf: Int32Array,
    private readonly representatives: Endpoint[],
    private readonly classesByNamespace: Map<string, number[]>,
    private readonly egress: TriSet[],
    private readonly ingress: TriSet[],
  ) {}

  private betweenClasses(source: number, destination: number): Tri {
    const e = this.egress[source]!;
    const i = this.ingress[destination]!;
    if (hasBit(e.sure, destination) && hasBit(i.sure, source)) return YES;
    if (hasBit(e.possible, destination) && hasBit(i.possible, source)) return UNKNOWN;
    return NO;
  }

  /**
   * Can `source` reach `destination`? With `confirm`, a candidate pair is decided by it, once
   * per pair of classes.
   */
  between(source: Endpoint, destination: Endpoint, confirm?: (source: Endpoint, destination: Endpoint) => Tri): Tri {
    const s = this.classOf[source.index]!;
    const d = this.classOf[destination.index]!;
    const candidate = this.betweenClasses(s, d);
    if (candidate === NO || !confirm) return candidate;
    const key = s * this.representatives.length + d;
    let confirmed = this.confirmed.get(key);
    if (confirmed === undefined) {
      confirmed = confirm(this.representatives[s]!, this.representatives[d]!);
      this.confirmed.set(key, confirmed);
    }
    return confirmed;
  }

  /**
   * Can some endpoint of namespace `source` reach some endpoint of namespace `destination`?
   * With `confirm`, each candidate pair of class representatives is decided by it (the exact
   * port intersection for "any" matrices).
   */
  betweenNamespaces(source: string, destination: string, confirm?: (source: Endpoint, destination: Endpoint) => Tri): Tri {
    let best: Tri = NO;
    for (const s of this.classesByNamespace.get(source) ?? []) {
      for (const d of this.classesByNamespace.get(destination) ?? []) {
        let t = this.betweenClasses(s, d);
        if (t !== NO && confirm) t = confirm(this.representatives[s]!, this.representatives[d]!);
        if (t === YES) return YES;
        if (t > best) best = t;
      }
    }
    return best;
  }
}

/** The classes of a namespace whose policies may allow every namespace, and those that name namespaces. */
interface NamespacePeers {
  open: number[];
  toward: Map<string, number[]>;
  /** Some class no policy isolates for the direction: it allows every port to or from anywhere. */
  unisolated: boolean;
}

/** Can some endpoint of one namespace reach some endpoint of another on some port? */
export class NamespaceReach {
  constructor(
    private readonly representatives: Endpoint[],
    private readonly egress: Map<string, NamespacePeers>,
    private readonly ingress: Map<string, NamespacePeers>,
    private readonly reachesOnSomePort: (source: Endpoint, destination: Endpoint) => Tri,
  ) {}

  /** The best answer over the pairs of classes whose policies may let them talk, decided exactly. */
  between(source: string, destination: string): Tri {
    const egress = this.egress.get(source);
    const ingress = this.ingress.get(destination);
    if (!egress || !ingress) return NO;
    if (egress.unisolated && ingress.unisolated) return YES;
    const sources = [egress.open, egress.toward.get(destination) ?? NONE];
    const destinations = [ingress.open, ingress.toward.get(source) ?? NONE];
    if (sources.every((l) => l.length === 0) || destinations.every((l) => l.length === 0)) return NO;
    let best: Tri = NO;
    for (const list of sources) {
      for (const s of list) {
        for (const other of destinations) {
          for (const d of other) {
            const t = this.reachesOnSomePort(this.representatives[s]!, this.representatives[d]!);
            if (t === YES) return YES;
            if (t > best) best = t;
          }
        }
      }
    }
    return best;
  }

  /**
   * Does some endpoint of the namespace go unisolated for the direction? Such a source reaches
   * every such destination: callers can skip those pairs, between() answers YES for them.
   */
  unisolated(namespace: string, direction: Direction): boolean {
    return (direction === 'egress' ? this.egress : this.ingress).get(namespace)?.unisolated ?? false;
  }
}

const NONE: number[] = [];

/** Addresses no pod gets: link-local and loopback, IPv4 and IPv6. */
const NEVER_POD_ADDRESSES = ['169.254.0.0/16', '127.0.0.0/8', 'fe80::/10', '::1/128'].map((text) => parseCidr(text)!);

/** Does an ipBlock hold every address a pod of its family can have (all but link-local and loopback)? */
function holdsEveryPodAddress(peer: CompiledPeer & { kind: 'ipBlock' }): boolean {
  return peer.cidr.prefix === 0 && peer.except.every((e) => NEVER_POD_ADDRESSES.some((never) => cidrCovers(never, e)));
}

function holdsEveryPodAddressOfBothFamilies(peers: CompiledPeer[]): boolean {
  const families = new Set(peers.flatMap((p) => (p.kind === 'ipBlock' && holdsEveryPodAddress(p) ? [p.cidr.family] : [])));
  return families.size === 2;
}

function onlyNameLabel(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).every((k) => k === NAMESPACE_NAME_LABEL) && (selector.matchExpressions ?? []).every((e) => e.key === NAMESPACE_NAME_LABEL);
}

function fullBits(count: number, words: number): Uint32Array {
  const bits = new Uint32Array(words).fill(0xffffffff);
  if (count % 32 !== 0) bits[words - 1] = (1 << (count % 32)) - 1;
  return bits;
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >>> 5]! |= 1 << (i & 31);
}

function hasBit(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

function orInto(target: TriSet, source: TriSet): void {
  for (let w = 0; w < target.sure.length; w++) {
    target.sure[w]! |= source.sure[w]!;
    target.possible[w]! |= source.possible[w]!;
  }
}

export interface MatrixOptions {
  /** A port (with protocol, default TCP); without it a cell asks "on some port" (of the protocol, if given). */
  port?: number;
  protocol?: Protocol;
  /** Only these namespaces (all namespaces with endpoints when empty). */
  namespaces?: string[];
  /** Pod x pod instead of namespace x namespace. */
  pods?: boolean;
}

export interface ReachabilityTable {
  port: number | null;
  protocol: Protocol | null;
  /** Sources: namespaces, or endpoint ids with pods. */
  rows: string[];
  /** Destinations, same names as rows. */
  cols: string[];
  /** allowed[row][col]; null when the input cannot decide. */
  allowed: (boolean | null)[][];
}

/**
 * Namespace x namespace (some pod of the row namespace can reach some pod of the column
 * namespace) or pod x pod reachability.
 */
export function reachabilityTable(graph: NetpolGraph, options: MatrixOptions): ReachabilityTable {
  const wanted = new Set(options.namespaces ?? []);
  const endpoints = graph.endpoints.filter((e) => wanted.size === 0 || wanted.has(e.namespace));
  const namespaces = [...new Set(endpoints.map((e) => e.namespace))].sort();
  const protocol = options.port !== undefined ? (options.protocol ?? 'TCP') : options.protocol;
  const matrix = graph.matrix(options.port !== undefined ? { port: options.port, protocol: protocol! } : 'any');
  // With no port, the class matrix only proposes candidates; the exact port sets decide.
  const confirm = options.port === undefined ? (s: Endpoint, d: Endpoint) => graph.reachesOnSomePort(s, d, protocol) : undefined;
  let rows: string[];
  let allowed: Tri[][];
  if (options.pods) {
    rows = endpoints.map((e) => e.id);
    allowed = endpoints.map((s) => endpoints.map((d) => matrix.between(s, d, confirm)));
  } else {
    rows = namespaces;
    allowed = rows.map((source) => rows.map((destination) => matrix.betweenNamespaces(source, destination, confirm)));
  }
  return { port: options.port ?? null, protocol: protocol ?? null, rows, cols: rows, allowed: allowed.map((r) => r.map(triToBoolean)) };
}
