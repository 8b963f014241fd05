import { affectingCves, cveFeed, fixFor } from '../../engines/releases/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { CLUSTER_EXAMPLE, CONTROL_PLANE, versionedSubjects } from './versions.js';

export default defineCheck({
  id: 'kubernetes-version-with-known-cve',
  section: 'security-updates',
  severity: 'high',
  title: 'Kubernetes version affected by a known CVE',
  docs: {
    what: "Matches the control plane's version (for kube-apiserver and kube-controller-manager CVEs) and every kubelet's version (on its node's OS) against the affected ranges of the official Kubernetes CVE feed, from a dated snapshot shipped with kubeward (data/kubernetes-cves.json). Each affecting CVE is one finding at its own severity, naming the fixed version of the running minor and any condition the CVE needs.",
    why: 'A published CVE comes with the details an attacker needs. Running an affected version leaves the exposure open, often for flaws that let a pod creator or a node take over more of the cluster.',
    references: [
      'Securing a Cluster: Receiving alerts for security updates and reporting a vulnerability',
      'https://kubernetes.io/docs/reference/issues-security/official-cve-feed/',
    ],
  },
  remediation: 'Upgrade the component to the fixed version named in the finding (or a later patch), and follow kubernetes-security-announce for new advisories.',
  *evaluate(ctx) {
    const feed = cveFeed();
    const { subjects, controlPlaneReason } = versionedSubjects(ctx);
    if (controlPlaneReason) yield notEvaluated(CONTROL_PLANE, controlPlaneReason);
    for (const s of subjects) {
      const components = s.component === 'kubelet' ? (['kubelet'] as const) : (['kube-apiserver', 'kube-controller-manager'] as const);
      const found = components.flatMap((c) => affectingCves(feed, c, s.version, s.os));
      if (found.length === 0) {
        yield pass(s.subject);
        continue;
      }
      for (const cve of found) {
        const fix = fixFor(cve, s.version);
        const upgrade = fix ? `fixed in ${fix}` : `no fix in ${s.version.major}.${s.version.minor}; fixed in ${cve.fixed.join(', ')}`;
        const condition = cve.condition ? ` Affects ${cve.condition}.` : '';
        yield fail(s.subject, `${s.what} (${cve.component} ${s.version.text}) is affected by ${cve.id}: ${cve.summary}; ${upgrade}.${condition} ${cve.url}`, {
          severity: cve.severity,
          ...(s.field ? { field: s.field } : {}),
        });
      }
    }
  },
  examples: {
    fail: [
      { description: 'kubelet 1.30.2 (gitRepo volume command execution, CVE-2024-10220)', yaml: CLUSTER_EXAMPLE('v1.30.14', ['worker-1', 'v1.30.2']) },
      { description: 'a 1.33.3 API server (CVE-2025-5187)', yaml: CLUSTER_EXAMPLE('v1.33.3', ['worker-1', 'v1.33.11']) },
    ],
    pass: [
      { description: 'current patches', yaml: CLUSTER_EXAMPLE('v1.35.9', ['worker-1', 'v1.35.9']) },
    ],
  },
});
