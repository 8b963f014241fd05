import { findReferencedFile } from '../../engines/config/index.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { anonymousOnlyToHealth } from '../../fix/node-fixes.js';

/** Paths anonymous requests may reach without exposing anything but liveness. */
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

interface AnonymousConfig {
  enabled?: boolean;
  conditions?: { path?: string }[];
}

export default defineCheck({
  id: 'apiserver-anonymous-auth-enabled',
  section: 'api-authn',
  severity: 'medium',
  title: 'kube-apiserver accepts anonymous requests beyond health checks',
  docs: {
    what: 'Reports every kube-apiserver that authenticates anonymous requests (as system:anonymous in group system:unauthenticated): --anonymous-auth unset (its default is true, and kubeadm leaves it so) or true, or an AuthenticationConfiguration (--authentication-config) whose anonymous section is enabled for paths other than /healthz, /livez and /readyz.',
    why: 'Anonymous requests are then stopped only by authorization: one careless RoleBinding to system:anonymous or system:unauthenticated (or a permissive webhook) opens the API to the whole network; the default discovery and version endpoints already tell attackers what to exploit.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration', 'CIS Kubernetes 1.2.1'],
  },
  remediation: `Turn anonymous access off, or (1.32+) keep it for health checks only with --authentication-config:

apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
anonymous:
  enabled: true
  conditions:
  - path: /livez
  - path: /readyz
  - path: /healthz`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const configPath = s.get('authentication-config');
      if (configPath.value) {
        const file = findReferencedFile(ctx.inventory, 'AuthenticationConfiguration', configPath.value);
        if (!file.found) return yield notEvaluated(runSubject(s.run, configPath), file.reason);
        const anonymous = (file.item.object as { anonymous?: AnonymousConfig }).anonymous;
        if (anonymous?.enabled) {
          const paths = (anonymous.conditions ?? []).map((c) => c.path ?? '');
          const beyond = paths.length === 0 ? ['every path'] : paths.filter((p) => !HEALTH_PATHS.has(p));
          if (beyond.length > 0) return yield fail(file.item, `AuthenticationConfiguration lets anonymous requests reach ${beyond.join(', ')}`, { field: 'anonymous' });
          return yield pass(file.item);
        }
        // Without an anonymous section, the --anonymous-auth flag decides (it may not be combined with one).
        if (anonymous) return yield pass(file.item);
      }
      const anon = s.get('anonymous-auth');
      if (anon.unresolved) yield notEvaluated(runSubject(s.run, anon), anon.unresolved);
      else if (anon.value === 'false') yield pass(runSubject(s.run, anon));
      else yield fail(runSubject(s.run, anon), `kube-apiserver authenticates anonymous requests: --anonymous-auth is ${anon.value}${from(anon)}`, anon.origin.kind === 'flag' ? { field: anon.origin.field } : {});
    });
  },
  examples: {
    fail: [
      { description: 'kubeadm default', yaml: componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']) },
      `${componentPodYaml('kube-apiserver', ['--authentication-config=/etc/kubernetes/authn.yaml'], 'registry.k8s.io/kube-apiserver:v1.32.0')}
---
apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
anonymous:
  enabled: true
  conditions: [{path: /livez}, {path: /api}]`,
    ],
    pass: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      `${componentPodYaml('kube-apiserver', ['--authentication-config=/etc/kubernetes/authn.yaml'], 'registry.k8s.io/kube-apiserver:v1.32.0')}
---
apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
anonymous:
  enabled: true
  conditions: [{path: /livez}, {path: /readyz}, {path: /healthz}]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'from Kubernetes 1.32: an AuthenticationConfiguration that allows anonymous requests only to /livez, /readyz and /healthz (kubeadm\'s probes), its flag and mount, and --anonymous-auth removed; before 1.32 it is left to a person, since --anonymous-auth=false breaks kubeadm\'s liveness probes',
    risk: 'unauthenticated clients of other paths (/version, discovery, a load balancer health check on another path) are refused; --authentication-config cannot be combined with --oidc-* flags',
    plan: anonymousOnlyToHealth,
  },
});
