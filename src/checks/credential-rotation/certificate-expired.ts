import { daysLeft } from '../../engines/certs/index.js';
import { REISSUE_CERTIFICATE_FIX } from '../../fix/certificate-fixes.js';
import { defineCheck, fail, pass } from '../define.js';
import { certificateSubject, certificatesOf, day, fieldOf, pkiInventory } from './certificates.js';

export default defineCheck({
  id: 'certificate-expired',
  section: 'credential-rotation',
  severity: 'high',
  title: 'Certificate has expired',
  docs: {
    what: 'Reads every certificate of the scanned node roots (/etc/kubernetes/pki, /var/lib/kubelet/pki) and every certificate embedded in kubeconfig files, and reports each whose notAfter date has passed at the scan time (--now). A certificate that cannot be parsed is an input error of the scan (exit code 2), named once, not a result of this check.',
    why: 'An expired serving or client certificate stops the component that uses it: the API server, etcd or kubelets refuse the connection and the control plane fails. It also shows that rotation is not automated, so every other credential is likely long-lived as well.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
    ],
  },
  remediation: `Renew the certificate and restart what uses it. On kubeadm clusters:

kubeadm certs check-expiration
kubeadm certs renew all
# then restart the control-plane static pods (move the manifests out of /etc/kubernetes/manifests and back)

Enable kubelet client certificate rotation (rotateCertificates: true) so kubelets renew their own.`,
  *evaluate(ctx) {
    for (const cert of certificatesOf(ctx)) {
      const subject = certificateSubject(cert);
      const left = daysLeft(cert.facts, ctx.now);
      if (left < 0) {
        yield fail(subject, `${cert.label} (${cert.facts.subject}) expired on ${day(cert.facts.notAfter)}, ${Math.floor(-left)} day(s) before the scan`, fieldOf(cert));
      } else yield pass(subject);
    }
  },
  fix: REISSUE_CERTIFICATE_FIX,
  examples: {
    fail: [
      {
        description: 'the API server certificate expired in 2025',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver.crt': await certs.leaf(ca, 'kube-apiserver', { notBefore: new Date('2024-03-01T00:00:00Z'), notAfter: new Date('2025-03-01T00:00:00Z') }),
        })),
      },
    ],
    pass: [
      {
        description: 'every certificate valid at the scan time',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver.crt': await certs.leaf(ca, 'kube-apiserver', { notBefore: new Date('2026-03-01T00:00:00Z'), days: 365 }),
        })),
      },
    ],
  },
});
