import { daysLeft } from '../../engines/certs/index.js';
import { REISSUE_CERTIFICATE_FIX } from '../../fix/certificate-fixes.js';
import { defineCheck, fail, pass } from '../define.js';
import { EXPIRY_WARNING_DAYS, certificateSubject, certificatesOf, day, fieldOf, pkiInventory } from './certificates.js';

export default defineCheck({
  id: 'certificate-expiring-soon',
  section: 'credential-rotation',
  severity: 'medium',
  title: `Certificate expires within ${EXPIRY_WARNING_DAYS} days`,
  docs: {
    what: `Reports every certificate of the scanned node roots and kubeconfig files that is still valid at the scan time but expires within ${EXPIRY_WARNING_DAYS} days. Expired certificates are reported by certificate-expired.`,
    why: 'When it expires, the component that uses it loses its connections (API server to etcd, kubelet to API server) and the cluster degrades or stops. Renewing ahead keeps the rotation a routine change instead of an outage.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/',
    ],
  },
  remediation: `Renew it now. On kubeadm clusters:

kubeadm certs check-expiration
kubeadm certs renew <name>    # or: kubeadm certs renew all; kubeadm upgrade also renews them

Then restart the components that read it.`,
  *evaluate(ctx) {
    for (const cert of certificatesOf(ctx)) {
      const left = daysLeft(cert.facts, ctx.now);
      if (left < 0) continue;
      if (left <= EXPIRY_WARNING_DAYS) {
        yield fail(certificateSubject(cert), `${cert.label} (${cert.facts.subject}) expires on ${day(cert.facts.notAfter)}, in ${Math.floor(left)} day(s)`, fieldOf(cert));
      } else yield pass(certificateSubject(cert));
    }
  },
  fix: REISSUE_CERTIFICATE_FIX,
  examples: {
    fail: [
      {
        description: 'the etcd server certificate expires in 10 days',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'etcd/server.crt': await certs.leaf(ca, 'etcd-server', { notBefore: new Date('2025-06-11T00:00:00Z'), notAfter: new Date('2026-06-11T00:00:00Z') }),
        })),
      },
    ],
    pass: [
      {
        description: 'the certificate has 200 days left',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'etcd/server.crt': await certs.leaf(ca, 'etcd-server', { notBefore: new Date('2026-03-01T00:00:00Z'), notAfter: new Date('2026-12-18T00:00:00Z') }),
        })),
      },
    ],
  },
});
