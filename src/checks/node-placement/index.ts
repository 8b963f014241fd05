// Checks of section node-placement. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import namespaceNodeSelectorWithoutAdmissionPlugin from './namespace-node-selector-without-admission-plugin.js';
import podNodeSelectorConflictsWithNamespace from './pod-node-selector-conflicts-with-namespace.js';
import podSetsNodeName from './pod-sets-node-name.js';
import podToleratesControlPlaneOrAllTaints from './pod-tolerates-control-plane-or-all-taints.js';

export const checks: Check[] = [
  podToleratesControlPlaneOrAllTaints,
  podSetsNodeName,
  namespaceNodeSelectorWithoutAdmissionPlugin,
  podNodeSelectorConflictsWithNamespace,
];
