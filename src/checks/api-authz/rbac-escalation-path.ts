import { EscalationGraph, isSystemSubject, nodeIdOf, type Target } from '../../engines/rbac/escalation.js';
import { describePath } from '../../engines/rbac/paths.js';
import { rbacScan, subjectRef } from '../../engines/rbac/scan.js';
import { defineCheck, fail, pass } from '../define.js';
import type { Severity } from '../sections.js';

/** Severity by the first capability the path reaches. */
const SEVERITY: Record<Target, Severity> = { 'cluster-admin': 'critical', nodes: 'critical', secrets: 'high' };

export default defineCheck({
  id: 'rbac-escalation-path',
  section: 'api-authz',
  severity: 'critical',
  title: 'Subject can escalate to cluster-admin indirectly',
  docs: {
    what: 'Builds the escalation graph of the cluster (creating pods or pod controllers acts as the namespace\'s ServiceAccounts; pods/exec and attach act as running pods\' accounts; bind, escalate, impersonate, serviceaccounts/token, Secret reading of legacy tokens, nodes/proxy, CSR approval, webhook configuration and hostPath PersistentVolume rights) and reports, for every subject that is not one of the API server\'s own, the shortest indirect path to cluster-admin equivalence, each step citing the binding and rule behind it. Severity follows the first capability reached: cluster-admin or every node (critical), every Secret (high).',
    why: 'The guide warns that updating one object causes actions elsewhere: a user who may not create Pods but may create Deployments creates Pods, which run as any ServiceAccount of the namespace. Chains of such steps turn a modest grant into control of the cluster, and are invisible when roles are reviewed one at a time.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
  remediation: `Break the first step of the path (see "kubeward rbac paths --from <subject>"): usually take
workload creation away from the subject, or move the powerful ServiceAccount out of the
namespace it can deploy to, or replace the powerful account's ClusterRoleBinding with
RoleBindings in the namespaces it needs.`,
  *evaluate(ctx) {
    const { index } = rbacScan(ctx);
    const subjects = index.subjects().filter((s) => !isSystemSubject(s));
    if (subjects.length === 0) return;
    const graph = rbacScan(ctx).graph();
    const next = graph.shortestPaths('cluster-admin');
    for (const subject of subjects) {
      const edges = EscalationGraph.pathFrom(nodeIdOf(subject), next);
      const first = edges?.[0];
      // Direct holdings of a wildcard or of every Secret are other checks' findings; a path
      // that starts by group membership is reported once, on the group.
      const direct = first && (first.type === 'wildcard' || (first.type === 'read-secrets' && first.to === 'target:secrets'));
      if (!edges || !first || direct || first.type === 'member-of') {
        yield pass(subjectRef(subject));
        continue;
      }
      const reached = edges.find((e) => graph.nodes.get(e.to)?.kind === 'target')!;
      const target = reached.to.slice('target:'.length) as Target;
      const cite = first.cites[0];
      const where = cite ? ` Starts with ${cite.binding.kind} ${cite.binding.namespace ? `${cite.binding.namespace}/` : ''}${cite.binding.name}.` : '';
      yield fail(subjectRef(subject), `${edges.length}-step path to ${target === 'cluster-admin' ? 'cluster-admin' : `${target === 'secrets' ? 'every Secret' : 'every node'}, hence cluster-admin`}: ${describePath(graph, { subject, target: 'cluster-admin', edges })}.${where}`, { severity: SEVERITY[target] });
    }
  },
  examples: {
    fail: [
      {
        description: 'a Deployment creator in "apps" reaches the reporter account, which reads every Secret',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: apps}
rules: [{apiGroups: [apps], resources: [deployments], verbs: [create, update, get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-deploys, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects: [{kind: User, name: dev}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reporter, namespace: apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: reporter-reads-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: reporter, namespace: apps}]`,
      },
    ],
    pass: [
      {
        description: 'the fix: the reporter reads Secrets of its own namespace only (RoleBinding)',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: apps}
rules: [{apiGroups: [apps], resources: [deployments], verbs: [create, update, get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-deploys, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects: [{kind: User, name: dev}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reporter, namespace: apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reporter-reads-secrets, namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: reporter, namespace: apps}]`,
      },
    ],
  },
});
