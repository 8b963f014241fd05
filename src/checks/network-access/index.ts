// Checks of section network-access. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import allowAllRuleUndoesDefaultDeny from './allow-all-rule-undoes-default-deny.js';
import cniConfigPermissions from './cni-config-permissions.js';
import apiserverDenyServiceExternalIpsDisabled from './apiserver-deny-service-external-ips-disabled.js';
import namespacePodsNotIsolatedForEgress from './namespace-pods-not-isolated-for-egress.js';
import namespacePodsNotIsolatedForIngress from './namespace-pods-not-isolated-for-ingress.js';
import namespaceReachableFromEveryNamespace from './namespace-reachable-from-every-namespace.js';
import namespaceWithoutNetworkPolicy from './namespace-without-network-policy.js';
import networkPolicySelectsNothing from './network-policy-selects-nothing.js';
import serviceExposedOutsideCluster from './service-exposed-outside-cluster.js';
import serviceExposureNotCappedByQuota from './service-exposure-not-capped-by-quota.js';
import kubeletIptablesUtilChainsDisabled from './kubelet-iptables-util-chains-disabled.js';

export const checks: Check[] = [
  namespacePodsNotIsolatedForIngress,
  namespacePodsNotIsolatedForEgress,
  namespaceReachableFromEveryNamespace,
  namespaceWithoutNetworkPolicy,
  allowAllRuleUndoesDefaultDeny,
  networkPolicySelectsNothing,
  serviceExposedOutsideCluster,
  serviceExposureNotCappedByQuota,
  apiserverDenyServiceExternalIpsDisabled,
  kubeletIptablesUtilChainsDisabled,
  cniConfigPermissions,
];
