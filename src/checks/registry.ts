// Every check, in the guide's section order. The registry validates itself when loaded.

import { checks as apiTls } from './api-tls/index.js';
import { checks as apiAuthn } from './api-authn/index.js';
import { checks as apiAuthz } from './api-authz/index.js';
import { checks as kubeletAccess } from './kubelet-access/index.js';
import { checks as resourceQuota } from './resource-quota/index.js';
import { checks as podPrivileges } from './pod-privileges/index.js';
import { checks as kernelModules } from './kernel-modules/index.js';
import { checks as networkAccess } from './network-access/index.js';
import { checks as cloudMetadata } from './cloud-metadata/index.js';
import { checks as nodePlacement } from './node-placement/index.js';
import { checks as etcdAccess } from './etcd-access/index.js';
import { checks as auditLogging } from './audit-logging/index.js';
import { checks as featureStages } from './feature-stages/index.js';
import { checks as credentialRotation } from './credential-rotation/index.js';
import { checks as thirdParty } from './third-party/index.js';
import { checks as secretsEncryption } from './secrets-encryption/index.js';
import { checks as securityUpdates } from './security-updates/index.js';
import type { Check } from './types.js';

export const ALL_CHECKS: readonly Check[] = validate([
  ...apiTls,
  ...apiAuthn,
  ...apiAuthz,
  ...kubeletAccess,
  ...resourceQuota,
  ...podPrivileges,
  ...kernelModules,
  ...networkAccess,
  ...cloudMetadata,
  ...nodePlacement,
  ...etcdAccess,
  ...auditLogging,
  ...featureStages,
  ...credentialRotation,
  ...thirdParty,
  ...secretsEncryption,
  ...securityUpdates,
]);

function validate(checks: Check[]): Check[] {
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.id)) throw new Error(`duplicate check id ${check.id}`);
    seen.add(check.id);
  }
  return checks;
}

export function findCheck(id: string): Check | undefined {
  return ALL_CHECKS.find((c) => c.id === id);
}
