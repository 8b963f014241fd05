import { componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { ROTATED_LOG_FLAGS } from './audit-policy.js';
import { enableAuditLog } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'audit-logging-disabled',
  section: 'audit-logging',
  severity: 'high',
  title: 'kube-apiserver does not record an audit log',
  docs: {
    what: 'Reports every kube-apiserver started without --audit-policy-file, or with a policy but no backend to write to (neither --audit-log-path nor --audit-webhook-config-file). Without both, the API server records no audit events at all. CIS judges the flags apart: 1.2.16 asks for --audit-log-path (a webhook backend alone fails it), 3.2.1 for --audit-policy-file.',
    why: 'The audit log is the only record of who did what through the API: which account read a Secret, created a privileged pod or changed a RoleBinding. Without it a compromise cannot be detected, scoped or investigated, and the guide asks for it to be enabled and archived on a secure server.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/',
    ],
  },
  remediation: `Give kube-apiserver a policy and a backend (mount both files into the static pod):

--audit-policy-file=/etc/kubernetes/audit-policy.yaml
--audit-log-path=/var/log/kubernetes/audit/audit.log
--audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
(or --audit-webhook-config-file=/etc/kubernetes/audit-webhook.conf to ship events off the node)`,
  cis: { '1.12': ['1.2.16', '3.2.1'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const policy = s.get('audit-policy-file');
      const logPath = s.get('audit-log-path');
      const webhook = s.get('audit-webhook-config-file');
      const cis = { '1.12': { '1.2.16': logPath.value ? 'pass' : 'fail', '3.2.1': policy.value ? 'pass' : 'fail' } } as const;
      if (!policy.value) {
        yield fail(runSubject(s.run), 'kube-apiserver has no --audit-policy-file: no API request is audited', { cis });
      } else if (!logPath.value && !webhook.value) {
        yield fail(runSubject(s.run, policy), `kube-apiserver has an audit policy (${policy.value}) but no backend: neither --audit-log-path nor --audit-webhook-config-file is set, so events go nowhere`, { cis });
      } else yield pass(runSubject(s.run), { cis, ...(logPath.value ? {} : { cisNote: 'CIS 1.2.16 asks for --audit-log-path; a webhook backend alone does not meet it' }) });
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']),
      componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml']),
    ],
    pass: [
      componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', ...ROTATED_LOG_FLAGS]),
      componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.conf']),
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'on a node root: writes /etc/kubernetes/audit-policy.yaml (Secrets, ConfigMaps and tokens at Metadata, writes at Request), sets --audit-policy-file, --audit-log-path=/var/log/kubernetes/audit/audit.log with rotation (30 days, 10 files, 100 MB) and adds the hostPath mounts; elsewhere left to a person',
    followUp: 'kubelet restarts kube-apiserver when its static pod manifest changes; check that /var/log/kubernetes/audit fills as expected',
    plan: enableAuditLog,
  },
});
