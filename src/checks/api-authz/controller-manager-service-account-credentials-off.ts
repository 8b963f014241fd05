import { flag } from '../../fix/node-fixes.js';
import type { FixContext } from '../../fix/types.js';
import { KUBEADM_API_SERVER_FLAGS, authorizerChain, cisVerdict, componentPodYaml, forEachRun, from, runSubject, runsOf } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';

/**
 * Why the controllers' own accounts might not hold their roles once they are used, or undefined.
 * Every kube-apiserver start reconciles the bootstrap policy (the rbac/bootstrap-roles post-start
 * hook): the system:controller:* roles and their bindings to the controllers' accounts in
 * kube-system are created, and missing rules and subjects added, unless an object is annotated
 * autoupdate "false". That holds only where RBAC (or AlwaysAllow) authorizes those accounts.
 */
function whyControllersMayLoseAccess(ctx: FixContext): string | undefined {
  const protectedObjects = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].flatMap((kind) => ctx.check.inventory.ofKind(kind))
    .filter((i) => i.ref.name.startsWith('system:controller:') && i.object.metadata?.annotations?.[AUTOUPDATE] === 'false');
  if (protectedObjects.length > 0) {
    return `${protectedObjects.map((i) => `${i.ref.kind} ${i.ref.name}`).join(', ')} ${protectedObjects.length === 1 ? 'is' : 'are'} annotated ${AUTOUPDATE}: "false", so the API server does not restore ${protectedObjects.length === 1 ? 'its' : 'their'} bootstrap rules or subjects: a controller whose role or binding was narrowed loses what it could do as system:kube-controller-manager`;
  }
  const apiServers = runsOf(ctx.check, 'kube-apiserver');
  if (apiServers.length === 0) return 'the input has no kube-apiserver to show that RBAC authorizes the controllers\' accounts: with another authorizer (ABAC, a webhook) they may be refused what system:kube-controller-manager is allowed';
  for (const s of apiServers) {
    const modes = authorizerChain(ctx.check.inventory, s).modes ?? [];
    if (!modes.includes('RBAC') && !modes.includes('AlwaysAllow')) return `kube-apiserver authorizes with ${modes.join(',') || 'an authorizer chain kubeward could not read'}, not RBAC: the controllers' own accounts may be refused what system:kube-controller-manager is allowed`;
  }
  return undefined;
}

export default defineCheck({
  id: 'controller-manager-service-account-credentials-off',
  section: 'api-authz',
  severity: 'medium',
  title: 'kube-controller-manager runs every controller with its own, shared credential',
  docs: {
    what: 'Reports every kube-controller-manager whose --use-service-account-credentials is not true (the default is false; kubeadm sets true). The CIS view follows kube-bench (`noteq false`): an unset flag fails there too, since kube-bench requires the flag to be present.',
    why: 'Without it every controller acts with the controller manager\'s own identity (system:kube-controller-manager), which RBAC must then grant the union of all controllers\' permissions. With it each controller uses its own service account in kube-system, bound to a narrow system:controller:* role, so one misbehaving or exploited controller holds only what it needs.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles'],
  },
  remediation: `    - --use-service-account-credentials=true`,
  cis: { '1.12': ['1.3.3'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const setting = s.get('use-service-account-credentials');
      const subject = runSubject(s.run, setting);
      // kube-bench: the flag present and not false (case-insensitively).
      const cisPasses = s.run.flags.has('use-service-account-credentials') && setting.value?.toLowerCase() !== 'false';
      // The component parses it as a Go bool.
      const on = ['true', 't', '1'].includes(setting.value?.toLowerCase() ?? '');
      const cis = cisVerdict('1.3.3', cisPasses, on, `kube-bench passes any value but false (${setting.value})`);
      if (on) yield pass(subject, cis);
      else yield fail(subject, `kube-controller-manager runs all controllers with its own credential: --use-service-account-credentials is ${setting.value ?? 'unset'}${from(setting)}`, { ...(setting.origin.kind === 'flag' ? { field: setting.origin.field } : {}), ...cis });
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1']),
      componentPodYaml('kube-controller-manager', ['--use-service-account-credentials=false']),
      {
        description: 'a kubeadm control plane: RBAC authorizes and the bootstrap controller roles are reconciled (safe)',
        yaml: `${componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)}
---
${componentPodYaml('kube-controller-manager', ['--use-service-account-credentials=false'])}`,
      },
      {
        description: 'a controller role protected from reconciliation (unsafe)',
        yaml: `${componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)}
---
${componentPodYaml('kube-controller-manager', [])}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:controller:job-controller
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}
rules: [{apiGroups: [batch], resources: [jobs], verbs: [get, list, watch, update, patch]}]`,
      },
    ],
    pass: [componentPodYaml('kube-controller-manager', ['--use-service-account-credentials=true'])],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --use-service-account-credentials=true (kubeadm\'s default): each controller then acts as its own service account in kube-system, bound to its system:controller:* role. Safe where the API servers of the input authorize with RBAC and no system:controller:* role or binding of the input opts out of reconciliation (autoupdate "false"): every API server start recreates those roles and bindings and adds back missing rules and subjects, so every controller holds its role; otherwise unsafe',
    risk: 'controllers then depend on the bootstrap system:controller:* roles and bindings; where those were changed and protected from reconciliation, or RBAC does not authorize, controllers lose permissions they had through the controller manager\'s identity',
    plan(ctx, failures) {
      const enable = flag(['kube-controller-manager'], 'use-service-account-credentials', 'true');
      const why = whyControllersMayLoseAccess(ctx);
      if (why === undefined) return enable(ctx, failures);
      for (const failure of failures) ctx.withSafety('unsafe', why, () => enable(ctx, [failure]), failure);
    },
  },
});
