import { KUBEADM_API_SERVER_FLAGS, authorizerChain, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { nodeAndRbac } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'apiserver-authorization-mode-insecure',
  section: 'api-authz',
  severity: 'high',
  title: 'kube-apiserver authorizes without Node and RBAC, or allows everything',
  docs: {
    what: 'Reads the authorizer chain of every kube-apiserver, from --authorization-mode or from the AuthorizationConfiguration that --authorization-config names. Reports AlwaysAllow anywhere in the chain (critical; also the default when neither flag is given), and a chain without Node or without RBAC (high). CIS 1.2.6, 1.2.7 and 1.2.8 are judged each on its own from the same chain; kube-bench reads only --authorization-mode, so for an AuthorizationConfiguration it reports FAIL where this view judges the configured authorizers (the CIS view notes it).',
    why: 'AlwaysAllow authorizes every authenticated (and, with anonymous auth, unauthenticated) request: everyone is cluster-admin. Without RBAC there are no least-privilege roles; without the Node authorizer, kubelets need broad RBAC rights and one compromised node reads every Secret in the cluster.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/authorization/'],
  },
  remediation: `Authorize with Node and RBAC (kubeadm does):

    - --authorization-mode=Node,RBAC`,
  cis: { '1.12': ['1.2.6', '1.2.7', '1.2.8'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const chain = authorizerChain(ctx.inventory, s);
      if (!chain.modes) return yield notEvaluated(runSubject(s.run, chain.setting), chain.missing);
      const modes = chain.modes;
      const subject = chain.config ? { ref: chain.config.ref, location: chain.config.location } : runSubject(s.run, chain.setting);
      const source = chain.config ? ` (AuthorizationConfiguration ${chain.config.location.file})` : from(chain.setting);
      const verdict = (ok: boolean) => (ok ? 'pass' : 'fail');
      const cis = {
        cis: { '1.12': { '1.2.6': verdict(!modes.includes('AlwaysAllow')), '1.2.7': verdict(modes.includes('Node')), '1.2.8': verdict(modes.includes('RBAC')) } },
        ...(chain.config ? { cisNote: 'kube-bench reads only --authorization-mode, absent when --authorization-config is used, and reports FAIL; this verdict judges the AuthorizationConfiguration\'s authorizers' } : {}),
      } as const;
      if (modes.includes('AlwaysAllow')) {
        return yield fail(subject, `kube-apiserver authorizes every request: its authorizers are ${modes.join(',')}${source}`, { severity: 'critical', ...cis });
      }
      const missing = ['Node', 'RBAC'].filter((m) => !modes.includes(m));
      if (missing.length > 0) yield fail(subject, `kube-apiserver authorizes without ${missing.join(' and ')}: ${modes.join(',') || 'no authorizers'}${source}`, cis);
      else yield pass(subject, cis);
    });
  },
  examples: {
    fail: [
      { description: 'no mode: AlwaysAllow by default', yaml: componentPodYaml('kube-apiserver', ['--anonymous-auth=false']) },
      componentPodYaml('kube-apiserver', ['--authorization-mode=RBAC']),
      `${componentPodYaml('kube-apiserver', ['--authorization-config=/etc/kubernetes/authz.yaml'])}
---
apiVersion: apiserver.config.k8s.io/v1
kind: AuthorizationConfiguration
authorizers:
- {type: RBAC, name: rbac}
- {type: AlwaysAllow, name: allow}`,
    ],
    pass: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      `${componentPodYaml('kube-apiserver', ['--authorization-config=/etc/kubernetes/authz.yaml'])}
---
apiVersion: apiserver.config.k8s.io/v1
kind: AuthorizationConfiguration
authorizers:
- {type: Node, name: node}
- {type: RBAC, name: rbac}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --authorization-mode to Node,RBAC followed by the other authorizers it had; removing AlwaysAllow is unsafe and needs --unsafe-fixes',
    plan: nodeAndRbac,
  },
});
