// The Pod Security Standards engine: upstream's checks and versions, evaluation, messages,
// namespace policies.
//
// Every check's reason and detail was last compared with kubernetes/kubernetes
// staging/src/k8s.io/pod-security-admission/policy at e8bd3f629d435797c586726d3b76fd90d7b5bf08
// (PR #132157, "drop UserNamespacesPodSecurityStandards feature gate", merged for 1.35; its exact
// date is not on record here, kubernetes#135305 cites it on 2025-11-14), the newest master commit
// the reference index holds; upstream.test.ts runs upstream's unit-test vectors.

export * from './types.js';
export { DEFAULT_CHECKS, DEFAULT_REGISTRY, buildRegistry, validateChecks, type CheckRegistry, type PlannedCheck } from './registry.js';
export { evaluatePlan, evaluatePod, planFor } from './evaluate.js';
export { denialMessage, forbiddenDetail, forbiddenReason, formatLevelVersion, formatVersion } from './format.js';
export { LATEST, parseLevel, parseVersion, policyVersion } from './version.js';
export * from './namespace.js';
export * from './workloads.js';
