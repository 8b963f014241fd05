import { defineCheck, notEvaluated } from '../define.js';
import { BASELINE_CONTROLS, POD_CONTROLS, cisOutcomesOf, pick } from './cis-pods.js';
import { RESTRICTED_SECURITY_CONTEXT, podSecurityScan, verdictResult } from './pod-security.js';
import { hardenPods } from '../../fix/helpers.js';

export default defineCheck({
  id: 'pod-violates-baseline-pod-security',
  section: 'pod-privileges',
  severity: 'high',
  title: 'Pod or workload violates the Baseline Pod Security Standard',
  docs: {
    what: 'Evaluates every Pod and the pod template of every workload against the Baseline Pod Security Standard at the cluster\'s Kubernetes version (latest when unknown), exactly as kube-apiserver\'s PodSecurity admission does, with its message. Pods exempt by the PodSecurity admission configuration in the input (namespaces, runtime classes) are skipped. For CIS 5.2.2-5.2.5 (and 5.2.6 on pods the restricted check leaves out) each pod carries kube-bench\'s verdict: a regular container with privileged: true, or hostPID, hostIPC or hostNetwork true, fails, exempt pods and the system namespaces\' included (kube-bench audits every running pod, so a kubeadm control plane\'s hostNetwork static pods fail 5.2.5 there too). kube-bench reads running pods; kubeward reads every Pod and pod template in the input. The manual controls 5.2.10-5.2.12 (and 5.2.7-5.2.9 and 5.6.2 on pods the restricted check leaves out) are judged on every container, exempt pods included, by what each asks a policy to keep out: 5.2.10 hostProcess: true on the pod or a container, 5.2.11 any hostPath volume, 5.2.12 any non-zero hostPort (see pod-violates-restricted-pod-security for the others).',
    why: 'Baseline forbids the known privilege escalations: privileged containers, host namespaces, hostPath volumes, host ports, added capabilities, unconfined AppArmor/seccomp, unsafe sysctls. A pod that violates it can usually take over its node, and from the node the cluster. The guide (v1.23) asks for PodSecurityPolicy here; PodSecurityPolicy was removed in Kubernetes 1.25 and Pod Security Admission enforces these standards today.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
    ],
  },
  remediation: `Fix each violation the message names in the pod's securityContext; a workload that needs host access belongs in a namespace labelled pod-security.kubernetes.io/enforce=privileged that only administrators may use. Minimal compliant pod spec:

${RESTRICTED_SECURITY_CONTEXT}`,
  // CIS's verdicts (cis-pods.ts). The restricted controls are the restricted check's, except on
  // the pods it leaves out: those that violate Baseline, and exempt ones.
  cis: { '1.12': POD_CONTROLS },
  *evaluate(ctx) {
    const scan = podSecurityScan(ctx);
    for (const pod of ctx.inventory.podSpecs()) {
      const result = scan.evaluate(pod, 'baseline');
      if (result && !ctx.framework) {
        yield verdictResult(scan, pod, 'baseline', result);
        continue;
      }
      // Exempt pods are reported by what CIS makes of them, with or without a framework.
      const outcomes = cisOutcomesOf(ctx, pod);
      if (!result) {
        // kube-bench audits exempt pods too; only those it fails need saying.
        if (POD_CONTROLS.some((id) => outcomes[id] === 'fail')) {
          yield notEvaluated(pod.item, 'the PodSecurity admission configuration exempts this pod (its namespace or runtime class), so kubeward does not judge it against Baseline', { cis: { '1.12': outcomes } });
        }
        continue;
      }
      const cis = { '1.12': pick(outcomes, result.allowed ? BASELINE_CONTROLS : POD_CONTROLS) };
      const initOnly = outcomes['5.2.2'] === 'pass' && result.violations.some((v) => v.check === 'privileged');
      yield verdictResult(scan, pod, 'baseline', result, initOnly
        ? { cis, cisNote: { '5.2.2': 'kube-bench audits only regular containers for privileged; this pod\'s privileged container is an init or ephemeral one' } }
        : { cis });
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      hostPID: true
      containers:
      - name: agent
        image: example/agent:1.0
        securityContext: {privileged: true}`,
      {
        description: 'a probe aimed at another host violates baseline from policy version 1.34',
        k8sVersion: 'v1.34.1',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe: {httpGet: {host: 169.254.169.254, path: /, port: 80}}`,
      },
      {
        description: 'a hostPath volume (the Docker socket of an image-cleanup job) is its only violation',
        yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: image-cleanup, namespace: batch}
spec:
  schedule: 0 4 * * 0
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: prune
            image: docker:27.0-cli
            command: [docker, image, prune, --all, --force]
            volumeMounts: [{name: docker-sock, mountPath: /var/run/docker.sock}]
          volumes:
          - name: docker-sock
            hostPath: {path: /var/run/docker.sock, type: Socket}`,
      },
    ],
    pass: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        securityContext: {allowPrivilegeEscalation: false}`,
      {
        description: 'the same probe is allowed at policy version 1.33, which had no such check',
        k8sVersion: 'v1.33.4',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe: {httpGet: {host: 169.254.169.254, path: /, port: 80}}`,
      },
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'removes privileged, host namespaces, host ports, capabilities beyond the default set, unsafe sysctls and Unconfined profiles, and replaces hostPath volumes with emptyDirs of the same name (every volumeMount stays valid), only where the Pod Security engine then admits the pod at baseline; node components (the pods of the system namespaces: control-plane static pods, kube-proxy, CNI and other node agents; CNI agents elsewhere) keep their hostPath volumes and are left to a person, with their namespace to exempt instead',
    risk: 'a workload that needs the node (a privileged agent, host networking, a host port, the node\'s files or the container runtime socket through a hostPath, which it then sees as an empty directory) stops working',
    plan(ctx, failures) {
      hardenPods(ctx, failures, 'baseline', podSecurityScan(ctx.check).version);
    },
  },
});
