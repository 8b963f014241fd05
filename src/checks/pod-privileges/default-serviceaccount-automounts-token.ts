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
});
