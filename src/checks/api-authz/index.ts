// Checks of section api-authz. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import apiserverAuthorizationModeInsecure from './apiserver-authorization-mode-insecure.js';
import nodeRestrictionAdmissionDisabled from './node-restriction-admission-disabled.js';

export const checks: Check[] = [apiserverAuthorizationModeInsecure, nodeRestrictionAdmissionDisabled];
