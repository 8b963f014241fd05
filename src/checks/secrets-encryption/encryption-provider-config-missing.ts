import { componentPodYaml, forEachRun, runSubject } from '../component-support.js';
import { defineCheck, fail, pass } from '../define.js';

export default defineCheck({
  id: 'encryption-provider-config-missing',
  section: 'secrets-encryption',
  severity: 'high',
  title: 'kube-apiserver stores Secrets in etcd unencrypted (no --encryption-provider-config)',
  docs: {
    what: 'Reports every kube-apiserver started without --encryption-provider-config: every Secret is then written to etcd, and to every etcd backup and snapshot, in plaintext.',
    why: 'Anyone who reads etcd\'s data directory, a backup file, a disk image or the etcd traffic of a misconfigured peer gets every Secret of the cluster: service account tokens, registry credentials, TLS keys, database passwords. Encryption at rest makes those copies useless without the key held by the API server (or a KMS).',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/',
      'CIS Kubernetes 1.2.27',
    ],
  },
  remediation: `Create /etc/kubernetes/encryption-config.yaml (mode 600) with a fresh key (head -c 32 /dev/urandom | base64), mount it into the API server pod and add --encryption-provider-config=/etc/kubernetes/encryption-config.yaml:

apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets, configmaps]
  providers:
  - secretbox:   # or kms with apiVersion: v2 for keys held outside the node
      keys: [{name: key1, secret: <32 random bytes, base64>}]
  - identity: {}

Then rewrite every Secret so it is stored encrypted:
kubectl get secrets -A -o json | kubectl replace -f -`,
  *evaluate(ctx) {
    yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
      const flag = s.get('encryption-provider-config');
      if (flag.value) yield pass(runSubject(s.run, flag));
      else yield fail(runSubject(s.run), 'kube-apiserver has no --encryption-provider-config: Secrets are stored in etcd in plaintext');
    });
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', ['--authorization-mode=Node,RBAC'])],
    pass: [componentPodYaml('kube-apiserver', ['--encryption-provider-config=/etc/kubernetes/encryption-config.yaml'])],
  },
});
