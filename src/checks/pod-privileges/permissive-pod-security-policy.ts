import { compareVersions, parseKubeVersion } from '../../inventory/version.js';
import { defineCheck, fail, pass } from '../define.js';

interface PodSecurityPolicySpec {
  privileged?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: string[];
  allowedHostPaths?: { pathPrefix?: string; readOnly?: boolean }[];
  allowedCapabilities?: string[];
  runAsUser?: { rule?: string; ranges?: { min?: number; max?: number }[] };
}

const REMOVED_IN = parseKubeVersion('v1.25')!;

/** What a PodSecurityPolicy allows that the Baseline standard forbids, with the field that allows it. */
export function permissions(spec: PodSecurityPolicySpec): { what: string; field: string }[] {
  const out: { what: string; field: string }[] = [];
  if (spec.privileged === true) out.push({ what: 'privileged containers', field: 'spec.privileged' });
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[ns] === true) out.push({ what: `${ns}`, field: `spec.${ns}` });
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  if (volumes.includes('*') || volumes.includes('hostPath')) {
    const prefixes = (spec.allowedHostPaths ?? []).filter((p) => p.readOnly !== true).map((p) => p.pathPrefix ?? '');
    const readOnlyOnly = (spec.allowedHostPaths ?? []).length > 0 && prefixes.length === 0;
    if (!readOnlyOnly) {
      out.push({
        what: (spec.allowedHostPaths ?? []).length === 0 ? 'any hostPath volume' : `writable hostPath volumes under ${prefixes.join(', ')}`,
        field: 'spec.volumes',
      });
    }
  }
  if ((spec.allowedCapabilities ?? []).includes('*')) out.push({ what: 'any added capability', field: 'spec.allowedCapabilities' });
  const runAs = spec.runAsUser;
  const rootInRange = runAs?.rule === 'MustRunAs' && (runAs.ranges ?? []).some((r) => (r.min ?? 0) === 0);
  if (runAs?.rule === 'RunAsAny' || rootInRange) out.push({ what: 'running as root (UID 0)', field: 'spec.runAsUser.rule' });
  return out;
}

export default defineCheck({
  id: 'permissive-pod-security-policy',
  section: 'pod-privileges',
  severity: 'high',
  title: 'Legacy PodSecurityPolicy allows privileged pods, host namespaces, hostPath or root',
  docs: {
    what: 'Reports PodSecurityPolicy objects (policy/v1beta1, the mechanism the guide v1.23 names) that allow privileged containers, host namespaces, hostPath volumes (any, or writable), any capability, or UID 0. On clusters of Kubernetes 1.25 and later PodSecurityPolicy no longer exists, so such objects are leftovers that protect nothing: the finding is then informational and says to use Pod Security Admission.',
    why: 'Any user or ServiceAccount allowed to `use` a permissive policy may create pods that take over nodes; PodSecurityPolicy grants are easy to leak through default ServiceAccounts of controllers.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/security/pod-security-policy/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/',
    ],
  },
  remediation: `Migrate to Pod Security Admission (label namespaces with pod-security.kubernetes.io/enforce), then delete the PodSecurityPolicy objects. Until then restrict the policy:

apiVersion: policy/v1beta1
kind: PodSecurityPolicy
spec:
  privileged: false
  allowPrivilegeEscalation: false
  hostNetwork: false
  hostPID: false
  hostIPC: false
  volumes: [configMap, emptyDir, projected, secret, downwardAPI, persistentVolumeClaim]
  runAsUser: {rule: MustRunAsNonRoot}
  seLinux: {rule: RunAsAny}
  fsGroup: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}
  supplementalGroups: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}`,
  *evaluate({ inventory, k8sVersion }) {
    const removed = k8sVersion !== undefined && compareVersions(k8sVersion, REMOVED_IN) >= 0;
    for (const item of inventory.ofKind('PodSecurityPolicy')) {
      const allowed = permissions((item.object.spec ?? {}) as PodSecurityPolicySpec);
      if (allowed.length === 0) {
        yield pass(item);
        continue;
      }
      const message = `PodSecurityPolicy "${item.ref.name}" allows ${allowed.map((a) => a.what).join(', ')}`;
      yield removed
        ? fail(item, `${message}; it is ignored: PodSecurityPolicy was removed in Kubernetes 1.25 (cluster ${k8sVersion!.text}), delete it and use Pod Security Admission`, { field: allowed[0]!.field, severity: 'info' })
        : fail(item, message, { field: allowed[0]!.field });
    }
  },
  examples: {
    fail: [
      {
        description: 'a privileged policy on a 1.24 cluster, where PodSecurityPolicy is enforced',
        k8sVersion: 'v1.24.17',
        yaml: `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: privileged}
spec:
  privileged: true
  hostNetwork: true
  volumes: ['*']
  runAsUser: {rule: RunAsAny}
  seLinux: {rule: RunAsAny}
  fsGroup: {rule: RunAsAny}
  supplementalGroups: {rule: RunAsAny}`,
      },
    ],
    pass: [
      {
        description: 'a restricted policy',
        k8sVersion: 'v1.24.17',
        yaml: `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: restricted}
spec:
  privileged: false
  allowPrivilegeEscalation: false
  volumes: [configMap, emptyDir, projected, secret, downwardAPI, persistentVolumeClaim]
  runAsUser: {rule: MustRunAsNonRoot}
  seLinux: {rule: RunAsAny}
  fsGroup: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}
  supplementalGroups: {rule: MustRunAs, ranges: [{min: 1, max: 65535}]}`,
      },
    ],
  },
});
