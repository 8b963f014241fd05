import { defineCheck, fail, pass } from '../define.js';
import { GOOD_POLICY_RULES, ROTATED_LOG_FLAGS, auditExample, describeRule, forEachAuditPolicy, ruleSubject, shadowedRules } from './audit-policy.js';
import { AUDIT_POLICY_FIX } from '../../fix/node-fixes.js';

/** Shadowed rules named in one finding; a generated policy can shadow thousands. */
const LISTED = 10;

export default defineCheck({
  id: 'audit-rule-shadowed',
  section: 'audit-logging',
  severity: 'medium',
  title: 'Audit policy rules are never reached (shadowed by an earlier, broader rule)',
  docs: {
    what: 'Reports audit policy rules that can never apply because an earlier rule matches every request they match (same or wider users, groups, verbs, namespaces, resources and URLs): the API server uses the first matching rule only.',
    why: 'A shadowed rule is an intention the cluster does not carry out: the Metadata rule meant to keep Secret values out of the log, or the None rule meant to cut noise, does nothing because a broader rule above it already decided. The log then holds what its author believed it did not, or misses what they believed it kept.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy',
    ],
  },
  remediation: `Order rules from the most specific to the most general: exclusions and credential-bearing resources first, the catch-all last. Move each reported rule above the rule that shadows it, or delete it.`,
  *evaluate(ctx) {
    yield* forEachAuditPolicy(ctx, function* ({ policy }) {
      const rules = policy.object.rules ?? [];
      const shadowed = shadowedRules(rules);
      if (shadowed.length === 0) {
        yield pass(ruleSubject(policy));
        return;
      }
      yield fail(
        ruleSubject(policy, shadowed[0]!.rule),
        `the audit policy never reaches ${shadowed.slice(0, LISTED).map((s) => `${describeRule(rules, s.rule)}, shadowed by ${describeRule(rules, s.by)}`).join('; ')}${shadowed.length > LISTED ? `; and ${shadowed.length - LISTED} more rules` : ''}`,
        { field: `rules[${shadowed[0]!.rule}]` },
      );
    });
  },
  examples: {
    fail: [
      auditExample(ROTATED_LOG_FLAGS, `- level: RequestResponse
- level: None
  resources:
  - group: ""
    resources: ["events"]`),
      {
        description: 'a rule for pods/log behind a rule for every pods subresource',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: Request
  resources:
  - group: ""
    resources: ["pods/*"]
- level: None
  verbs: ["get"]
  resources:
  - group: ""
    resources: ["pods/log"]
- level: Metadata`),
      },
    ],
    pass: [
      auditExample(ROTATED_LOG_FLAGS, GOOD_POLICY_RULES),
      {
        description: 'a narrower rule placed before the broader one',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: None
  verbs: ["get"]
  resources:
  - group: ""
    resources: ["pods/log"]
- level: Request
  resources:
  - group: ""
    resources: ["pods/*"]
- level: Metadata`),
      },
    ],
  },
  fix: AUDIT_POLICY_FIX,
});
