import { KUBEADM_API_SERVER_FLAGS, componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

const FLAGS = ['kubelet-client-certificate', 'kubelet-client-key'] as const;

export default defineCheck({
  id: 'apiserver-kubelet-client-cert-missing',
  section: 'api-tls',
  severity: 'medium',
  title: 'kube-apiserver has no client certificate for kubelets',
  docs: {
    what: 'Reports every kube-apiserver without --kubelet-client-certificate or --kubelet-client-key (kubeadm sets both).',
    why: 'The API server calls every kubelet for logs, exec, attach and port-forward. Without a client certificate it calls anonymously, so those calls work only if kubelets accept anonymous requests, which opens the kubelet API (run commands in any pod on the node) to anyone who can reach port 10250.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/concepts/architecture/control-plane-node-communication/#apiserver-to-kubelet'],
  },
  remediation: `Give the API server a client certificate that kubelets trust (kubeadm's, signed by the cluster CA, in group kubeadm:cluster-admins or bound to system:kubelet-api-admin):

    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key`,
  cis: { '1.12': ['1.2.4'] },
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const missing = FLAGS.filter((f) => !s.get(f).value);
      if (missing.length === 0) yield pass(runSubject(s.run, s.get(FLAGS[0])));
      else yield fail(runSubject(s.run), `kube-apiserver has no ${missing.map((f) => `--${f}`).join(' or ')}: it calls kubelets without a client certificate`);
    });
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC']),
      componentPodYaml('kube-apiserver', ['--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt']),
    ],
    pass: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
  },
});
