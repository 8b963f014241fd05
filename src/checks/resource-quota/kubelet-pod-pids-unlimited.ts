import { forEachKubelet, isWritten, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-pod-pids-unlimited',
  section: 'resource-quota',
  severity: 'medium',
  title: 'Kubelet does not limit the processes of a pod (podPidsLimit)',
  docs: {
    what: 'Reports every kubelet whose effective podPidsLimit (--pod-max-pids; default -1) is not a positive number: -1 and 0 leave pods unlimited. CIS 4.2.13, as kube-bench audits it, only asks that the setting be written, so podPidsLimit: -1 fails here and passes there.',
    why: 'Process IDs are shared by every pod on the node: one container that forks without end (a fork bomb, a leaking worker pool) takes every PID, and the kubelet, the container runtime and every other pod on the node can no longer start a process.',
    references: ['Securing a Cluster: Limiting resource usage on a cluster', 'https://kubernetes.io/docs/concepts/policy/pid-limiting/'],
  },
  cis: { '1.12': ['4.2.13'] },
  remediation: `KubeletConfiguration, with a limit above what your largest pod runs, then restart the kubelet:
podPidsLimit: 4096`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'podPidsLimit', (v) => v !== undefined && /^\d+$/.test(v) && Number(v) > 0, (v) => `podPidsLimit is ${v ?? 'unset'}, so one pod may take every process ID on the node`, {
        control: '4.2.13',
        passes: isWritten,
        note: (s) => `CIS 4.2.13 (kube-bench) only checks that podPidsLimit (--pod-max-pids) is set; kubeward also wants a positive limit (${s.value} leaves pods unlimited)`,
      });
    });
  },
  examples: {
    fail: [kubeletConfigYaml('rotateCertificates: true'), kubeletConfigYaml('podPidsLimit: -1')],
    pass: [kubeletConfigYaml('podPidsLimit: 4096')],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets podPidsLimit: 4096 in the kubelet\'s config file (and takes --pod-max-pids off its command line)',
    risk: 'a pod that runs more than 4096 processes and threads fails to fork once the kubelet restarts',
    plan: kubeletField('podPidsLimit', 4096),
  },
});
