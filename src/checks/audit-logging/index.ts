// Checks of section audit-logging. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import auditLoggingDisabled from './audit-logging-disabled.js';
import auditLogWithoutRotation from './audit-log-without-rotation.js';
import auditPolicyLogsSensitiveBodies from './audit-policy-logs-sensitive-bodies.js';
import auditPolicyWithoutCatchAll from './audit-policy-without-catch-all.js';
import auditRuleShadowed from './audit-rule-shadowed.js';
import kubeletEventQpsInvalid from './kubelet-event-qps-invalid.js';

export const checks: Check[] = [auditLoggingDisabled, auditLogWithoutRotation, auditPolicyLogsSensitiveBodies, auditPolicyWithoutCatchAll, auditRuleShadowed, kubeletEventQpsInvalid];
