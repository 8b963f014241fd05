import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import { ROTATED_LOG_FLAGS } from './audit-policy.js';
import { flag } from '../../fix/node-fixes.js';

const LIMITS = ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'] as const;

export default defineCheck({
  id: 'audit-log-without-rotation',
  section: 'audit-logging',
  severity: 'medium',
  title: 'The audit log is kept only on the node, without rotation or retention',
  docs: {
    what: 'Reports every kube-apiserver that writes its audit log to a local file (--audit-log-path) and ships no copy elsewhere (no --audit-webhook-config-file), while --audit-log-maxage, --audit-log-maxbackup or --audit-log-maxsize is unset or 0.',
    why: 'Without maxsize the log is never rotated and grows until the control-plane disk fills, which stops etcd and the API server; without maxage and maxbackup old files are never removed, or, once rotated, evidence disappears on no schedule anyone chose. And a log that lives only on the node it describes can be erased by whoever compromises that node: the guide asks to archive it on a secure server.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend',
      'CIS Kubernetes 1.2.17-1.2.19',
    ],
  },
  remediation: `Bound the local log and ship it off the node:

--audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
--audit-webhook-config-file=/etc/kubernetes/audit-webhook.conf   (or a log shipper reading the file)`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const logPath = s.get('audit-log-path');
      if (!logPath.value) return; // no local log: nothing to rotate (audit-logging-disabled judges the backend)
      if (logPath.value === '-' || s.get('audit-webhook-config-file').value) {
        yield pass(runSubject(s.run, logPath));
        return;
      }
      const unset = LIMITS.map((flag) => ({ flag, setting: s.get(flag) })).filter(({ setting }) => !(Number(setting.value) > 0));
      if (unset.length === 0) yield pass(runSubject(s.run, logPath));
      else {
        const limits = unset.map(({ flag, setting }) => (setting.origin.kind === 'default' ? `--${flag} unset` : `--${flag}=${setting.value}${from(setting)}`));
        yield fail(runSubject(s.run, logPath), `kube-apiserver writes the audit log to ${logPath.value} only (no webhook backend), with ${limits.join(', ')}: it is not rotated or pruned and has no copy off the node`, logPath.origin.kind === 'flag' ? { field: logPath.origin.field } : {});
      }
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kubernetes/audit/audit.log', '--audit-log-maxage=30'])],
    pass: [
      componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', ...ROTATED_LOG_FLAGS]),
      componentPodYaml('kube-apiserver', ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/audit.log', '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.conf']),
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets the missing --audit-log-maxage=30, --audit-log-maxbackup=10 and --audit-log-maxsize=100 (the audit log is rotated and pruned)',
    plan: (ctx, failures) => {
      for (const [name, value] of [['audit-log-maxage', '30'], ['audit-log-maxbackup', '10'], ['audit-log-maxsize', '100']] as const) {
        flag(['kube-apiserver'], name, (s) => (Number(s.get(name).value) > 0 ? s.get(name).value : value))(ctx, failures);
      }
    },
  },
});
