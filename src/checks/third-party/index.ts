// Checks of section third-party. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import serviceaccountBoundToClusterAdmin from './serviceaccount-bound-to-cluster-admin.js';
import clusterWideGrantOfNamespacedPermissions from './cluster-wide-grant-of-namespaced-permissions.js';

export const checks: Check[] = [serviceaccountBoundToClusterAdmin, clusterWideGrantOfNamespacedPermissions];
