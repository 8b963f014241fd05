// The certificates engine: X.509 facts (validity, key, signature algorithm, CA or leaf) of every
// certificate the inventory shows, and re-issuing a leaf with its CA's key.

export { certificateFacts, daysLeft, isWeakRsa, lifetimeDays, MAX_LEAF_DAYS, MIN_RSA_BITS, parsePemBundle, PEM_BLOCK, WEAK_SIGNATURE_HASHES, type CertificateFacts, type PemEntry, type SignatureAlgorithm } from './certificate.js';
export { collectCertificates, issuerOf, kubeconfigCertificateErrors, pemErrors, type CollectedCertificate } from './collect.js';
export { BACKDATE_MS, newKeySpecFor, privateKeyPem, privateKeysIn, reissueCertificate, ReissueError, REISSUE_DAYS, signingAlgorithmFor, type NewKeySpec, type Reissued } from './reissue.js';
