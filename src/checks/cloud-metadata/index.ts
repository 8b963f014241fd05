// Checks of section cloud-metadata. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import hostNetworkPodOutsideSystemNamespace from './host-network-pod-outside-system-namespace.js';
import podCanReachCloudMetadata from './pod-can-reach-cloud-metadata.js';

export const checks: Check[] = [podCanReachCloudMetadata, hostNetworkPodOutsideSystemNamespace];
