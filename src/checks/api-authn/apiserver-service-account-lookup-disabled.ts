import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'apiserver-service-account-lookup-disabled',
  section: 'api-authn',
  severity: 'medium',
  title: 'kube-apiserver accepts tokens of deleted service accounts',
  docs: {
    what: 'Reports every kube-apiserver whose --service-account-lookup is set to anything but true (the default is true), as kube-bench does.',
    why: 'Without the lookup the API server trusts a service account token by its signature alone: tokens of deleted service accounts (and legacy Secret-based tokens whose Secret was deleted) keep working until they expire, so revoking a leaked token does not work.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
  remediation: `Remove --service-account-lookup=false (or set it to true).`,
  cis: { '1.12': ['1.2.21'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const lookup = s.get('service-account-lookup');
      // kube-bench: unset, or equal to true (booleans compared case-insensitively).
      if (lookup.value?.toLowerCase() !== 'true') yield fail(runSubject(s.run, lookup), `kube-apiserver does not check that service accounts still exist: --service-account-lookup is ${lookup.value}${from(lookup)}`, lookup.origin.kind === 'flag' ? { field: lookup.origin.field } : {});
      else yield pass(runSubject(s.run, lookup));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--service-account-lookup=false'])],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --service-account-lookup=true: tokens of deleted ServiceAccounts stop working, as they are meant to',
    plan: flag(['kube-apiserver'], 'service-account-lookup', 'true'),
  },
});
