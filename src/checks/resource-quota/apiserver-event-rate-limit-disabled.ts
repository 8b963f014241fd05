import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { apiServerNode } from '../file-permissions.js';
import type { Inventory } from '../../inventory/inventory.js';
import { defineCheck } from '../define.js';
import { judgeAdmissionPlugin } from '../api-authz/admission-plugins.js';
import { enableEventRateLimit } from '../../fix/event-rate-limit.js';

/** A kubeadm control-plane node: the API server's static pod (mounting the pki folder) and, optionally, files it reads. */
function controlPlaneNode(flags: string[], files: Record<string, string> = {}): Inventory {
  return apiServerNode(`${componentPodYaml('kube-apiserver', flags)}
    volumeMounts: [{name: k8s-certs, mountPath: /etc/kubernetes/pki, readOnly: true}]
  volumes: [{name: k8s-certs, hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}}]`, files);
}

export default defineCheck({
  id: 'apiserver-event-rate-limit-disabled',
  section: 'resource-quota',
  severity: 'low',
  title: 'kube-apiserver does not rate-limit Events (EventRateLimit is not enabled)',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those without EventRateLimit, which is off by default. The CIS view follows kube-bench, which looks for it in --enable-admission-plugins only.',
    why: 'Every client that may create Events (every kubelet and controller, and any workload allowed to) can flood the API server and etcd with them; without a limit one misbehaving or hostile tenant slows the control plane for everyone. EventRateLimit caps Event writes per server, namespace, user or source object.',
    references: ['Securing a Cluster: Limiting resource usage on a cluster', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#eventratelimit', 'https://kubernetes.io/docs/reference/config-api/apiserver-eventratelimit.v1alpha1/'],
  },
  remediation: `Enable the plugin with limits in the admission configuration file (the plugin needs one):

    - --enable-admission-plugins=NodeRestriction,EventRateLimit
    - --admission-control-config-file=/etc/kubernetes/admission-config.yaml

apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: EventRateLimit
  configuration:
    apiVersion: eventratelimit.admission.k8s.io/v1alpha1
    kind: Configuration
    limits:
    - {type: Namespace, qps: 50, burst: 100, cacheSize: 2000}
    - {type: User, qps: 10, burst: 50}`,
  cis: { '1.12': ['1.2.9'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'EventRateLimit', 'on', '1.2.9', 'any client may flood the API server and etcd with Events');
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      { description: 'a kubeadm static pod on its node (the fix writes the admission configuration, flag and mount)', build: () => controlPlaneNode(KUBEADM_API_SERVER_FLAGS) },
      {
        description: 'an AdmissionConfiguration the API server already reads, without EventRateLimit (the fix adds the entry)',
        build: () => controlPlaneNode([...KUBEADM_API_SERVER_FLAGS, '--admission-control-config-file=/etc/kubernetes/admission.yaml'], {
          '/etc/kubernetes/admission.yaml': `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: baseline, enforce-version: latest}
`,
        }),
      },
    ],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS.filter((f) => !f.startsWith('--enable-admission-plugins=')), '--enable-admission-plugins=NodeRestriction,EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission-config.yaml'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'on a kube-apiserver static pod of a node root: adds EventRateLimit to --enable-admission-plugins together with its configuration, the documented example limits (per namespace 50 events/s, bursts of 100; per user 10/s, bursts of 50), as an entry of the AdmissionConfiguration --admission-control-config-file names or in a new /etc/kubernetes/admission-config.yaml with the flag and a read-only hostPath mount; elsewhere left to a person',
    risk: 'Event writes beyond the limits (a crash-looping workload, a mass rollout in one namespace, one chatty client) are refused with 429 and those events are lost',
    followUp: 'kubelet restarts kube-apiserver when its static pod manifest changes; check that it comes back (kubectl get --raw /readyz)',
    plan: enableEventRateLimit,
  },
});
