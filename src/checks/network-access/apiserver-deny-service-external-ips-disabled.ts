import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from '../api-authz/admission-plugins.js';
import { listNames } from './netpol-graph.js';

export default defineCheck({
  id: 'apiserver-deny-service-external-ips-disabled',
  section: 'network-access',
  severity: 'medium',
  title: 'Services may claim any external IP (DenyServiceExternalIPs is not enabled)',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those without DenyServiceExternalIPs, which is off by default. The CIS view follows kube-bench, which looks for it in --enable-admission-plugins only.',
    why: 'Anyone who may create or update a Service may set spec.externalIPs to any address, and kube-proxy on every node then sends traffic for that address to the Service\'s pods: a tenant can intercept traffic meant for another workload or an outside host (CVE-2020-8554, which has no other upstream fix). Few clusters need externalIPs at all.',
    references: ['Securing a Cluster: Restricting network access', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips', 'https://github.com/kubernetes/kubernetes/issues/97076'],
  },
  remediation: `Enable the plugin (existing Services keep their externalIPs; new ones cannot be added):

    - --enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs`,
  cis: { '1.12': ['1.2.3'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'DenyServiceExternalIPs', 'on', '1.2.3', 'whoever may write a Service can make nodes route any external IP to its pods (CVE-2020-8554)');
  },
  examples: {
    fail: [
      componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS),
      {
        description: 'a Service of the input claims an external IP (the fix is unsafe: recreating it would be refused)',
        yaml: `${componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-lb, namespace: shop}
spec:
  selector: {app: legacy}
  ports: [{port: 80}]
  externalIPs: [203.0.113.10]`,
      },
    ],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS.filter((f) => !f.startsWith('--enable-admission-plugins=')), '--enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs'])],
  },
  fix: {
    safety: 'safe',
    summary: 'adds DenyServiceExternalIPs to --enable-admission-plugins (and takes it out of --disable-admission-plugins); safe when no Service of the input sets spec.externalIPs, since the plugin then refuses nothing that exists (it refuses only externalIPs a Service did not already have), otherwise unsafe, naming those Services',
    risk: 'creating a Service with spec.externalIPs, or adding an address to an existing one, is refused; tools that rely on externalIPs stop working',
    plan(ctx, failures) {
      const enable = admissionPluginFix('DenyServiceExternalIPs', 'on');
      const claiming = ctx.check.inventory.ofKind('Service').filter((s) => {
        const ips = (ctx.planned(s).spec as { externalIPs?: unknown } | undefined)?.externalIPs;
        return Array.isArray(ips) && ips.length > 0;
      });
      if (claiming.length === 0) return enable(ctx, failures);
      const names = listNames(claiming.map((s) => `${s.ref.namespace ?? 'default'}/${s.ref.name}`), 3);
      // The plugin admits updates that keep a subset of the old addresses, so these keep working until they are recreated.
      const risk = `Service ${names} sets spec.externalIPs: updates that keep its addresses are still admitted, but recreating it (delete and apply, a Helm reinstall, a restore or a new cluster) or adding an address is refused; creating any Service with externalIPs is refused`;
      for (const failure of failures) ctx.withSafety('unsafe', risk, () => enable(ctx, [failure]), failure);
    },
  },
});
