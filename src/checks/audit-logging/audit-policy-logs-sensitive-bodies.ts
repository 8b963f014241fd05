import { defineCheck, fail, pass } from '../define.js';
import { GOOD_POLICY_RULES, ROTATED_LOG_FLAGS, SENSITIVE_RESOURCES, auditExample, describeRule, forEachAuditPolicy, highestLevelFor, levelRank, ruleSubject } from './audit-policy.js';
import { AUDIT_POLICY_FIX } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'audit-policy-logs-sensitive-bodies',
  section: 'audit-logging',
  severity: 'high',
  title: 'The audit policy writes Secrets, ConfigMaps or tokens into the audit log',
  docs: {
    what: 'Evaluates the audit policy as kube-apiserver does (first matching rule wins) and reports it when some request to secrets, configmaps, tokenreviews or serviceaccounts/token can be logged at level Request or RequestResponse, naming the rule that does it.',
    why: 'At Request and RequestResponse the audit event carries the request and response bodies: every Secret value read or written, every service account token issued, every bearer token sent for review. The audit log then holds the cluster\'s credentials in clear text, readable by whoever can read the log or the system it is shipped to.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy',
    ],
  },
  // CIS 3.2.2 asks more than this (pod changes, exec and proxy use, ...): a policy that logs
  // credential bodies fails it; one that does not leaves the rest to a person.
  cis: { '1.12': ['3.2.2'] },
  remediation: `Put a Metadata rule for the credential-bearing resources before any broader rule:

- level: Metadata
  resources:
  - group: ""
    resources: ["secrets", "configmaps", "serviceaccounts/token"]
  - group: authentication.k8s.io
    resources: ["tokenreviews"]`,
  *evaluate(ctx) {
    yield* forEachAuditPolicy(ctx, function* ({ policy }) {
      const rules = policy.object.rules ?? [];
      const leaks = SENSITIVE_RESOURCES.map((target) => ({ target, ...highestLevelFor(rules, target) })).filter((l) => levelRank(l.level) > levelRank('Metadata'));
      if (leaks.length === 0) {
        yield pass(ruleSubject(policy), { cis: { '1.12': { '3.2.2': 'not-evaluated' } }, cisNote: 'the policy keeps credentials out of the log; whether it covers the other concerns of CIS 3.2.2 (pod changes, exec, port-forward and proxy use) is for a person to judge' });
        return;
      }
      const first = Math.min(...leaks.map((l) => l.rule!));
      const byRule = new Map<number, string[]>();
      for (const l of leaks) byRule.set(l.rule!, [...(byRule.get(l.rule!) ?? []), l.target.label]);
      const parts = [...byRule].sort(([a], [b]) => a - b).map(([rule, labels]) => `${labels.join(', ')} by ${describeRule(rules, rule)}`);
      yield fail(ruleSubject(policy, first), `the audit policy logs the bodies of ${parts.join('; ')}`, { field: `rules[${first}]` });
    });
  },
  examples: {
    fail: [
      auditExample(ROTATED_LOG_FLAGS, '- level: RequestResponse'),
      {
        description: 'a Metadata rule for secrets that comes after a broader Request rule for writes',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: Request
  verbs: ["create", "update"]
- level: Metadata
  resources:
  - group: ""
    resources: ["secrets", "configmaps"]
- level: Metadata`),
      },
    ],
    pass: [auditExample(ROTATED_LOG_FLAGS, GOOD_POLICY_RULES)],
  },
  fix: AUDIT_POLICY_FIX,
});
