// Checks of section resource-quota. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import containerResourcesNotBounded from './container-resources-not-bounded.js';
import namespaceWithoutResourceQuota from './namespace-without-resource-quota.js';
import resourceQuotaCapsNoCompute from './resource-quota-caps-no-compute.js';

export const checks: Check[] = [namespaceWithoutResourceQuota, resourceQuotaCapsNoCompute, containerResourcesNotBounded];
