import { forEachKubelet, isWritten, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-seccomp-default-disabled',
  section: 'pod-privileges',
  severity: 'low',
  title: 'Kubelet runs containers without a seccomp profile by default (seccompDefault off)',
  docs: {
    what: 'Reports every kubelet whose effective seccompDefault (--seccomp-default; default false) is not true. CIS 4.2.14, as kube-bench audits it, only asks that the setting be written, so seccompDefault: false fails here and passes there.',
    why: 'Without it every container that does not ask for a seccomp profile runs Unconfined: the whole system-call surface of the node\'s kernel is open to it, so a kernel bug reachable through a rarely used system call (keyctl, userfaultfd, unshare) becomes a container escape. With it, the runtime\'s default profile applies unless a pod opts out.',
    references: ['Securing a Cluster: Controlling what privileges containers run with', 'https://kubernetes.io/docs/tutorials/security/seccomp/#enable-the-use-of-runtimedefault-as-the-default-seccomp-profile-for-all-workloads'],
  },
  cis: { '1.12': ['4.2.14'] },
  remediation: `KubeletConfiguration (and remove --seccomp-default from the kubelet's flags), then restart the kubelet:
seccompDefault: true`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'seccompDefault', (v) => v === 'true', (v) => `seccompDefault is ${v ?? 'unset'}, so containers without a seccomp profile run Unconfined`, {
        control: '4.2.14',
        passes: isWritten,
        note: () => 'CIS 4.2.14 (kube-bench) only checks that seccompDefault (--seccomp-default) is set; kubeward wants it true',
      });
    });
  },
  examples: {
    fail: [kubeletConfigYaml('seccompDefault: false'), kubeletConfigYaml('rotateCertificates: true')],
    pass: [kubeletConfigYaml('seccompDefault: true')],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets seccompDefault: true in the kubelet\'s config file (and takes --seccomp-default off its command line)',
    risk: 'containers without a seccomp profile get the runtime\'s default one after the kubelet restarts; a workload that needs a system call it blocks fails',
    plan: kubeletField('seccompDefault', true),
  },
});
