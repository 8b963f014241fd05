import { daysLeft, issuerOf, lifetimeDays, MAX_LEAF_DAYS } from '../../engines/certs/index.js';
import { REISSUE_CERTIFICATE_FIX } from '../../fix/certificate-fixes.js';
import { defineCheck, fail, pass } from '../define.js';
import { certificateSubject, certificatesOf, day, fieldOf, pkiInventory } from './certificates.js';

export default defineCheck({
  id: 'leaf-certificate-valid-over-a-year',
  section: 'credential-rotation',
  severity: 'low',
  title: 'Leaf certificate valid for more than a year',
  docs: {
    what: `Reports every non-CA certificate of the scanned node roots and kubeconfig files whose validity (notBefore to notAfter) exceeds ${MAX_LEAF_DAYS} days. kubeadm backdates the certificates it renews to its CA's notBefore; for such a certificate the validity left at the scan time is judged instead.`,
    why: 'A stolen client or serving certificate works until it expires: Kubernetes has no certificate revocation. A long-lived admin client certificate (O=system:masters) is a permanent cluster-admin credential that cannot be withdrawn short of replacing the CA.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/setup/best-practices/certificates/',
    ],
  },
  remediation: `Issue leaf certificates for a year or less and rotate them automatically: kubeadm's default is one year
(kubeadm certs renew), kubelets renew their own with rotateCertificates: true, and the controller-manager's
--cluster-signing-duration (default 8760h) bounds certificates signed through the CSR API.`,
  *evaluate(ctx) {
    const all = certificatesOf(ctx);
    for (const cert of all) {
      const facts = cert.facts;
      if (facts.isCA) continue;
      const issuer = issuerOf(facts, all);
      const backdated = issuer !== undefined && issuer.notBefore.getTime() === facts.notBefore.getTime();
      const days = backdated ? daysLeft(facts, ctx.now) : lifetimeDays(facts);
      if (days <= MAX_LEAF_DAYS) {
        yield pass(certificateSubject(cert));
        continue;
      }
      const message = backdated
        ? `${cert.label} (${facts.subject}) is still valid for ${Math.floor(days)} days (until ${day(facts.notAfter)})`
        : `${cert.label} (${facts.subject}) is valid for ${Math.floor(days)} days (${day(facts.notBefore)} to ${day(facts.notAfter)})`;
      yield fail(certificateSubject(cert), message, fieldOf(cert));
    }
  },
  fix: REISSUE_CERTIFICATE_FIX,
  examples: {
    fail: [
      {
        description: 'an admin client certificate valid for ten years',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'admin.crt': await certs.leaf(ca, 'kubernetes-admin', { organization: 'system:masters', usage: ['clientAuth'], notBefore: new Date('2026-02-01T00:00:00Z'), days: 3650 }),
        })),
      },
    ],
    pass: [
      {
        description: 'a one-year leaf; and a renewed one backdated to the CA start with under a year left',
        now: '2026-06-01T00:00:00Z',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver.crt': await certs.leaf(ca, 'kube-apiserver', { notBefore: new Date('2026-02-01T00:00:00Z'), days: 365 }),
          'apiserver-kubelet-client.crt': await certs.leaf(ca, 'kube-apiserver-kubelet-client', { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-05-01T00:00:00Z') }),
        })),
      },
    ],
  },
});
