import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'controller-manager-service-account-key-missing',
  section: 'api-authn',
  severity: 'low',
  title: 'kube-controller-manager has no service account signing key',
  docs: {
    what: 'Reports every kube-controller-manager without --service-account-private-key-file (it has no default). The CIS view follows kube-bench, which asks only that the flag be present.',
    why: 'The key signs the tokens of Secret-based service account tokens; without it the controller manager\'s token controller is off, so such Secrets stay empty, and the key pair cannot be managed (and rotated) apart from the API server\'s serving key as the benchmark asks. The API server must hold the matching public key in --service-account-key-file.',
    references: ['Securing a Cluster: API Authentication', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/'],
  },
  remediation: `Give it the private key whose public key the API server has in --service-account-key-file (kubeadm):

    - --service-account-private-key-file=/etc/kubernetes/pki/sa.key`,
  cis: { '1.12': ['1.3.4'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const key = s.get('service-account-private-key-file');
      const cis = { '1.12': { '1.3.4': s.run.flags.has('service-account-private-key-file') ? 'pass' : 'fail' } } as const;
      if (key.value) yield pass(runSubject(s.run, key), { cis });
      else yield fail(runSubject(s.run, key), `kube-controller-manager has no --service-account-private-key-file${from(key)}: its token controller is off`, { cis, ...(cis['1.12']['1.3.4'] === 'pass' ? { cisNote: 'kube-bench takes a flag that is present, even empty, as set' } : {}) });
    });
  },
  examples: {
    fail: [componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1'])],
    pass: [componentPodYaml('kube-controller-manager', ['--service-account-private-key-file=/etc/kubernetes/pki/sa.key'])],
  },
});
