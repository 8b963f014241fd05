import { cisVerdict, componentPodYaml, forEachRunOf, from, hostOfAddress, isLoopbackHost, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'component-serves-on-all-interfaces',
  section: 'api-tls',
  severity: 'low',
  title: 'kube-controller-manager or kube-scheduler serves beyond loopback, or on an insecure port',
  docs: {
    what: 'Reports kube-controller-manager and kube-scheduler whose effective --bind-address is not a loopback address (the default is 0.0.0.0; kubeadm sets 127.0.0.1), and, on versions that still had it, a non-zero insecure --port (a finding of high severity). The CIS view follows kube-bench: an unset --bind-address passes there, and only exactly 127.0.0.1 passes when it is set (::1 or localhost fail).',
    why: 'Their secure ports expose /metrics, /debug/pprof (with profiling on) and health endpoints to the whole network, widening the attack surface of the control plane; the old insecure ports served them without TLS or authentication.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic'],
  },
  remediation: `Bind to loopback and close the insecure port (kubeadm does):

    - --bind-address=127.0.0.1
    - --port=0            # only on versions before 1.24 / 1.23`,
  cis: { '1.12': ['1.3.7', '1.4.2'] },
  *evaluate(ctx) {
    yield* forEachRunOf(ctx, ['kube-controller-manager', 'kube-scheduler'], function* (s) {
      const component = s.run.component;
      const control = component === 'kube-scheduler' ? '1.4.2' : '1.3.7';
      const port = s.get('port');
      if (port.value && port.value !== '0' && port.origin.kind === 'flag') {
        // The insecure port is no CIS 1.12 control (it was removed before 1.24).
        yield fail(runSubject(s.run, port), `${component} serves the insecure port ${port.value} without TLS or authentication${from(port)}`, { severity: 'high', field: port.origin.field, cis: { '1.12': {} } });
      }
      const bind = s.get('bind-address');
      // kube-bench: --bind-address unset, or eq 127.0.0.1.
      const cisPasses = !s.run.flags.has('bind-address') || bind.value === '127.0.0.1';
      if (bind.unresolved) return yield notEvaluated(runSubject(s.run, bind), bind.unresolved, { cis: { '1.12': { [control]: cisPasses ? 'pass' : 'fail' } } });
      if (bind.value && isLoopbackHost(hostOfAddress(bind.value))) {
        yield pass(runSubject(s.run, bind), cisVerdict(control, cisPasses, true, `kube-bench passes exactly 127.0.0.1; kubeward accepts any loopback address (${bind.value})`));
      } else {
        yield fail(runSubject(s.run, bind), `${component} listens on ${bind.value ?? 'all interfaces'}${from(bind)}`, {
          ...(bind.origin.kind === 'flag' ? { field: bind.origin.field } : {}),
          ...cisVerdict(control, cisPasses, false, 'CIS passes an unset --bind-address; kubeward does not (the default is 0.0.0.0)'),
        });
      }
    });
  },
  examples: {
    fail: [componentPodYaml('kube-scheduler', ['--bind-address=0.0.0.0', '--kubeconfig=/etc/kubernetes/scheduler.conf'])],
    pass: [`${componentPodYaml('kube-scheduler', ['--bind-address=127.0.0.1'])}
---
${componentPodYaml('kube-controller-manager', ['--bind-address=127.0.0.1'])}`],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets --bind-address=127.0.0.1 on kube-controller-manager and kube-scheduler (kubeadm\'s default) and turns the insecure --port off',
    risk: 'metrics scrapers and health checks from other hosts can no longer reach /metrics and /healthz',
    plan: (ctx, failures) => {
      flag(['kube-controller-manager', 'kube-scheduler'], 'bind-address', '127.0.0.1')(ctx, failures);
      flag(['kube-controller-manager', 'kube-scheduler'], 'port', (s) => (s.get('port').origin.kind === 'flag' ? '0' : undefined))(ctx, failures);
    },
  },
});
