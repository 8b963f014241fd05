import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { judgeAdmissionPlugin } from '../api-authz/admission-plugins.js';

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
    fail: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS.filter((f) => !f.startsWith('--enable-admission-plugins=')), '--enable-admission-plugins=NodeRestriction,EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission-config.yaml'])],
  },
});
