import { defineCheck, fail, pass } from '../define.js';
import { GOOD_POLICY_RULES, ROTATED_LOG_FLAGS, auditExample, forEachAuditPolicy, levelFor, ruleSubject, type RequestAttributes } from './audit-policy.js';
import { AUDIT_POLICY_FIX } from '../../fix/node-fixes.js';

/** Requests no policy names, from a signed-in user and from an anonymous client: a policy without a catch-all lets some of them through unaudited. */
const IDENTITIES = [
  { who: 'a signed-in user', user: 'kubeward:any-user', groups: ['system:authenticated'] },
  { who: 'an anonymous client', user: 'system:anonymous', groups: ['system:unauthenticated'] },
];
const PROBES: { label: string; attrs: RequestAttributes }[] = IDENTITIES.flatMap(({ who, user, groups }) => [
  {
    label: `a request by ${who} to a resource the policy does not name (create widgets.kubeward.example.com)`,
    attrs: { user, groups, verb: 'create', resourceRequest: true, apiGroup: 'kubeward.example.com', resource: 'widgets', subresource: '', namespace: 'kubeward-any-namespace', name: 'kubeward-any-name', path: '' },
  },
  {
    label: `a non-resource request by ${who} (GET /kubeward-any-path)`,
    attrs: { user, groups, verb: 'get', resourceRequest: false, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path: '/kubeward-any-path' },
  },
]);

export default defineCheck({
  id: 'audit-policy-without-catch-all',
  section: 'audit-logging',
  severity: 'medium',
  title: 'The audit policy has no catch-all rule',
  docs: {
    what: 'Reports audit policies under which some requests match no rule: kube-apiserver does not audit a request that no rule matches. kubeward probes the policy with requests it cannot name (an unknown API group, a non-resource path) the way the API server evaluates them.',
    why: 'A policy that only lists what its author thought of leaves everything else unrecorded: new APIs, custom resources, webhooks and aggregated APIs are exactly where an attacker goes unnoticed. A final rule without conditions (usually level Metadata) makes every request leave a trace.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy',
    ],
  },
  remediation: `End the policy with a rule that matches everything:

- level: Metadata
  omitStages: ["RequestReceived"]`,
  *evaluate(ctx) {
    yield* forEachAuditPolicy(ctx, function* ({ policy }) {
      const rules = policy.object.rules ?? [];
      const missed = PROBES.filter((p) => levelFor(rules, p.attrs).rule === undefined);
      if (missed.length === 0) yield pass(ruleSubject(policy));
      else yield fail(ruleSubject(policy), `the audit policy has no catch-all rule: ${missed.map((m) => m.label).join('; ')} ${missed.length > 1 ? 'match' : 'matches'} no rule and would not be audited`);
    });
  },
  examples: {
    fail: [
      auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  resources:
  - group: ""
    resources: ["secrets"]`),
      {
        description: 'a last rule for signed-in users only leaves anonymous requests unaudited',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  userGroups: ["system:authenticated"]`),
      },
      {
        description: 'resource rules for some groups and every non-resource URL still leave other groups out',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  resources:
  - group: ""
  - group: apps
- level: Metadata
  nonResourceURLs: ["*"]`),
      },
    ],
    pass: [
      auditExample(ROTATED_LOG_FLAGS, GOOD_POLICY_RULES),
      {
        description: 'a last rule for signed-in and anonymous users alike',
        yaml: auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  userGroups: ["system:authenticated", "system:unauthenticated"]`),
      },
      auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  resources:
  - group: ""
    resources: ["secrets"]
- level: None`),
    ],
  },
  fix: AUDIT_POLICY_FIX,
});
