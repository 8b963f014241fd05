// Checks of section credential-rotation. Each check is one module beside this file; list it here.
import certificateExpired from './certificate-expired.js';
import certificateExpiringSoon from './certificate-expiring-soon.js';
import leafCertificateValidOverAYear from './leaf-certificate-valid-over-a-year.js';
import certificateWeakRsaKey from './certificate-weak-rsa-key.js';
import certificateWeakSignature from './certificate-weak-signature.js';
import kubeletClientCertificateRotationDisabled from './kubelet-client-certificate-rotation-disabled.js';
import kubeletServingCertificateRotationDisabled from './kubelet-serving-certificate-rotation-disabled.js';
import legacyServiceAccountTokenSecret from './legacy-service-account-token-secret.js';
import bootstrapTokenSecretPresent from './bootstrap-token-secret-present.js';
import serviceAccountTokenMaxExpirationLong from './service-account-token-max-expiration-long.js';
import type { Check } from '../types.js';
import legacyTokenSecretReadable from './legacy-token-secret-readable.js';
import controllerManagerKubeletServerCertificateGateOff from './controller-manager-kubelet-server-certificate-gate-off.js';

export const checks: Check[] = [
  certificateExpired,
  certificateExpiringSoon,
  leafCertificateValidOverAYear,
  certificateWeakRsaKey,
  certificateWeakSignature,
  kubeletClientCertificateRotationDisabled,
  kubeletServingCertificateRotationDisabled,
  legacyServiceAccountTokenSecret,
  bootstrapTokenSecretPresent,
  serviceAccountTokenMaxExpirationLong,
  legacyTokenSecretReadable,
  controllerManagerKubeletServerCertificateGateOff,
];
