import { LABEL_PREFIX, formatLevelVersion, policyToEvaluate } from '../../engines/podsecurity/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { podSecurityScan } from './pod-security.js';
import { labelNamespaces } from '../../fix/namespace-fixes.js';

const ENFORCE_LABEL = `${LABEL_PREFIX}enforce`;

export default defineCheck({
  id: 'namespace-without-pod-security-enforcement',
  section: 'pod-privileges',
  severity: 'medium',
  title: 'Namespace enforces no Pod Security level (no enforce label, or privileged)',
  docs: {
    what: 'Resolves each namespace\'s pod-security.kubernetes.io/enforce (and -version) labels as the PodSecurity admission plugin does (bad values become restricted/latest), over the defaults of a PodSecurity AdmissionConfiguration when the input holds one, and reports namespaces whose enforced level is privileged. The system namespaces (kube-system, kube-public, kube-node-lease) and namespaces the configuration exempts are not reported. A namespace whose Namespace object is not in the input is not evaluated.',
    why: 'Without an enforced level anyone who may create pods in the namespace may create privileged pods, mount the node\'s filesystem or join its network namespace, and so take over the node. Labelling namespaces is how Pod Security Admission, the successor of the PodSecurityPolicy the guide names, is switched on.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces',
      'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/',
    ],
  },
  cis: { '1.12': ['5.2.1'] },
  remediation: `See what would be refused first (kubeward podsecurity --namespace-dry-run baseline PATH), then label the namespace:

apiVersion: v1
kind: Namespace
metadata:
  name: <ns>
  labels:
    pod-security.kubernetes.io/enforce: baseline      # restricted where the workloads allow it
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted`,
  *evaluate(ctx) {
    const { inventory } = ctx;
    const { config } = podSecurityScan(ctx);
    for (const namespace of inventory.namespaces()) {
      if (inventory.isSystemNamespace(namespace) || config?.exemptions.namespaces.includes(namespace)) continue;
      const item = inventory.get('Namespace', undefined, namespace);
      if (!item) {
        yield notEvaluated({ ref: { apiVersion: 'v1', kind: 'Namespace', name: namespace } }, `Namespace "${namespace}" is not in the input, so its ${LABEL_PREFIX}* labels are unknown`);
        continue;
      }
      const resolved = policyToEvaluate(item.object.metadata?.labels, config?.defaults);
      const enforce = resolved.policy.enforce;
      if (enforce.level !== 'privileged') {
        yield pass(item);
        continue;
      }
      const why = resolved.fromLabel.enforce
        ? `is labelled ${ENFORCE_LABEL}=privileged`
        : config
          ? `has no ${ENFORCE_LABEL} label and the PodSecurity admission configuration (${config.location.file}) defaults to ${formatLevelVersion(enforce.level, enforce.version)}`
          : `has no ${ENFORCE_LABEL} label, so kube-apiserver's default (privileged, unless it is given a PodSecurity configuration that is not in the input) applies`;
      yield fail(item, `namespace "${namespace}" ${why}: any pod may run privileged there`, { field: `metadata.labels["${ENFORCE_LABEL}"]`, cisNote: 'CIS 5.2.1 also accepts an external policy engine (Kyverno, Gatekeeper) enforcing the namespace, which kubeward does not read' });
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Namespace
metadata: {name: shop}`,
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: privileged}`,
    ],
    pass: [
      `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/warn: restricted}`,
      {
        description: 'an AdmissionConfiguration whose PodSecurity defaults enforce baseline covers unlabelled namespaces',
        yaml: `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: baseline, enforce-version: latest}
    exemptions: {namespaces: [ingress-nginx]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: ingress-nginx}`,
      },
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'labels the namespace to enforce the strictest level (restricted, else baseline) that every pod the input holds for it passes, as the namespace dry-run decides, pinned to the evaluated policy version, with warn and audit at restricted; a namespace with a pod that fails baseline is left with the pods to fix first',
    plan(ctx, failures) {
      const scan = podSecurityScan(ctx.check);
      labelNamespaces(ctx, failures, scan.version, (pod) => scan.evaluate(pod, 'baseline') === undefined);
    },
  },
});
