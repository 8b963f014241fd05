// Checks of section api-authn. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import credentialFilePermissions from './credential-file-permissions.js';
import kubeProxyKubeconfigPermissions from './kube-proxy-kubeconfig-permissions.js';
import apiserverAnonymousAuthEnabled from './apiserver-anonymous-auth-enabled.js';
import apiserverBasicAuthFile from './apiserver-basic-auth-file.js';
import apiserverClientCaFileMissing from './apiserver-client-ca-file-missing.js';
import apiserverServiceAccountAdmissionDisabled from './apiserver-service-account-admission-disabled.js';
import apiserverServiceAccountTokenExpirationExtended from './apiserver-service-account-token-expiration-extended.js';
import apiserverServiceAccountIssuerMissing from './apiserver-service-account-issuer-missing.js';
import apiserverServiceAccountLookupDisabled from './apiserver-service-account-lookup-disabled.js';
import apiserverTokenAuthFile from './apiserver-token-auth-file.js';
import apiserverWithoutExternalIdentityProvider from './apiserver-without-external-identity-provider.js';
import controllerManagerServiceAccountKeyMissing from './controller-manager-service-account-key-missing.js';
import anonymousOrUnauthenticatedGranted from './anonymous-or-unauthenticated-granted.js';
import authenticatedGroupGrantedBeyondDiscovery from './authenticated-group-granted-beyond-discovery.js';

export const checks: Check[] = [apiserverAnonymousAuthEnabled, apiserverTokenAuthFile, apiserverBasicAuthFile, apiserverServiceAccountLookupDisabled, controllerManagerServiceAccountKeyMissing,
  apiserverServiceAccountIssuerMissing, apiserverClientCaFileMissing, apiserverServiceAccountAdmissionDisabled, apiserverServiceAccountTokenExpirationExtended, apiserverWithoutExternalIdentityProvider, credentialFilePermissions, kubeProxyKubeconfigPermissions, anonymousOrUnauthenticatedGranted, authenticatedGroupGrantedBeyondDiscovery];
