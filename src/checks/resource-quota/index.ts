// Checks of section resource-quota. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import apiserverEventRateLimitDisabled from './apiserver-event-rate-limit-disabled.js';
import containerResourcesNotBounded from './container-resources-not-bounded.js';
import controllerManagerTerminatedPodGcUnset from './controller-manager-terminated-pod-gc-unset.js';
import namespaceWithoutResourceQuota from './namespace-without-resource-quota.js';
import resourceQuotaCapsNoCompute from './resource-quota-caps-no-compute.js';
import kubeletPodPidsUnlimited from './kubelet-pod-pids-unlimited.js';

export const checks: Check[] = [namespaceWithoutResourceQuota, resourceQuotaCapsNoCompute, containerResourcesNotBounded, apiserverEventRateLimitDisabled, kubeletPodPidsUnlimited, controllerManagerTerminatedPodGcUnset];
