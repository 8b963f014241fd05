import { defineCheck } from '../define.js';
import { RESTRICTED_CONTROLS, cisOutcomesOf, pick, restrictedNotes } from './cis-pods.js';
import { RESTRICTED_SECURITY_CONTEXT, podSecurityScan, verdictResult } from './pod-security.js';
import { hardenPods } from '../../fix/helpers.js';

export default defineCheck({
  id: 'pod-violates-restricted-pod-security',
  section: 'pod-privileges',
  severity: 'medium',
  title: 'Pod or workload meets Baseline but violates the Restricted Pod Security Standard',
  docs: {
    what: 'Evaluates every Pod and pod template that meets Baseline against the Restricted Pod Security Standard at the cluster\'s Kubernetes version (latest when unknown), as kube-apiserver\'s PodSecurity admission does, with its message. Pods that violate Baseline are reported by pod-violates-baseline-pod-security only, so one problem is reported once; fix those first. For CIS 5.2.6 each pod carries kube-bench\'s verdict, which fails only a regular container with allowPrivilegeEscalation: true: Restricted also fails it unset, so kubeward is stricter there. The manual controls are judged on every container (init and ephemeral ones too) by what each asks a policy to keep out: 5.2.7 fails a container that may run as root (neither runAsNonRoot: true nor a non-zero runAsUser, the container\'s value overriding the pod\'s; CIS accepts the UID where Restricted asks runAsNonRoot), 5.2.8 one that keeps NET_RAW (it drops neither NET_RAW nor ALL, or adds it back), 5.2.9 one that keeps or adds any capability (no drop ALL, or an add: Restricted allows NET_BIND_SERVICE), 5.6.2 a pod whose containers do not all run under a RuntimeDefault or Localhost seccomp profile set on the pod or on them. Capability names are matched upper-cased and "ALL" applied as containerd does; Windows pods have no capabilities or seccomp.',
    why: 'Restricted is the hardening the guide asks for: no root user, no privilege escalation through setuid binaries, every capability dropped, a seccomp profile, only ephemeral and projected volume types. A container that runs as root with default capabilities turns any remote code execution or kernel bug into a much larger compromise.',
    references: [
      'Securing a Cluster: Controlling what privileges containers run with',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    ],
  },
  remediation: `Set the restricted securityContext on the pod and on every container (init and ephemeral containers too), and make sure the image runs as a non-zero UID:

${RESTRICTED_SECURITY_CONTEXT}`,
  cis: { '1.12': RESTRICTED_CONTROLS },
  *evaluate(ctx) {
    const scan = podSecurityScan(ctx);
    for (const pod of ctx.inventory.podSpecs()) {
      const baseline = scan.evaluate(pod, 'baseline');
      if (!baseline?.allowed) continue; // exempt, or reported as a baseline violation (which carries 5.2.6)
      const result = scan.evaluate(pod, 'restricted')!;
      if (!ctx.framework) {
        yield verdictResult(scan, pod, 'restricted', result);
        continue;
      }
      const outcomes = cisOutcomesOf(ctx, pod);
      const notes = restrictedNotes(outcomes, result.violations);
      const cis = { '1.12': pick(outcomes, RESTRICTED_CONTROLS) };
      yield verdictResult(scan, pod, 'restricted', result, notes ? { cis, cisNote: notes } : { cis });
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]`,
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
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: web
        image: nginxinc/nginx-unprivileged:1.27
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}`,
      {
        description: 'a Windows pod needs neither capabilities nor seccomp (policy 1.25+)',
        k8sVersion: 'v1.30.2',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: iis, namespace: web}
spec:
  os: {name: windows}
  securityContext: {runAsNonRoot: true}
  containers: [{name: iis, image: mcr.microsoft.com/windows/servercore/iis}]`,
      },
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets the Restricted securityContext (runAsNonRoot, allowPrivilegeEscalation: false, capabilities drop ALL keeping only NET_BIND_SERVICE, seccompProfile RuntimeDefault) on the pod and every container, only where the Pod Security engine then admits the pod at restricted',
    risk: 'an image that runs as root, or a container that needs a dropped capability or a syscall RuntimeDefault blocks, stops working',
    plan(ctx, failures) {
      hardenPods(ctx, failures, 'restricted', podSecurityScan(ctx.check).version);
    },
  },
});
