import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'apiserver-service-account-token-expiration-extended',
  section: 'api-authn',
  severity: 'low',
  title: 'kube-apiserver gives pods service account tokens valid for a year',
  docs: {
    what: 'Reports every kube-apiserver whose --service-account-extend-token-expiration is not false (the default is true).',
    why: 'With the extension on, the projected token the kubelet mounts in each pod is issued for a year (it is only said to expire after an hour, and use past that hour is merely logged), so a token copied out of a pod keeps working for months. It exists to migrate from legacy tokens; workloads on current client libraries re-read their token and do not need it.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
  remediation: `Once no workload relies on old client libraries that read their token only once (the API server logs and counts stale-token use: serviceaccount_stale_tokens_total):

    - --service-account-extend-token-expiration=false`,
  cis: { '1.12': ['1.2.30'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const extend = s.get('service-account-extend-token-expiration');
      // kube-bench compares booleans case-insensitively; unset is the default, true.
      if (extend.value?.toLowerCase() === 'false') yield pass(runSubject(s.run, extend));
      else yield fail(runSubject(s.run, extend), `kube-apiserver issues pods' projected tokens for a year: --service-account-extend-token-expiration is ${extend.origin.kind === 'default' ? 'unset (its default is true)' : `${extend.value}${from(extend)}`}`, extend.origin.kind === 'flag' ? { field: extend.origin.field } : {});
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS), componentPodYaml('kube-apiserver', ['--service-account-extend-token-expiration=true'])],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--service-account-extend-token-expiration=false'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets --service-account-extend-token-expiration=false: projected tokens expire when they say (an hour by default)',
    risk: 'workloads whose client library reads the token only at start (client-go before 1.15, old SDKs) get 401s an hour after start until they are upgraded or restarted',
    plan: flag(['kube-apiserver'], 'service-account-extend-token-expiration', 'false'),
  },
});
