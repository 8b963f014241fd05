import { releaseData, supportStatus } from '../../engines/releases/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { CLUSTER_EXAMPLE, CONTROL_PLANE, versionedSubjects } from './versions.js';

export default defineCheck({
  id: 'kubernetes-patch-outdated',
  section: 'security-updates',
  severity: 'medium',
  title: 'Kubernetes behind the latest patch release of its minor version',
  docs: {
    what: "Compares the control plane's version and every kubelet's with the latest patch release of the same minor version in the release data shipped with kubeward (a dated snapshot; the message names the patch compared against). End-of-life versions are reported by kubernetes-version-end-of-life instead.",
    why: 'Patch releases carry the security fixes of a supported minor version (and the Go runtime fixes under them). A cluster behind the latest patch keeps vulnerabilities that are already fixed and public.',
    references: [
      'Securing a Cluster: Receiving alerts for security updates and reporting a vulnerability',
      'https://kubernetes.io/releases/patch-releases/',
    ],
  },
  remediation: `Apply the latest patch release of the running minor version, e.g. with kubeadm:

kubeadm upgrade plan
kubeadm upgrade apply v<minor>.<latest patch>
# then on each node: kubeadm upgrade node, and upgrade the kubelet package`,
  *evaluate(ctx) {
    const data = releaseData();
    const { subjects, controlPlaneReason } = versionedSubjects(ctx);
    if (controlPlaneReason) yield notEvaluated(CONTROL_PLANE, controlPlaneReason);
    for (const s of subjects) {
      const status = supportStatus(s.version, data, ctx.now);
      if (status.state === 'unknown') yield notEvaluated(s.subject, status.reason);
      if (status.state !== 'supported') continue;
      if (status.behindPatch) {
        yield fail(s.subject, `${s.what} runs ${s.version.text} (${s.source}); the latest ${status.release.minor} patch is ${status.latestPatch.text} (released ${status.release.latestPatchDate}, data of ${data.snapshotDate})`, s.field ? { field: s.field } : {});
      } else yield pass(s.subject);
    }
  },
  examples: {
    fail: [
      { description: 'a control plane on the first 1.35 patch', now: '2026-09-20T00:00:00Z', yaml: CLUSTER_EXAMPLE('v1.35.1', ['worker-1', 'v1.35.1']) },
    ],
    pass: [
      { description: 'control plane and kubelet on the latest patch', now: '2026-09-20T00:00:00Z', yaml: CLUSTER_EXAMPLE('v1.35.9', ['worker-1', 'v1.35.9']) },
    ],
  },
});
