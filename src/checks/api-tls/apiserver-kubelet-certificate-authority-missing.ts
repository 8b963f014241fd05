import { componentPodYaml, forEachRun, from, runSubject } from '../component-support.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { flag } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'apiserver-kubelet-certificate-authority-missing',
  section: 'api-tls',
  severity: 'medium',
  title: 'kube-apiserver does not verify kubelet serving certificates',
  docs: {
    what: 'Reports every kube-apiserver without --kubelet-certificate-authority. kubeadm does not set it by default, because kubelets serve self-signed certificates unless serverTLSBootstrap is on.',
    why: 'The API server connects to kubelets for exec, attach, port-forward and logs, sending its own client credentials. Without verifying the kubelet\'s certificate, anyone who can redirect traffic to a node\'s port 10250 receives those streams and can answer in the kubelet\'s name.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/#apiserver-to-kubelet'],
  },
  remediation: `Turn on kubelet serving certificates signed by the cluster CA (KubeletConfiguration serverTLSBootstrap: true, approve the CSRs), then:

    - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt`,
  cis: { '1.12': ['1.2.5'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const ca = s.get('kubelet-certificate-authority');
      if (ca.unresolved) yield notEvaluated(runSubject(s.run, ca), ca.unresolved);
      else if (ca.value) yield pass(runSubject(s.run, ca));
      else yield fail(runSubject(s.run), `kube-apiserver has no --kubelet-certificate-authority${from(ca)}: kubelet certificates are not verified`);
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC'])],
    pass: [componentPodYaml('kube-apiserver', ['--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets --kubelet-certificate-authority to the cluster CA (/etc/kubernetes/pki/ca.crt)',
    risk: 'kubelet serving certificates must be signed by the cluster CA (serverTLSBootstrap: true and approved CSRs); self-signed ones make kubectl logs, exec and port-forward fail',
    plan: flag(['kube-apiserver'], 'kubelet-certificate-authority', '/etc/kubernetes/pki/ca.crt'),
  },
});
