import { forEachKubelet, isWritten, judgeKubeletField } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-client-certificate-rotation-disabled',
  section: 'credential-rotation',
  severity: 'medium',
  title: 'Kubelet does not rotate its client certificate',
  docs: {
    what: 'Reports every kubelet (read from a node root, a /configz snapshot or a KubeletConfiguration file) whose effective rotateCertificates (flag --rotate-certificates) is not true. The default is false both with and without a config file; kubeadm writes true. CIS 4.2.10 only refuses an explicit false, so an unset value fails here and passes there.',
    why: 'Without rotation the kubelet keeps the client certificate it was given at join time until it expires: a long-lived node credential that, once stolen, works for its whole lifetime, and a node that drops out of the cluster on the day it expires.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation',
    ],
  },
  cis: { '1.12': ['4.2.10'] },
  remediation: `In the kubelet's config file (/var/lib/kubelet/config.yaml), then restart the kubelet:

rotateCertificates: true

The kube-controller-manager approves and signs the renewal CSRs (csrapproving, csrsigning controllers).`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'rotateCertificates', (v) => v === 'true', (v) => `rotateCertificates is ${v ?? 'unset'}, so its client certificate is never renewed`, {
        control: '4.2.10',
        passes: (s) => !isWritten(s) || s.value === 'true',
        note: () => 'CIS 4.2.10 passes an unset rotateCertificates; kubeward does not (the default is false: the client certificate is never renewed)',
      });
    });
  },
  examples: {
    fail: [
      `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}}
authorization: {mode: Webhook}
rotateCertificates: false`,
      {
        description: 'a config file that does not set it: the default is false',
        yaml: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authorization: {mode: Webhook}`,
      },
    ],
    pass: [
      `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true
serverTLSBootstrap: true`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'sets rotateCertificates: true in the kubelet\'s config file (the kubelet renews its client certificate through a CSR that kube-controller-manager approves)',
    plan: kubeletField('rotateCertificates', true),
  },
});
