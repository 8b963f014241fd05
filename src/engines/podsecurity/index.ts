// The Pod Security Standards engine: upstream's checks and versions, evaluation, messages,
// namespace policies.

export * from './types.js';
export { DEFAULT_CHECKS, DEFAULT_REGISTRY, buildRegistry, validateChecks, type CheckRegistry, type PlannedCheck } from './registry.js';
export { evaluatePlan, evaluatePod, planFor } from './evaluate.js';
export { denialMessage, forbiddenDetail, forbiddenReason, formatLevelVersion, formatVersion } from './format.js';
export { LATEST, parseLevel, parseVersion, policyVersion } from './version.js';
export * from './namespace.js';
export * from './workloads.js';
