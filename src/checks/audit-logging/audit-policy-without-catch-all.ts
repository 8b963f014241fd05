import { defineCheck, fail, pass } from '../define.js';
import { GOOD_POLICY_RULES, ROTATED_LOG_FLAGS, auditExample, forEachAuditPolicy, levelFor, ruleSubject, type RequestAttributes } from './audit-policy.js';

/** Requests no policy names: a policy without a catch-all lets at least one of them through unaudited. */
const PROBES: { label: string; attrs: RequestAttributes }[] = [
  {
    label: 'a request to a resource the policy does not name (e.g. create widgets.example.com)',
    attrs: { user: 'kubeward:any-user', groups: ['system:authenticated'], verb: 'create', resourceRequest: true, apiGroup: 'kubeward.example.com', resource: 'widgets', subresource: '', namespace: 'kubeward-any-namespace', name: 'kubeward-any-name', path: '' },
  },
  {
    label: 'a non-resource request (e.g. GET /apis)',
    attrs: { user: 'kubeward:any-user', groups: ['system:authenticated'], verb: 'get', resourceRequest: false, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path: '/kubeward-any-path' },
  },
];

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
      else yield fail(ruleSubject(policy), `the audit policy has no catch-all rule: ${missed.map((m) => m.label).join(' and ')} matches no rule and is not audited`);
    });
  },
  examples: {
    fail: [
      auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  resources:
  - group: ""
    resources: ["secrets"]`),
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
      auditExample(ROTATED_LOG_FLAGS, `- level: Metadata
  resources:
  - group: ""
    resources: ["secrets"]
- level: None`),
    ],
  },
});
