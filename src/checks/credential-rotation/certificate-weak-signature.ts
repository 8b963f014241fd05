import { WEAK_SIGNATURE_HASHES } from '../../engines/certs/index.js';
import { REISSUE_CERTIFICATE_FIX } from '../../fix/certificate-fixes.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { certificateSubject, certificatesOf, fieldOf, pkiInventory } from './certificates.js';

export default defineCheck({
  id: 'certificate-weak-signature',
  section: 'credential-rotation',
  severity: 'medium',
  title: 'Certificate signed with SHA-1 or MD5',
  docs: {
    what: "Reports every certificate of the scanned node roots and kubeconfig files whose signature algorithm (read from the certificate's DER) uses SHA-1 or MD5. The self-signature of a root CA is not judged: nothing relies on it, the root is trusted as configured.",
    why: 'Chosen-prefix collisions against SHA-1 (SHAttered, 2020) and MD5 are practical: an attacker who gets one such certificate signed can forge a second one with the same signature, for example a client certificate for system:masters. Go, and so every Kubernetes component since 1.24, rejects SHA-1 signed certificates, so they also break on upgrade.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/setup/release/notes/ (v1.24: SHA-1 certificates rejected by Go 1.18)',
    ],
  },
  remediation: 'Reissue the certificate signed with SHA-256 or better (openssl: -sha256; kubeadm and cfssl do so by default), then restart what uses it.',
  *evaluate(ctx) {
    for (const cert of certificatesOf(ctx)) {
      const facts = cert.facts;
      if (facts.selfSigned && facts.isCA) {
        yield pass(certificateSubject(cert));
        continue;
      }
      const hash = facts.signature.hash;
      if (hash === undefined) yield notEvaluated(certificateSubject(cert), `${cert.label}: unknown signature algorithm ${facts.signature.oid}`);
      else if (WEAK_SIGNATURE_HASHES.has(hash)) yield fail(certificateSubject(cert), `${cert.label} (${facts.subject}) is signed with ${facts.signature.name}`, fieldOf(cert));
      else yield pass(certificateSubject(cert));
    }
  },
  fix: REISSUE_CERTIFICATE_FIX,
  examples: {
    fail: [
      {
        description: 'a kubelet client certificate signed with SHA-1',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver-kubelet-client.crt': await certs.leaf(ca, 'kube-apiserver-kubelet-client', { digest: 'sha1', usage: ['clientAuth'] }),
        })),
      },
    ],
    pass: [
      {
        description: 'SHA-256 signatures (and a root whose self-signature is SHA-1, which nothing verifies)',
        build: () => pkiInventory(async (certs, ca) => ({
          'apiserver.crt': await certs.leaf(ca, 'kube-apiserver'),
          'legacy-root.crt': await certs.ca('legacy-root', { digest: 'sha1' }),
        })),
      },
    ],
  },
});
