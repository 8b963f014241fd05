import { objectField } from '../../engines/podsecurity/workloads.js';
import type { Inventory } from '../../inventory/inventory.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { CisOutcome } from '../types.js';
import { PodChange, failingPods } from '../../fix/helpers.js';
import { describeGrants, grantsBeyondAuthenticated } from '../../fix/service-accounts.js';

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/**
 * ServiceAccounts (names by namespace) that a RoleBinding or ClusterRoleBinding names, directly or
 * through the system:serviceaccounts groups: they are meant to call the API, so their token is
 * needed. By namespace, so asking about a pod builds no "ns/name" key.
 */
export function boundServiceAccounts(inventory: Inventory): { accounts: Map<string, Set<string>>; namespaces: Set<string>; all: boolean } {
  const accounts = new Map<string, Set<string>>();
  const namespaces = new Set<string>();
  let all = false;
  for (const binding of [...inventory.ofKind('RoleBinding'), ...inventory.ofKind('ClusterRoleBinding')]) {
    const subjects = (binding.object as { subjects?: Subject[] }).subjects;
    for (const subject of Array.isArray(subjects) ? subjects : []) {
      if (subject?.kind === 'ServiceAccount' && subject.name) {
        const namespace = subject.namespace ?? binding.ref.namespace ?? '';
        let names = accounts.get(namespace);
        if (!names) accounts.set(namespace, (names = new Set()));
        names.add(subject.name);
      }
      if (subject?.kind === 'Group' && subject.name === 'system:serviceaccounts') all = true;
      if (subject?.kind === 'Group' && subject.name?.startsWith('system:serviceaccounts:')) namespaces.add(subject.name.slice('system:serviceaccounts:'.length));
    }
  }
  return { accounts, namespaces, all };
}

/**
 * CIS 5.1.6 as kube-bench's `cis-audit serviceaccounts` decides it, truth table kept as is: a pod
 * passes when its ServiceAccount sets false and the pod does not set true, or when the account
 * sets true and the pod false. An account that leaves the field unset fails every pod, even one
 * that opts out. A missing account stops kube-bench's audit (not evaluated).
 */
function kubeBenchTokenOutcome(accountFound: boolean, account: boolean | undefined, pod: boolean | undefined): CisOutcome {
  if (!accountFound) return 'not-evaluated';
  return (account === false && pod !== true) || (account === true && pod === false) ? 'pass' : 'fail';
}

export default defineCheck({
  id: 'service-account-token-automounted',
  section: 'pod-privileges',
  severity: 'low',
  title: 'Service account token mounted into a pod that does not opt out',
  docs: {
    what: 'Decides, as the ServiceAccount admission plugin does, whether each pod outside the system namespaces gets an API token mounted: the pod\'s automountServiceAccountToken wins, else its ServiceAccount\'s, else the token is mounted. Reports pods that get one, unless their ServiceAccount is named by a RoleBinding or ClusterRoleBinding in the input (then the pod is meant to call the API, and the RBAC checks judge what it may do). When the pod does not decide and its ServiceAccount is not in the input, the result is not evaluated. CIS 5.1.6 follows kube-bench\'s audit over every pod, the system namespaces\' and bound accounts\' included: a pod passes only when its ServiceAccount sets automountServiceAccountToken: false and the pod does not set true, or the account sets true and the pod false (an unset account field fails even a pod that opts out, as in kube-bench). The severity is low because most pods\' accounts hold no permissions; the RBAC engine can raise it for accounts that do.',
    why: 'Every token mounted into a pod is a credential an attacker who gets code execution there can use against the API server. Pods that never call the API should not carry one.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    ],
  },
  remediation: `Opt out where the pod does not call the Kubernetes API (on the pod, or on its ServiceAccount):

spec:
  automountServiceAccountToken: false   # pod spec (spec.template.spec in a workload)
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false`,
  cis: { '1.12': ['5.1.6'] },
  *evaluate(ctx) {
    const { inventory } = ctx;
    const bound = ctx.shared('service-accounts-bound-by-rbac', () => boundServiceAccounts(inventory));
    for (const pod of inventory.podSpecs()) {
      const field = objectField(pod, 'spec.automountServiceAccountToken');
      const podSetting = pod.spec.automountServiceAccountToken;
      const account = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
      const sa = inventory.get('ServiceAccount', pod.namespace, account);
      const saSetting = (sa?.object as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken;
      const cisOutcome = kubeBenchTokenOutcome(sa !== undefined, saSetting, podSetting);
      const cis = { '1.12': { '5.1.6': cisOutcome } };
      // Where kubeward's verdict is pass but kube-bench's is not, say why.
      const cisPass = (why: string) => pass(pod.item, { cis, ...(cisOutcome === 'fail' ? { cisNote: `kube-bench fails every pod whose token it finds mounted (or whose account leaves automountServiceAccountToken unset); kubeward passes it: ${why}` } : {}) });
      if (inventory.isSystemNamespace(pod.namespace)) {
        yield cisPass('the system namespaces\' pods are the platform\'s own');
        continue;
      }
      if (podSetting === false) {
        yield cisPass('the pod opts out');
        continue;
      }
      if (podSetting === true) {
        yield fail(pod.item, `pod sets automountServiceAccountToken: true, so the token of ServiceAccount "${account}" is mounted`, { field, cis });
        continue;
      }
      if (bound.all || bound.namespaces.has(pod.namespace) || bound.accounts.get(pod.namespace)?.has(account)) {
        yield cisPass('its ServiceAccount is bound to a role, so the pod is meant to call the API');
        continue;
      }
      if (!sa) {
        yield notEvaluated(pod.item, `the pod does not set automountServiceAccountToken and ServiceAccount ${pod.namespace}/${account} is not in the input; its automountServiceAccountToken decides`, { cis });
        continue;
      }
      if (saSetting === false) yield pass(pod.item, { cis });
      else yield fail(pod.item, `neither the pod nor ServiceAccount "${account}" sets automountServiceAccountToken: false, so its API token is mounted into every container`, { field, cis });
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: web, image: nginx:1.27}]`,
    ],
    pass: [
      `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: web, image: nginx:1.27}]`,
      `apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: shop}
spec:
  automountServiceAccountToken: false
  containers: [{name: batch, image: busybox:1.36}]`,
      {
        description: 'a controller whose ServiceAccount is bound to a Role needs its token',
        yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: operator, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}
subjects: [{kind: ServiceAccount, name: operator, namespace: shop}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: operator, namespace: shop}
spec:
  selector: {matchLabels: {app: operator}}
  template:
    metadata: {labels: {app: operator}}
    spec:
      serviceAccountName: operator
      containers: [{name: operator, image: example/operator:1.0}]`,
      },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets automountServiceAccountToken: false on the pod spec where the RBAC engine finds no grant for its ServiceAccount beyond what every authenticated identity and the discovery roles have (the token then only identifies the pod to the API server); a pod that asks for the token of an account with grants is left to a person',
    plan(ctx, failures) {
      for (const { pod, failure } of failingPods(ctx, failures)) {
        const account = pod.spec.serviceAccountName || pod.spec.serviceAccount || 'default';
        const grants = grantsBeyondAuthenticated(ctx.check, pod.namespace, account);
        if (grants.length > 0) {
          ctx.manual(failure, `ServiceAccount ${pod.namespace}/${account} has RBAC grants (${describeGrants(grants)}) and the pod asks for its token: a person decides whether it uses them`);
          continue;
        }
        const change = new PodChange(ctx, pod);
        change.set(['automountServiceAccountToken'], false);
        change.commit();
      }
    },
  },
});
