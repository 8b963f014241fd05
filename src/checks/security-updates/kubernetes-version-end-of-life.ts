import { releaseData, supportStatus } from '../../engines/releases/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { CLUSTER_EXAMPLE, CONTROL_PLANE, versionedSubjects } from './versions.js';

export default defineCheck({
  id: 'kubernetes-version-end-of-life',
  section: 'security-updates',
  severity: 'high',
  title: 'Kubernetes version past its end of life',
  docs: {
    what: "Compares the control plane's version (the kube-apiserver image tag, --k8s-version, or the live API) and every Node's kubelet version with the end-of-life dates of the Kubernetes release schedule shipped with kubeward (data/kubernetes-releases.json, a dated snapshot of kubernetes.io/releases), at the scan time. A version the data does not know, or no version at all, is not evaluated.",
    why: 'An end-of-life minor release gets no more patches: every vulnerability published after that date stays open in the cluster, including those fixed in the Kubernetes CVE feed for supported releases.',
    references: [
      'Securing a Cluster: Receiving alerts for security updates and reporting a vulnerability',
      'https://kubernetes.io/releases/',
      'https://kubernetes.io/releases/patch-releases/#support-period',
    ],
  },
  remediation: `Upgrade one minor version at a time to a supported release (control plane first, then kubelets), e.g. with kubeadm:

kubeadm upgrade plan
kubeadm upgrade apply v1.<next>.<latest patch>

Subscribe to kubernetes-announce to hear of releases and security fixes.`,
  *evaluate(ctx) {
    const data = releaseData();
    const { subjects, controlPlaneReason } = versionedSubjects(ctx);
    if (controlPlaneReason) yield notEvaluated(CONTROL_PLANE, controlPlaneReason);
    for (const s of subjects) {
      const status = supportStatus(s.version, data, ctx.now);
      if (status.state === 'unknown') yield notEvaluated(s.subject, status.reason);
      else if (status.state === 'end-of-life') {
        const when = status.endOfLifeDate ? ` on ${status.endOfLifeDate}` : '';
        yield fail(s.subject, `${s.what} runs Kubernetes ${s.version.text} (${s.source}); ${s.version.major}.${s.version.minor} reached end of life${when} and gets no security fixes`, s.field ? { field: s.field } : {});
      } else yield pass(s.subject);
    }
  },
  examples: {
    fail: [
      { description: 'a cluster on 1.29 in 2026', now: '2026-09-20T00:00:00Z', yaml: CLUSTER_EXAMPLE('v1.29.15', ['worker-1', 'v1.29.15']) },
      { description: 'a kubelet on 1.24', now: '2026-09-20T00:00:00Z', yaml: CLUSTER_EXAMPLE('v1.35.9', ['old-worker', 'v1.24.17']) },
    ],
    pass: [
      { description: 'a supported release', now: '2026-09-20T00:00:00Z', yaml: CLUSTER_EXAMPLE('v1.35.9', ['worker-1', 'v1.35.9']) },
    ],
  },
});
