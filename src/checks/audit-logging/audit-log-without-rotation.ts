import type { ComponentSettings } from '../../engines/config/index.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';
import type { CisOutcome } from '../types.js';
import { ROTATED_LOG_FLAGS } from './audit-policy.js';
import { flag } from '../../fix/node-fixes.js';

const LIMITS = ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'] as const;

/** CIS's minimums (kube-bench: the flag set, an integer, gte): days, files, megabytes. */
const CIS_MINIMUM = { 'audit-log-maxage': ['1.2.17', 30], 'audit-log-maxbackup': ['1.2.18', 10], 'audit-log-maxsize': ['1.2.19', 100] } as const;

const CIS_NOTE = 'CIS asks for --audit-log-maxage >= 30, --audit-log-maxbackup >= 10 and --audit-log-maxsize >= 100 whatever the backend; kubeward fails only a log kept on the node alone and never rotated or pruned';

function cisOutcomes(s: ComponentSettings): Partial<Record<Cis112ControlId, CisOutcome>> {
  return Object.fromEntries(LIMITS.map((flag) => {
    const [control, minimum] = CIS_MINIMUM[flag];
    const value = s.get(flag);
    const set = value.origin.kind === 'flag' && /^\s*[+-]?\d+\s*$/.test(value.value ?? '');
    return [control, set && Number(value.value) >= minimum ? 'pass' : 'fail'];
  }));
}

export default defineCheck({
  id: 'audit-log-without-rotation',
  section: 'audit-logging',
  severity: 'medium',
  title: 'The audit log is kept only on the node, without rotation or retention',
  docs: {
    what: 'Reports every kube-apiserver that writes its audit log to a local file (--audit-log-path) and ships no copy elsewhere (no --audit-webhook-config-file), while --audit-log-maxage, --audit-log-maxbackup or --audit-log-maxsize is unset or 0. CIS 1.2.17-1.2.19 are judged apart, as kube-bench does, for every API server whatever its backend: maxage at least 30, maxbackup at least 10, maxsize at least 100, an unset flag failing.',
    why: 'Without maxsize the log is never rotated and grows until the control-plane disk fills, which stops etcd and the API server; without maxage and maxbackup old files are never removed, or, once rotated, evidence disappears on no schedule anyone chose. And a log that lives only on the node it describes can be erased by whoever compromises that node: the guide asks to archive it on a secure server.',
    references: [
      'Securing a Cluster: Enable audit logging',
      'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend',
    ],
  },
  remediation: `Bound the local log and ship it off the node:

--audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
--audit-webhook-config-file=/etc/kubernetes/audit-webhook.conf   (or a log shipper reading the file)`,
  cis: { '1.12': ['1.2.17', '1.2.18', '1.2.19'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const logPath = s.get('audit-log-path');
      const outcomes = cisOutcomes(s);
      const cis = { cis: { '1.12': outcomes }, ...(Object.values(outcomes).includes('fail') ? { cisNote: CIS_NOTE } : {}) };
      // No local log (audit-logging-disabled judges the backend), stdout, or a copy shipped off the node: nothing kept here unbounded.
      if (!logPath.value || logPath.value === '-' || s.get('audit-webhook-config-file').value) return yield pass(runSubject(s.run, logPath), cis);
      const unset = LIMITS.map((flag) => ({ flag, setting: s.get(flag) })).filter(({ setting }) => !(Number(setting.value) > 0));
      if (unset.length === 0) yield pass(runSubject(s.run, logPath), cis);
      else {
        const limits = unset.map(({ flag, setting }) => (setting.origin.kind === 'default' ? `--${flag} unset` : `--${flag}=${setting.value}${from(setting)}`));
        yield fail(runSubject(s.run, logPath), `kube-apiserver writes the audit log to ${logPath.value} only (no webhook backend), with ${limits.join(', ')}: it is not rotated or pruned and has no copy off the node`, { ...(logPath.origin.kind === 'flag' ? { field: logPath.origin.field } : {}), cis: { '1.12': outcomes } });
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
