import { describeRule } from '../../engines/rbac/compact.js';
import { rbacScan } from '../../engines/rbac/scan.js';
import type { PolicyRule } from '../../engines/rbac/types.js';
import { defineCheck, fail, pass } from '../define.js';

const FIELDS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;

/** kube-bench's test: the rules, as JSON, contain `["*"]`, i.e. some list is exactly ["*"]. */
function kubeBenchWildcard(rule: PolicyRule): boolean {
  return FIELDS.some((f) => rule[f].length === 1 && rule[f][0] === '*');
}

/** kubeward's: a "*" anywhere among the verbs, API groups or resources. */
function hasWildcard(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') || rule.apiGroups.includes('*') || rule.resources.includes('*');
}

export default defineCheck({
  id: 'role-with-wildcard-rule',
  section: 'api-authz',
  severity: 'low',
  title: 'Role or ClusterRole grants "*" verbs, API groups or resources',
  docs: {
    what: 'Reports every Role and ClusterRole in the input (aggregated ClusterRoles with the rules aggregation gives them) with a rule whose verbs, apiGroups or resources include "*". Roles of the bootstrap policy (cluster-admin, the controllers\' roles) are not reported: the API server recreates them. For CIS 5.1.3 the test is kube-bench\'s: a role fails when one of its rules has a list that is exactly ["*"] (resourceNames and nonResourceURLs included; ["*", "get"] passes), bootstrap roles included, so a cluster that holds cluster-admin fails 5.1.3 as it does under kube-bench. Roles kubeward supplies for a cluster\'s bootstrap policy but that are not in the input are not judged.',
    why: 'A wildcard grants whatever exists now and whatever is added later: a "*" on resources in an API group hands over the CRDs an operator installs next year, a "*" verb includes escalate, bind and impersonate where they apply. Roles that list what they grant stay least-privilege as the cluster grows.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  remediation: `List the verbs, API groups and resources the role's holders use instead of "*":

rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "update"]`,
  cis: { '1.12': ['5.1.3'] },
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    for (const role of index.roles) {
      if (!role.item) continue;
      const subject = role.item;
      const cisFails = role.rules.some(kubeBenchWildcard);
      const cis = { '1.12': { '5.1.3': cisFails ? 'fail' : 'pass' } } as const;
      const ruleIndex = role.builtin ? -1 : role.rules.findIndex(hasWildcard);
      if (ruleIndex < 0) {
        const why = role.builtin ? 'a role of the bootstrap policy, which the API server recreates' : 'a ["*"] in resourceNames or nonResourceURLs only';
        yield pass(subject, { cis, ...(cisFails ? { cisNote: `kube-bench fails every role with a ["*"] list; kubeward does not report ${why}` } : {}) });
        continue;
      }
      yield fail(subject, `${role.kind} ${role.namespace ? `${role.namespace}/` : ''}${role.name} grants ${describeRule(role.rules[ruleIndex]!)}${role.aggregated ? ' (through aggregation)' : ''}`, {
        ...(role.aggregated ? {} : { field: `rules[${ruleIndex}]` }),
        cis,
        ...(cisFails ? {} : { cisNote: 'kube-bench fails only a list that is exactly ["*"]' }),
      });
    }
  },
  examples: {
    fail: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-admin, namespace: shop}
rules: [{apiGroups: ["apps"], resources: ["*"], verbs: ["*"]}]`,
      {
        description: 'a "*" among other verbs: kubeward fails it, kube-bench\'s 5.1.3 does not',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: crd-reader}
rules: [{apiGroups: ["example.com"], resources: [widgets], verbs: [get, "*"]}]`,
      },
    ],
    pass: [
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-deployer, namespace: shop}
rules: [{apiGroups: ["apps"], resources: [deployments], verbs: [get, list, watch, update]}]`,
    ],
  },
});
