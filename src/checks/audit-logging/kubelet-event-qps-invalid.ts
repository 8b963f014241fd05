import { forEachKubelet, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-event-qps-invalid',
  section: 'audit-logging',
  severity: 'info',
  title: 'Kubelet event rate limit is not a usable number (eventRecordQPS)',
  docs: {
    what: 'Reports every kubelet whose effective eventRecordQPS (--event-qps; default 50, burst 100) is not a whole number of at least 0, the test kube-bench runs for CIS 4.2.8. 0 means no rate limit: every event is recorded. kubeward sets no floor above 0: how many events a node may send per second is a capacity decision for the API server, and any threshold would be invented.',
    why: 'Events are the cluster\'s record of what happened to pods on a node (failed pulls, evictions, probe failures, OOM kills). A kubelet that cannot parse its rate limit does not start; one whose limit drops events loses that record when it matters most, under load or attack.',
    references: ['Securing a Cluster: Enable audit logging', 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
  cis: { '1.12': ['4.2.8'] },
  remediation: `KubeletConfiguration (and remove --event-qps from the kubelet's flags), then restart the kubelet:
eventRecordQPS: 50   # the default; 0 records every event`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'eventRecordQPS', (v) => v === undefined || (/^\d+$/.test(v.trim())), (v) => `eventRecordQPS ${v} is not a whole number of at least 0`);
    });
  },
  examples: {
    fail: [kubeletConfigYaml('eventRecordQPS: -1')],
    pass: [kubeletConfigYaml('eventRecordQPS: 0'), kubeletConfigYaml('eventRecordQPS: 5'), kubeletConfigYaml('rotateCertificates: true')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets eventRecordQPS: 50 (the default) in the kubelet\'s config file (and takes --event-qps off its command line)',
    plan: kubeletField('eventRecordQPS', 50),
  },
});
