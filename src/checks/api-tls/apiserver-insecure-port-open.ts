import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

export default defineCheck({
  id: 'apiserver-insecure-port-open',
  section: 'api-tls',
  severity: 'critical',
  title: 'kube-apiserver serves the insecure HTTP port',
  docs: {
    what: 'Reports every kube-apiserver whose effective --insecure-port is not 0. The insecure port defaulted to 8080 before Kubernetes 1.20, to 0 from 1.20, and was removed in 1.24; on 1.24 and later the check passes.',
    why: 'The insecure port serves the whole API over plain HTTP with no authentication and no authorization: anything that reaches it (a pod on the host network, a local process, a proxy) is cluster-admin.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://github.com/kubernetes/enhancements/issues/2253'],
  },
  remediation: `Set the insecure port to 0 (or upgrade to 1.24+, where it no longer exists):

    - --insecure-port=0`,
  *evaluate(ctx) {
    const removed = ctx.k8sVersion !== undefined && ctx.k8sVersion.major === 1 && ctx.k8sVersion.minor >= 24;
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const port = s.get('insecure-port');
      if (port.unresolved) return yield notEvaluated(runSubject(s.run, port), port.unresolved);
      if (removed || port.value === undefined || port.value === '0') return yield pass(runSubject(s.run, port));
      if (!ctx.k8sVersion && port.origin.kind === 'default') {
        return yield notEvaluated(runSubject(s.run), 'the cluster version is unknown and --insecure-port is not set: before 1.20 it defaulted to 8080 (give --k8s-version)');
      }
      yield fail(runSubject(s.run, port), `kube-apiserver serves unauthenticated HTTP on port ${port.value}${from(port)}`, { ...(port.origin.kind === 'flag' ? { field: port.origin.field } : {}) });
    });
  },
  examples: {
    fail: [
      { description: 'insecure port set on 1.19', yaml: componentPodYaml('kube-apiserver', ['--insecure-port=8080'], 'registry.k8s.io/kube-apiserver:v1.19.16') },
      { description: 'default 8080 on 1.18', yaml: componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC'], 'registry.k8s.io/kube-apiserver:v1.18.20') },
    ],
    pass: [
      { description: 'disabled on 1.19', yaml: componentPodYaml('kube-apiserver', ['--insecure-port=0'], 'registry.k8s.io/kube-apiserver:v1.19.16') },
      { description: 'removed in 1.24', yaml: componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']) },
    ],
  },
});
