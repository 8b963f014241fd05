// Checks of section security-updates. Each check is one module beside this file; list it here.
import kubernetesVersionEndOfLife from './kubernetes-version-end-of-life.js';
import kubernetesPatchOutdated from './kubernetes-patch-outdated.js';
import kubeletVersionSkewUnsupported from './kubelet-version-skew-unsupported.js';
import kubernetesVersionWithKnownCve from './kubernetes-version-with-known-cve.js';
import type { Check } from '../types.js';

export const checks: Check[] = [
  kubernetesVersionEndOfLife,
  kubernetesPatchOutdated,
  kubeletVersionSkewUnsupported,
  kubernetesVersionWithKnownCve,
];
