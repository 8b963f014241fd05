// Checks of section resource-quota. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import namespaceWithoutResourceQuota from './namespace-without-resource-quota.js';

export const checks: Check[] = [namespaceWithoutResourceQuota];
