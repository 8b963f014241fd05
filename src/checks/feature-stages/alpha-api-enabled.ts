import { componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { parseRuntimeConfig } from './runtime-config.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'alpha-api-enabled',
  section: 'feature-stages',
  severity: 'high',
  title: 'kube-apiserver serves alpha API versions (--runtime-config)',
  docs: {
    what: 'Reports every kube-apiserver whose --runtime-config turns on alpha API versions: api/all=true (every API version, alpha included), api/alpha=true, or a group version such as resource.k8s.io/v1alpha3=true.',
    why: 'Alpha APIs are off by default because their objects, validation and authorization are incomplete; serving them exposes unreviewed endpoints to every client RBAC lets through (and wildcard roles let through everything), and their stored objects may not survive the next upgrade.',
    references: [
      'Securing a Cluster: Restricting access to alpha or beta features',
      'https://kubernetes.io/docs/tasks/administer-cluster/enable-disable-api/',
    ],
  },
  remediation: `Remove the alpha entries from --runtime-config; enable a single alpha group version only when a feature needs it, by name:

--runtime-config=resource.k8s.io/v1beta1=true   (instead of api/all=true)`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const setting = s.get('runtime-config');
      const alpha = parseRuntimeConfig(setting.value ?? '').filter((e) => e.enabled && (e.key === 'api/all' || e.key === 'api/alpha' || e.stage === 'alpha'));
      if (alpha.length > 0) {
        yield fail(runSubject(s.run, setting), `kube-apiserver serves alpha APIs: --runtime-config ${alpha.map((e) => e.text).join(',')}`, setting.origin.kind === 'flag' ? { field: setting.origin.field } : {});
      } else yield pass(runSubject(s.run));
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--runtime-config=api/all=true']),
      componentPodYaml('kube-apiserver', ['--runtime-config=resource.k8s.io/v1alpha3']),
    ],
    pass: [
      componentPodYaml('kube-apiserver', ['--runtime-config=resource.k8s.io/v1beta1=true,api/alpha=false']),
      componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']),
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'takes api/all, api/alpha and the alpha group versions off --runtime-config',
    risk: 'clients of the alpha APIs it served get 404 Not Found',
    plan: flag(['kube-apiserver'], 'runtime-config', (s) => parseRuntimeConfig(s.get('runtime-config').value ?? '').filter((e) => !(e.enabled && (e.key === 'api/all' || e.key === 'api/alpha' || e.stage === 'alpha'))).map((e) => e.text).join(',') || undefined),
  },
});
