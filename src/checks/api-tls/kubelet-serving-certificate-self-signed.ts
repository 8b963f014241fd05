import { forEachKubelet, from, kubeletConfigYaml, kubeletSubject, settingField } from '../component-support.js';
import { serverCertificateGateOff } from '../credential-rotation/kubelet-server-certificate-gate.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';

const CIS_NOTE = 'CIS 4.2.9 (kube-bench) requires tlsCertFile and tlsPrivateKeyFile; kubeward also accepts serverTLSBootstrap, which gets the kubelet a cluster-signed certificate without them';

export default defineCheck({
  id: 'kubelet-serving-certificate-self-signed',
  section: 'api-tls',
  severity: 'medium',
  title: 'Kubelet serves its API with a self-signed certificate',
  docs: {
    what: 'Reports every kubelet that has neither a serving certificate and key (tlsCertFile and tlsPrivateKeyFile, --tls-cert-file and --tls-private-key-file) nor serverTLSBootstrap: true with the RotateKubeletServerCertificate gate on; such a kubelet generates a self-signed certificate at start. One of the two files without the other is reported too: the kubelet cannot load that key pair. CIS 4.2.9, as kube-bench audits it, asks for both files, so a kubelet that relies on serverTLSBootstrap alone passes here and fails there.',
    why: 'Nobody can verify a self-signed kubelet certificate: kube-apiserver either skips verification of the kubelet (exec, logs, port-forward and attach traffic open to a man in the middle) or cannot reach it once --kubelet-certificate-authority is set.',
    references: ['Securing a Cluster: Use Transport Layer Security (TLS) for all API traffic', 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#kubelet-serving-certificates'],
  },
  cis: { '1.12': ['4.2.9'] },
  remediation: `KubeletConfiguration, then restart the kubelet; either a certificate signed by a CA kube-apiserver trusts:
tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
or a cluster-signed one the kubelet requests and renews (approve its CSRs):
serverTLSBootstrap: true`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      const cert = k.get('tlsCertFile');
      const key = k.get('tlsPrivateKeyFile');
      const bootstrap = k.get('serverTLSBootstrap');
      const gates = k.get('featureGates');
      const unresolved = cert.unresolved ?? key.unresolved ?? bootstrap.unresolved ?? gates.unresolved;
      if (unresolved) {
        yield notEvaluated(kubeletSubject(k), unresolved);
        return;
      }
      if (cert.value && key.value) {
        yield pass(kubeletSubject(k, cert));
        return;
      }
      const one = cert.value ? cert : key.value ? key : undefined;
      if (one) {
        const missing = cert.value ? 'tlsPrivateKeyFile' : 'tlsCertFile';
        yield fail(kubeletSubject(k, one), `kubelet on ${k.node}: ${one === cert ? 'tlsCertFile' : 'tlsPrivateKeyFile'} is set${from(one)} but ${missing} is not, so it cannot load its serving key pair`, {
          ...settingField(one),
        });
        return;
      }
      if (bootstrap.value === 'true' && !serverCertificateGateOff(gates)) {
        yield pass(kubeletSubject(k, bootstrap), { cis: { '1.12': { '4.2.9': 'fail' } }, cisNote: CIS_NOTE });
        return;
      }
      yield fail(kubeletSubject(k), `kubelet on ${k.node}: no tlsCertFile/tlsPrivateKeyFile and no serverTLSBootstrap, so it serves a self-signed certificate nobody can verify`, { field: 'tlsCertFile' });
    });
  },
  examples: {
    fail: [kubeletConfigYaml('rotateCertificates: true'), kubeletConfigYaml('tlsCertFile: /var/lib/kubelet/pki/kubelet.crt')],
    pass: [
      kubeletConfigYaml('tlsCertFile: /var/lib/kubelet/pki/kubelet.crt\ntlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key'),
      { description: 'serverTLSBootstrap alone (CIS 4.2.9 still fails)', yaml: kubeletConfigYaml('serverTLSBootstrap: true') },
    ],
  },
});
