import { findReferencedFile } from '../../engines/config/index.js';
import { valueAt } from '../../engines/config/settings.js';
import { KUBEADM_API_SERVER_FLAGS, cisVerdict, componentPodYaml, forEachRunOf, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass, subjectAtField } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

const CONTROL = { 'kube-apiserver': '1.2.15', 'kube-controller-manager': '1.3.2', 'kube-scheduler': '1.4.1' } as const;
type ProfiledComponent = keyof typeof CONTROL;
const COMPONENTS = Object.keys(CONTROL) as ProfiledComponent[];

/** kube-bench compares booleans case-insensitively; so does this check. */
const isFalse = (value: string | undefined) => value?.toLowerCase() === 'false';

const CONFIG_NOTE = 'kube-bench reads only the --profiling flag, which kube-scheduler ignores when it runs with --config';

export default defineCheck({
  id: 'component-profiling-enabled',
  section: 'api-tls',
  severity: 'low',
  title: 'kube-apiserver, kube-controller-manager or kube-scheduler serves profiling data',
  docs: {
    what: 'Reports every kube-apiserver, kube-controller-manager and kube-scheduler whose profiling is on: --profiling is not false (the default is true) or, for a kube-scheduler run with --config, the KubeSchedulerConfiguration\'s enableProfiling is not false (kube-scheduler then ignores --profiling; enableProfiling defaults to true). The CIS view follows kube-bench, which reads the --profiling flag only.',
    why: 'With profiling on, /debug/pprof on the component\'s secure port hands out heap and goroutine dumps and CPU profiles to anyone authorized for it: program internals (and memory contents) that help an attacker, and an easy way to load the control plane. Nothing needs it outside a debugging session.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'],
  },
  remediation: `Turn profiling off on each of them (kube-apiserver, kube-controller-manager, kube-scheduler):

    - --profiling=false

and, for a kube-scheduler started with --config, in its KubeSchedulerConfiguration:

enableProfiling: false`,
  cis: { '1.12': ['1.2.15', '1.3.2', '1.4.1'] },
  *evaluate(ctx) {
    yield* forEachRunOf(ctx, COMPONENTS, function* (s) {
      const component = s.run.component as ProfiledComponent;
      const control = CONTROL[component];
      const profiling = s.get('profiling');
      // kube-bench: `--profiling` on the command line, eq false.
      const cisPasses = s.run.flags.has('profiling') && isFalse(profiling.value);
      const cis = (kubewardPasses: boolean) => cisVerdict(control, cisPasses, kubewardPasses, CONFIG_NOTE);
      const config = component === 'kube-scheduler' ? s.get('config') : undefined;
      if (config?.value) {
        const found = findReferencedFile(ctx.inventory, 'KubeSchedulerConfiguration', config.value);
        if (!found.found) {
          yield notEvaluated(runSubject(s.run, config), `kube-scheduler takes enableProfiling from ${config.value} (--config) and ignores --profiling: ${found.reason}`, cis(!cisPasses));
          return;
        }
        const enabled = valueAt(found.item.object, 'enableProfiling');
        // The run stays the subject (what a fix and a baseline key on), located in the file.
        const subject = { ref: s.run.ref, location: subjectAtField(found.item, enabled === undefined ? undefined : 'enableProfiling').location };
        if (isFalse(enabled === undefined ? undefined : String(enabled))) yield pass(subject, cis(true));
        else yield fail(subject, `kube-scheduler serves profiling data: enableProfiling is ${enabled === undefined ? 'unset (default true)' : String(enabled)} in ${config.value}, its --config`, cis(false));
        return;
      }
      if (isFalse(profiling.value)) yield pass(runSubject(s.run, profiling), cis(true));
      else yield fail(runSubject(s.run, profiling), `${component} serves profiling data on /debug/pprof: --profiling is ${profiling.value}${from(profiling)}`, { ...(profiling.origin.kind === 'flag' ? { field: profiling.origin.field } : {}), ...cis(false) });
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      componentPodYaml('kube-controller-manager', ['--profiling=true', '--bind-address=127.0.0.1']),
      { description: 'kube-scheduler with --config: --profiling=false is ignored, the file leaves profiling on', yaml: `${componentPodYaml('kube-scheduler', ['--config=/etc/kubernetes/scheduler-config.yaml', '--profiling=false'])}
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection: {kubeconfig: /etc/kubernetes/scheduler.conf}` },
    ],
    pass: [
      `${componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS, '--profiling=false'])}
---
${componentPodYaml('kube-controller-manager', ['--profiling=false'])}
---
${componentPodYaml('kube-scheduler', ['--profiling=false'])}`,
      { description: 'kube-scheduler with --config and enableProfiling: false', yaml: `${componentPodYaml('kube-scheduler', ['--config=/etc/kubernetes/scheduler-config.yaml'])}
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
enableProfiling: false` },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets --profiling=false on kube-apiserver, kube-controller-manager and kube-scheduler; a kube-scheduler run with --config is left to a person (enableProfiling: false in that file)',
    plan: flag(COMPONENTS, 'profiling', (s) => (s.run.component === 'kube-scheduler' && s.get('config').value ? null : 'false'), 'kube-scheduler runs with --config, which makes it ignore --profiling: set enableProfiling: false in that KubeSchedulerConfiguration'),
  },
});
