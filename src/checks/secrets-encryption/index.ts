// Checks of section secrets-encryption. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import configmapsNotEncrypted from './configmaps-not-encrypted.js';
import encryptionAescbcFirst from './encryption-aescbc-first.js';
import encryptionAesgcmFirst from './encryption-aesgcm-first.js';
import encryptionConfigReadableByOthers from './encryption-config-readable-by-others.js';
import encryptionIdentityFirst from './encryption-identity-first.js';
import encryptionKeyWrongSize from './encryption-key-wrong-size.js';
import encryptionKmsV1 from './encryption-kms-v1.js';
import encryptionProviderConfigMissing from './encryption-provider-config-missing.js';
import secretInEnvironmentVariable from './secret-in-environment-variable.js';
import secretStoredInPlaintext from './secret-stored-in-plaintext.js';
import secretsNotEncrypted from './secrets-not-encrypted.js';
import storedValueEncryptedWithOldKey from './stored-value-encrypted-with-old-key.js';

export const checks: Check[] = [
  encryptionProviderConfigMissing,
  secretsNotEncrypted,
  configmapsNotEncrypted,
  encryptionIdentityFirst,
  encryptionAescbcFirst,
  encryptionAesgcmFirst,
  encryptionKmsV1,
  encryptionKeyWrongSize,
  encryptionConfigReadableByOthers,
  secretStoredInPlaintext,
  storedValueEncryptedWithOldKey,
  secretInEnvironmentVariable,
];
