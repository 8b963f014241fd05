import { componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { parseRuntimeConfig } from './runtime-config.js';

export default defineCheck({
  id: 'beta-api-enabled',
  section: 'feature-stages',
  severity: 'low',
  title: 'kube-apiserver serves off-by-default beta API versions (--runtime-config)',
  docs: {
    what: 'Reports every kube-apiserver whose --runtime-config turns on beta API versions explicitly: api/beta=true or a group version such as storagemigration.k8s.io/v1beta1=true. (api/all=true is reported by alpha-api-enabled.)',
    why: 'Since Kubernetes 1.24 new beta APIs are off by default: they may still change incompatibly and their objects may need migration. Serving one should be a deliberate, recorded choice, as the guide asks of beta features.',
    references: [
      'Securing a Cluster: Restricting access to alpha or beta features',
      'https://kubernetes.io/docs/tasks/administer-cluster/enable-disable-api/',
      'KEP-3136: Beta APIs Off by Default',
    ],
  },
  remediation: `Remove beta group versions you do not use from --runtime-config; keep (and record in an exception) those a feature you rely on needs.`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const setting = s.get('runtime-config');
      const beta = parseRuntimeConfig(setting.value ?? '').filter((e) => e.enabled && (e.key === 'api/beta' || e.stage === 'beta'));
      if (beta.length > 0) {
        yield fail(runSubject(s.run, setting), `kube-apiserver serves beta APIs enabled by --runtime-config ${beta.map((e) => e.text).join(',')}`, setting.origin.kind === 'flag' ? { field: setting.origin.field } : {});
      } else yield pass(runSubject(s.run));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--runtime-config=storagemigration.k8s.io/v1beta1=true'])],
    pass: [componentPodYaml('kube-apiserver', ['--runtime-config=batch/v1=true'])],
  },
});
