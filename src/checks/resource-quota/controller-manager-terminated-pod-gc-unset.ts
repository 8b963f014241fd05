import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'controller-manager-terminated-pod-gc-unset',
  section: 'resource-quota',
  severity: 'low',
  title: 'kube-controller-manager keeps terminated pods without a threshold chosen for the cluster',
  docs: {
    what: 'Reports every kube-controller-manager without --terminated-pod-gc-threshold (the built-in default keeps 12500 terminated pods), or with a threshold of 0 or less, which turns the terminated pod garbage collector off. The CIS view follows kube-bench, which asks only that the flag be present.',
    why: 'Terminated pods stay in etcd until the garbage collector deletes them. With no threshold sized for the cluster, or with the collector off, finished Jobs and evicted pods pile up: etcd and every pod list grow, the API server and controllers slow down, and a workload that churns pods can exhaust the control plane.',
    references: ['Securing a Cluster: Limiting resource usage on a cluster', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
  remediation: `Choose how many terminated pods to keep, for example:

    - --terminated-pod-gc-threshold=1000`,
  cis: { '1.12': ['1.3.1'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const threshold = s.get('terminated-pod-gc-threshold');
      const subject = runSubject(s.run, threshold);
      // kube-bench: the flag present, whatever its value.
      const cisPasses = s.run.flags.has('terminated-pod-gc-threshold');
      const cis = { '1.12': { '1.3.1': cisPasses ? 'pass' : 'fail' } } as const;
      const field = threshold.origin.kind === 'flag' ? { field: threshold.origin.field } : {};
      if (threshold.value === undefined) {
        yield fail(subject, 'kube-controller-manager has no --terminated-pod-gc-threshold: up to 12500 terminated pods (the default) stay in etcd', { cis });
        return;
      }
      const n = Number(threshold.value);
      if (Number.isInteger(n) && n > 0) yield pass(subject, { cis });
      else yield fail(subject, `kube-controller-manager --terminated-pod-gc-threshold is ${threshold.value}${from(threshold)}: ${Number.isInteger(n) ? 'the terminated pod garbage collector is off' : 'not a number'}`, { ...field, cis, cisNote: 'kube-bench takes any value of --terminated-pod-gc-threshold; kubeward fails one that turns the collector off' });
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1']),
      componentPodYaml('kube-controller-manager', ['--terminated-pod-gc-threshold=0']),
    ],
    pass: [componentPodYaml('kube-controller-manager', ['--terminated-pod-gc-threshold=1000'])],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --terminated-pod-gc-threshold=12500, the built-in default made explicit (behaviour does not change); a threshold of 0 or less (the collector turned off) is left to a person',
    plan: flag(['kube-controller-manager'], 'terminated-pod-gc-threshold', (s) => (s.get('terminated-pod-gc-threshold').value === undefined ? '12500' : null), 'the terminated pod garbage collector is off on purpose or by mistake: choose how many terminated pods to keep'),
  },
});
