import { componentPodYaml, forEachRun, from, runSubject, settingField } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { dropFeatureGates } from '../../fix/node-fixes.js';
import { SERVER_CERTIFICATE_GATE, serverCertificateGateOff } from './kubelet-server-certificate-gate.js';

const CONTROLLER_MANAGER_FLAGS = ['--kubeconfig=/etc/kubernetes/controller-manager.conf', '--use-service-account-credentials=true'];

export default defineCheck({
  id: 'controller-manager-kubelet-server-certificate-gate-off',
  section: 'credential-rotation',
  severity: 'low',
  title: 'kube-controller-manager turns off RotateKubeletServerCertificate',
  docs: {
    what: `Reports every kube-controller-manager whose --feature-gates sets ${SERVER_CERTIFICATE_GATE} to false (any Go boolean spelling: false, False, 0, f); the gate is on by default since Kubernetes 1.12. kube-bench looks for the text "${SERVER_CERTIFICATE_GATE}=false", so it misses the other spellings; kubeward reads the gate for the CIS verdict too.`,
    why: 'Kubelet serving certificates are requested and renewed through CSRs the control plane handles; with the gate off, the cluster opts out of the rotation of kubelet serving certificates and kubelets stay on self-signed or static certificates that never rotate.',
    references: ['Securing a Cluster: Rotate infrastructure credentials frequently', 'https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/'],
  },
  cis: { '1.12': ['1.3.6'] },
  remediation: `Take ${SERVER_CERTIFICATE_GATE}=false out of --feature-gates in /etc/kubernetes/manifests/kube-controller-manager.yaml (or set it to true).`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-controller-manager', function* (s) {
      const gates = s.get('feature-gates');
      if (gates.unresolved) yield notEvaluated(runSubject(s.run, gates), gates.unresolved);
      else if (serverCertificateGateOff(gates)) {
        yield fail(runSubject(s.run, gates), `${s.run.ref.name}: --feature-gates turns ${SERVER_CERTIFICATE_GATE} off${from(gates)}, so kubelet serving certificates are not rotated`, {
          ...settingField(gates),
        });
      } else yield pass(runSubject(s.run, gates));
    });
  },
  examples: {
    fail: [componentPodYaml('kube-controller-manager', [...CONTROLLER_MANAGER_FLAGS, `--feature-gates=${SERVER_CERTIFICATE_GATE}=false`])],
    pass: [
      componentPodYaml('kube-controller-manager', CONTROLLER_MANAGER_FLAGS),
      componentPodYaml('kube-controller-manager', [...CONTROLLER_MANAGER_FLAGS, `--feature-gates=${SERVER_CERTIFICATE_GATE}=true`]),
    ],
  },
  fix: {
    safety: 'safe',
    summary: `takes ${SERVER_CERTIFICATE_GATE}=false off kube-controller-manager's --feature-gates (the gate is on by default)`,
    plan: dropFeatureGates((name, on) => name === SERVER_CERTIFICATE_GATE && !on),
  },
});
