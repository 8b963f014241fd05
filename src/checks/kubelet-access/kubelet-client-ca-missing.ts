import { forEachKubelet, judgeKubeletField, kubeletConfigYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { kubeletClientCa } from '../../fix/node-fixes.js';

export default defineCheck({
  id: 'kubelet-client-ca-missing',
  section: 'kubelet-access',
  severity: 'medium',
  title: 'Kubelet does not verify client certificates',
  docs: {
    what: 'Reports every kubelet without an effective authentication.x509.clientCAFile (--client-ca-file).',
    why: 'Without a client CA the kubelet cannot authenticate the API server\'s client certificate (--kubelet-client-certificate) or any other certificate, which pushes operators to anonymous access; with one, the API server\'s exec/logs/port-forward calls are authenticated and authorized.',
    references: ['Securing a Cluster: Controlling access to the Kubelet', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/#kubelet-authentication'],
  },
  cis: { '1.12': ['4.2.3'] },
  remediation: `KubeletConfiguration:

authentication:
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      yield judgeKubeletField(k, 'authentication.x509.clientCAFile', (v) => Boolean(v), () => 'no client CA: client certificates are not verified');
    });
  },
  examples: {
    fail: [kubeletConfigYaml('authentication:\n  webhook: {enabled: true}')],
    pass: [kubeletConfigYaml('authentication:\n  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}')],
  },
  fix: {
    safety: 'safe',
    summary: 'sets authentication.x509.clientCAFile to the cluster CA (/etc/kubernetes/pki/ca.crt) when the node has it; for a config file read without its node, to that path only with --unsafe-fixes',
    plan: kubeletClientCa,
  },
});
