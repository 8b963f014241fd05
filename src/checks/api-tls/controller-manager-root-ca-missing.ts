import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'controller-manager-root-ca-missing',
  section: 'api-tls',
  severity: 'low',
  title: 'kube-controller-manager does not name the CA that pods verify the API server with',
  docs: {
    what: 'Reports every kube-controller-manager without --root-ca-file. The controller manager then publishes the CA data of its own kubeconfig as ca.crt (the kube-root-ca.crt ConfigMap of every namespace, and Secret-based service account tokens). The CIS view follows kube-bench, which asks only that the flag be present.',
    why: 'Pods verify the API server\'s serving certificate with that ca.crt. Named explicitly, it is the cluster CA that signed the serving certificate; taken from a kubeconfig it is whatever that file holds, which may be missing (pods then cannot verify the API server and are pushed to skip verification) or broader than the cluster CA.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
  remediation: `    - --root-ca-file=/etc/kubernetes/pki/ca.crt`,
  cis: { '1.12': ['1.3.5'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const ca = s.get('root-ca-file');
      const cis = { '1.12': { '1.3.5': s.run.flags.has('root-ca-file') ? 'pass' : 'fail' } } as const;
      if (ca.value) yield pass(runSubject(s.run, ca), { cis });
      else yield fail(runSubject(s.run, ca), `kube-controller-manager has no --root-ca-file${from(ca)}: pods get the CA data of its kubeconfig as ca.crt`, { cis, ...(cis['1.12']['1.3.5'] === 'pass' ? { cisNote: 'kube-bench takes a flag that is present, even empty, as set' } : {}) });
    });
  },
  examples: {
    fail: [componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1'])],
    pass: [componentPodYaml('kube-controller-manager', ['--root-ca-file=/etc/kubernetes/pki/ca.crt'])],
  },
});
