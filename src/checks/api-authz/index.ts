// Checks of section api-authz. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import staticPodManifestPermissions from './static-pod-manifest-permissions.js';
import apiserverAuthorizationModeInsecure from './apiserver-authorization-mode-insecure.js';
import nodeRestrictionAdmissionDisabled from './node-restriction-admission-disabled.js';
import apiserverAlwaysAdmitEnabled from './apiserver-always-admit-enabled.js';
import apiserverAlwaysPullImagesDisabled from './apiserver-always-pull-images-disabled.js';
import apiserverNamespaceLifecycleDisabled from './apiserver-namespace-lifecycle-disabled.js';
import clusterAdminEquivalentSubject from './cluster-admin-equivalent-subject.js';
import controllerManagerServiceAccountCredentialsOff from './controller-manager-service-account-credentials-off.js';
import subjectCanReadAllSecrets from './subject-can-read-all-secrets.js';
import subjectCanCreateWorkloadsInKubeSystem from './subject-can-create-workloads-in-kube-system.js';
import rbacEscalationPath from './rbac-escalation-path.js';
import bindingToMissingRole from './binding-to-missing-role.js';
import bindingToMissingServiceaccount from './binding-to-missing-serviceaccount.js';
import defaultServiceaccountWithBindings from './default-serviceaccount-with-bindings.js';
import roleWithWildcardRule from './role-with-wildcard-rule.js';
import subjectHoldsSensitiveRbacPermission from './subject-holds-sensitive-rbac-permission.js';
import systemMastersCredential from './system-masters-credential.js';
import defaultNamespaceInUse from './default-namespace-in-use.js';

export const checks: Check[] = [apiserverAuthorizationModeInsecure, nodeRestrictionAdmissionDisabled, controllerManagerServiceAccountCredentialsOff, apiserverAlwaysAdmitEnabled, apiserverNamespaceLifecycleDisabled, apiserverAlwaysPullImagesDisabled, staticPodManifestPermissions, clusterAdminEquivalentSubject, subjectCanReadAllSecrets, subjectCanCreateWorkloadsInKubeSystem, rbacEscalationPath, bindingToMissingRole, bindingToMissingServiceaccount, defaultServiceaccountWithBindings, roleWithWildcardRule, systemMastersCredential, subjectHoldsSensitiveRbacPermission, defaultNamespaceInUse];
