import { findReferencedFile } from '../../engines/config/index.js';
import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { anonymousOnlyToHealth } from '../../fix/node-fixes.js';

/** Paths anonymous requests may reach without exposing anything but liveness. */
const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

/** Why the CIS verdict passes where kube-bench, reading only the flag, reports FAIL. */
const KUBE_BENCH_NOTE = 'kube-bench reports FAIL (it reads only --anonymous-auth, which cannot be combined with the AuthenticationConfiguration\'s anonymous section)';

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
    what: 'Reports every kube-apiserver that authenticates anonymous requests (as system:anonymous in group system:unauthenticated): --anonymous-auth unset (its default is true, and kubeadm leaves it so) or true, or an AuthenticationConfiguration (--authentication-config) whose anonymous section is enabled for paths other than /healthz, /livez and /readyz. CIS 1.2.1 (a Manual control) asks for --anonymous-auth=false, and kube-bench reads only that flag; an anonymous section limited to the health paths, or disabled, passes it here: the flag cannot be combined with that section, which upstream added (KEP-4633) so that the control can be met without breaking the health probes. The CIS view notes that kube-bench reports FAIL there.',
    why: 'Anonymous requests are then stopped only by authorization: one careless RoleBinding to system:anonymous or system:unauthenticated (or a permissive webhook) opens the API to the whole network; the default discovery and version endpoints already tell attackers what to exploit.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/4633-anonymous-auth-configurable-endpoints'],
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
  cis: { '1.12': ['1.2.1'] },
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
          return yield pass(file.item, { cisNote: `${KUBE_BENCH_NOTE}; anonymous requests reach only the health paths` });
        }
        // Without an anonymous section, the --anonymous-auth flag decides (it may not be combined with one).
        if (anonymous) return yield pass(file.item, { cisNote: `${KUBE_BENCH_NOTE}; anonymous authentication is disabled` });
      }
      const anon = s.get('anonymous-auth');
      if (anon.unresolved) yield notEvaluated(runSubject(s.run, anon), anon.unresolved);
      else if (anon.value?.toLowerCase() === 'false') yield pass(runSubject(s.run, anon));
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
