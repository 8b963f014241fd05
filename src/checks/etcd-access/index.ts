// Checks of section etcd-access. Each check is one module beside this file; list it here.
import type { Check } from '../types.js';
import apiserverEtcdClientCertMissing from './apiserver-etcd-client-cert-missing.js';
import etcdAutoTlsEnabled from './etcd-auto-tls-enabled.js';
import etcdClientCertAuthDisabled from './etcd-client-cert-auth-disabled.js';
import etcdCaSharedWithCluster from './etcd-ca-shared-with-cluster.js';
import etcdFilePermissions from './etcd-file-permissions.js';
import etcdPeerCertAuthDisabled from './etcd-peer-cert-auth-disabled.js';
import etcdServingCertMissing from './etcd-serving-cert-missing.js';

export const checks: Check[] = [
  etcdClientCertAuthDisabled, etcdServingCertMissing, etcdAutoTlsEnabled, etcdPeerCertAuthDisabled,
  apiserverEtcdClientCertMissing, etcdFilePermissions, etcdCaSharedWithCluster,
];
