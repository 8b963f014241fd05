import { judgeKubeletSkew } from '../../engines/releases/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { CLUSTER_EXAMPLE, NODE_EXAMPLE, controlPlaneVersion, kubeletVersions } from './versions.js';

export default defineCheck({
  id: 'kubelet-version-skew-unsupported',
  section: 'security-updates',
  severity: 'medium',
  title: 'Kubelet version outside the supported skew from the API server',
  docs: {
    what: "Compares every Node's kubelet version with the API server's under the version skew policy: a kubelet must not be newer than kube-apiserver and may be up to three minor versions older (two when the API server is older than v1.28 or the kubelet older than v1.25). Not evaluated when the API server's version is unknown.",
    why: 'A kubelet outside the supported skew is a node that was left behind by upgrades: it misses the security fixes of its newer peers, and the API server no longer guarantees the behaviour it relies on (authorization of node requests, feature gates, API versions).',
    references: [
      'Securing a Cluster: Receiving alerts for security updates and reporting a vulnerability',
      'https://kubernetes.io/releases/version-skew-policy/#kubelet',
    ],
  },
  remediation: `Upgrade the node's kubelet to the API server's minor version (drain, upgrade the kubelet package,
kubeadm upgrade node, uncordon). A kubelet newer than the API server: upgrade the control plane first.`,
  *evaluate(ctx) {
    const { known } = kubeletVersions(ctx);
    if (known.length === 0) return;
    const apiServer = controlPlaneVersion(ctx);
    for (const kubelet of known) {
      if ('reason' in apiServer) {
        yield notEvaluated(kubelet.subject, apiServer.reason);
        continue;
      }
      const skew = judgeKubeletSkew(apiServer.version, kubelet.version);
      if (skew.ok) yield pass(kubelet.subject);
      else if (skew.reason === 'newer') {
        yield fail(kubelet.subject, `${kubelet.what} runs ${kubelet.version.text}, newer than kube-apiserver ${apiServer.version.text}`, { field: 'status.nodeInfo.kubeletVersion' });
      } else {
        yield fail(kubelet.subject, `${kubelet.what} runs ${kubelet.version.text}, ${skew.behind} minor versions behind kube-apiserver ${apiServer.version.text} (at most ${skew.allowed} supported)`, { field: 'status.nodeInfo.kubeletVersion' });
      }
    }
  },
  examples: {
    fail: [
      { description: 'a 1.31 kubelet under a 1.35 API server', yaml: CLUSTER_EXAMPLE('v1.35.9', ['old-worker', 'v1.31.14']) },
      { description: 'a kubelet newer than the API server', k8sVersion: 'v1.34.9', yaml: NODE_EXAMPLE('new-worker', 'v1.35.9') },
    ],
    pass: [
      { description: 'three minors behind is supported since 1.28', yaml: CLUSTER_EXAMPLE('v1.35.9', ['worker-1', 'v1.32.13']) },
    ],
  },
});
