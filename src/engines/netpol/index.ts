// The NetworkPolicy engine: build once per inventory, then ask reach / matrix questions.
export { NetpolGraph, ReachMatrix, NamespaceReach, reachabilityTable, type MatrixOptions, type ReachabilityTable, NO, UNKNOWN, YES, triToBoolean, type Tri, type Party, type PortQuery, type ReachVerdict, type DirectionVerdict, type Direction } from './engine.js';
export { parseIp, parseCidr, cidrContains, cidrCovers, type IpAddress, type Cidr } from './cidr.js';
export { PROTOCOLS, parseProtocol, describePorts, type Protocol, type PortSet } from './ports.js';
export { effectivePolicyTypes, NAMESPACE_NAME_LABEL, type Endpoint, type CompiledPolicy, type CompiledRule, type CompiledPeer, type NamespaceInfo, type PolicyProblem } from './model.js';
export { semanticsFor, type NetpolSemantics } from './versions.js';
