import { describeGrants, grantsBeyondAuthenticated } from '../../fix/service-accounts.js';
import { defineCheck, fail, notEvaluated, pass, subjectAtField } from '../define.js';

export default defineCheck({
  id: 'default-serviceaccount-automounts-token',
  section: 'pod-privileges',
  severity: 'low',
  title: 'A namespace\'s default ServiceAccount does not opt out of token automounting',
  docs: {
    what: 'Reports every ServiceAccount named "default" whose own automountServiceAccountToken is not false (unset counts: the token is then mounted), as CIS 5.1.5 and kube-bench judge it. A Namespace in the input whose default ServiceAccount is not is not evaluated: the ServiceAccount controller creates one without the field, but the cluster may have changed it since.',
    why: 'Every pod that names no ServiceAccount runs as "default" and, unless the pod opts out, carries its API token: a pod that never needed the API hands an attacker who gets code execution in it a credential, and whatever a binding later grants to "default" reaches every such pod. Workloads that call the API get their own account.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    ],
  },
  remediation: `Opt the default ServiceAccount of every namespace out; give workloads that call the API their own account:

apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: <ns>}
automountServiceAccountToken: false`,
  cis: { '1.12': ['5.1.5'] },
  *evaluate(ctx) {
    const { inventory } = ctx;
    for (const sa of inventory.ofKind('ServiceAccount')) {
      if (sa.ref.name !== 'default') continue;
      const value = (sa.object as { automountServiceAccountToken?: boolean }).automountServiceAccountToken;
      if (value === false) yield pass(sa);
      else yield fail(subjectAtField(sa, value === undefined ? undefined : 'automountServiceAccountToken'), `the default ServiceAccount of namespace ${sa.ref.namespace} ${value === undefined ? 'does not set automountServiceAccountToken' : 'sets automountServiceAccountToken: true'}, so every pod there that names no account and does not opt out gets its token`, { field: 'automountServiceAccountToken' });
    }
    for (const ns of inventory.ofKind('Namespace')) {
      if (inventory.get('ServiceAccount', ns.ref.name, 'default')) continue;
      yield notEvaluated(ns, `ServiceAccount ${ns.ref.name}/default is not in the input; the ServiceAccount controller creates it without automountServiceAccountToken`);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}`,
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: true`,
      {
        description: 'a RoleBinding grants the default account more than every authenticated identity has (unsafe: pods naming no account lose it)',
        yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: batch}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: job-runner, namespace: batch}
rules: [{apiGroups: [batch], resources: [jobs], verbs: [get, list, create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: job-runner, namespace: batch}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: job-runner}
subjects: [{kind: ServiceAccount, name: default, namespace: batch}]`,
      },
      {
        description: 'bound only to what every authenticated identity already has (safe)',
        yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: default-discovery}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:discovery}
subjects: [{kind: ServiceAccount, name: default, namespace: shop}]`,
      },
    ],
    pass: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets automountServiceAccountToken: false on the namespace\'s default ServiceAccount when the RBAC engine finds no grant for it beyond what every authenticated identity and the discovery roles have (its token gets a pod nothing); an account with grants beyond that is changed only with --unsafe-fixes',
    risk: 'pods that name no ServiceAccount and do not set automountServiceAccountToken: true lose the API access the default account is granted',
    plan(ctx, failures) {
      for (const failure of failures) {
        const namespace = failure.subject.ref.namespace;
        if (namespace === undefined) continue;
        const item = ctx.check.inventory.get('ServiceAccount', namespace, 'default');
        if (!item) continue;
        const apply = () => ctx.edit(item).set(['automountServiceAccountToken'], false);
        const grants = grantsBeyondAuthenticated(ctx.check, namespace, 'default');
        if (grants.length === 0) {
          apply();
          continue;
        }
        const risk = `pods of namespace ${namespace} that name no ServiceAccount (and do not set automountServiceAccountToken: true) lose the API access ${describeGrants(grants)} gives ServiceAccount ${namespace}/default; give them their own account first`;
        ctx.withSafety('unsafe', risk, apply, failure);
      }
    },
  },
});
