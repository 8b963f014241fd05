// Checks of section pod-privileges. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import containerRuntimeSocketMounted from './container-runtime-socket-mounted.js';
import namespaceWithoutPodSecurityEnforcement from './namespace-without-pod-security-enforcement.js';
import permissivePodSecurityPolicy from './permissive-pod-security-policy.js';
import podViolatesBaselinePodSecurity from './pod-violates-baseline-pod-security.js';
import podViolatesRestrictedPodSecurity from './pod-violates-restricted-pod-security.js';
import serviceAccountTokenAutomounted from './service-account-token-automounted.js';
import defaultServiceaccountAutomountsToken from './default-serviceaccount-automounts-token.js';
import writableSensitiveHostPath from './writable-sensitive-host-path.js';
import kubeletSeccompDefaultDisabled from './kubelet-seccomp-default-disabled.js';

export const checks: Check[] = [
  podViolatesBaselinePodSecurity,
  podViolatesRestrictedPodSecurity,
  namespaceWithoutPodSecurityEnforcement,
  containerRuntimeSocketMounted,
  writableSensitiveHostPath,
  serviceAccountTokenAutomounted,
  defaultServiceaccountAutomountsToken,
  permissivePodSecurityPolicy,
  kubeletSeccompDefaultDisabled,
];
