import { isWeakRsa, MIN_RSA_BITS } from '../../engines/certs/index.js';
import { REISSUE_CERTIFICATE_FIX } from '../../fix/certificate-fixes.js';
import { defineCheck, fail, pass } from '../define.js';
import { certificateSubject, certificatesOf, fieldOf, pkiInventory } from './certificates.js';

export default defineCheck({
  id: 'certificate-weak-rsa-key',
  section: 'credential-rotation',
  severity: 'medium',
  title: `Certificate with an RSA key under ${MIN_RSA_BITS} bits`,
  docs: {
    what: `Reports every certificate of the scanned node roots and kubeconfig files whose public key is RSA with a modulus under ${MIN_RSA_BITS} bits. A CA certificate is reported at high severity, since its key signs every other credential.`,
    why: `RSA keys under ${MIN_RSA_BITS} bits are disallowed by NIST SP 800-131A; 1024-bit keys are within reach of well-funded attackers. Factoring a CA key lets an attacker mint client certificates for any user, system:masters included.`,
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'NIST SP 800-131A Rev. 2',
    ],
  },
  remediation: `Reissue the certificate with a ${MIN_RSA_BITS}-bit (or larger) RSA key or an ECDSA P-256 key. kubeadm: set
encryptionAlgorithm (RSA-2048, RSA-3072, ECDSA-P256) in ClusterConfiguration, then kubeadm certs renew.
A weak CA key means a new CA: plan a CA rotation (https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/).`,
  *evaluate(ctx) {
    for (const cert of certificatesOf(ctx)) {
      const facts = cert.facts;
      if (isWeakRsa(facts)) {
        yield fail(certificateSubject(cert), `${cert.label} (${facts.subject}) has a ${facts.key.bits}-bit RSA key${facts.isCA ? '; it is a CA' : ''}`, {
          ...fieldOf(cert),
          ...(facts.isCA ? { severity: 'high' as const } : {}),
        });
      } else yield pass(certificateSubject(cert));
    }
  },
  fix: REISSUE_CERTIFICATE_FIX,
  examples: {
    fail: [
      {
        description: 'a front-proxy client certificate with a 1024-bit RSA key',
        build: () => pkiInventory(async (certs, ca) => ({
          'front-proxy-client.crt': await certs.leaf(ca, 'front-proxy-client', { key: { type: 'rsa', bits: 1024 }, usage: ['clientAuth'] }),
        })),
      },
    ],
    pass: [
      {
        description: 'RSA 2048 and ECDSA P-256 keys',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver.crt': await certs.leaf(ca, 'kube-apiserver'),
          'etcd/server.crt': await certs.leaf(ca, 'etcd-server', { key: { type: 'ec', curve: 'P-256' } }),
        })),
      },
    ],
  },
});
