import { defineCheck } from '../define.js';
import { judgeKubeletRotation } from './kubelet-rotation.js';
import { kubeletField } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-serving-certificate-rotation-disabled',
  section: 'credential-rotation',
  severity: 'low',
  title: 'Kubelet serving certificate is not requested from the cluster (serverTLSBootstrap off)',
  docs: {
    what: 'Reports every kubelet whose effective serverTLSBootstrap (flag --rotate-server-certificates) is not true. The default is false: the kubelet then serves its API (port 10250) with a self-signed certificate it generates once, or a static file.',
    why: 'A self-signed serving certificate is never rotated and cannot be verified by the API server, so kube-apiserver to kubelet traffic (exec, logs, port-forward) is open to interception, and the key lives as long as the node. With serverTLSBootstrap the kubelet requests a cluster-signed serving certificate and renews it.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation',
      'CIS Kubernetes Benchmark 4.2.12 (RotateKubeletServerCertificate)',
    ],
  },
  remediation: `In the kubelet's config file, then restart the kubelet:

serverTLSBootstrap: true

Serving-certificate CSRs (signer kubernetes.io/kubelet-serving) are not approved automatically: approve them
(kubectl certificate approve) or run an approver such as kubelet-csr-approver, and give kube-apiserver
--kubelet-certificate-authority to verify kubelets.`,
  evaluate: (ctx) => judgeKubeletRotation(ctx, 'serverTLSBootstrap', 'its serving certificate is self-signed and never renewed'),
  examples: {
    fail: [
      `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true`,
    ],
    pass: [
      `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true
serverTLSBootstrap: true`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets serverTLSBootstrap: true in the kubelet\'s config file (its serving certificate is requested from the cluster CA)',
    risk: 'kubelet serving CSRs are not approved automatically: until someone approves them (or an approver is installed) kubectl logs and exec to that node fail',
    plan: kubeletField('serverTLSBootstrap', true),
  },
});
