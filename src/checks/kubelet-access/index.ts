// Checks of section kubelet-access. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import kubeletAnonymousAuthEnabled from './kubelet-anonymous-auth-enabled.js';
import kubeletAuthorizationAlwaysAllow from './kubelet-authorization-always-allow.js';
import kubeletClientCaMissing from './kubelet-client-ca-missing.js';
import kubeletFilePermissions from './kubelet-file-permissions.js';
import kubeletReadOnlyPortOpen from './kubelet-read-only-port-open.js';
import kubeletWebhookAuthenticationDisabled from './kubelet-webhook-authentication-disabled.js';
import kubeletStreamingIdleTimeoutDisabled from './kubelet-streaming-idle-timeout-disabled.js';
import kubeletHostnameOverrideSet from './kubelet-hostname-override-set.js';

export const checks: Check[] = [
  kubeletAnonymousAuthEnabled, kubeletWebhookAuthenticationDisabled, kubeletAuthorizationAlwaysAllow,
  kubeletReadOnlyPortOpen, kubeletClientCaMissing, kubeletFilePermissions,
  kubeletStreamingIdleTimeoutDisabled, kubeletHostnameOverrideSet,
];
