// The certificates engine: X.509 facts (validity, key, signature algorithm, CA or leaf) of every
// certificate the inventory shows.

export { certificateFacts, daysLeft, isWeakRsa, lifetimeDays, MIN_RSA_BITS, parsePemBundle, PEM_BLOCK, WEAK_SIGNATURE_HASHES, type CertificateFacts, type PemEntry, type SignatureAlgorithm } from './certificate.js';
export { collectCertificates, issuerOf, kubeconfigCertificateErrors, pemErrors, type CollectedCertificate } from './collect.js';
