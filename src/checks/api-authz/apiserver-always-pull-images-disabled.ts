import { KUBEADM_API_SERVER_FLAGS, componentPodYaml } from '../component-support.js';
import { defineCheck } from '../define.js';
import { admissionPluginFix, judgeAdmissionPlugin } from './admission-plugins.js';

export default defineCheck({
  id: 'apiserver-always-pull-images-disabled',
  section: 'api-authz',
  severity: 'low',
  title: 'Pods may use images cached on the node without credentials (AlwaysPullImages is not enabled)',
  docs: {
    what: 'Computes the admission plugins every kube-apiserver runs (defaults per version, --enable-admission-plugins, --disable-admission-plugins, the legacy --admission-control) and reports those without AlwaysPullImages, which is off by default. The CIS view follows kube-bench, which looks for it in --enable-admission-plugins only.',
    why: 'A node keeps every image it pulled; with imagePullPolicy IfNotPresent or Never, any pod scheduled there starts from that cached copy without showing the registry credentials that protected it, so one tenant runs another tenant\'s private image. AlwaysPullImages forces a pull (and so a credential check) on every start. The kubelet\'s KubeletEnsureSecretPulledImages (beta in 1.33) is the newer, cheaper fix.',
    references: ['Securing a Cluster: API Authorization', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages'],
  },
  remediation: `Enable the plugin (every pod start then pulls, or at least checks, its image at the registry):

    - --enable-admission-plugins=NodeRestriction,AlwaysPullImages`,
  cis: { '1.12': ['1.2.11'] },
  *evaluate(ctx) {
    yield* judgeAdmissionPlugin(ctx, 'AlwaysPullImages', 'on', '1.2.11', 'pods may start private images cached on their node without the credentials to pull them');
  },
  examples: {
    fail: [componentPodYaml('kube-apiserver', KUBEADM_API_SERVER_FLAGS)],
    pass: [componentPodYaml('kube-apiserver', [...KUBEADM_API_SERVER_FLAGS.filter((f) => !f.startsWith('--enable-admission-plugins=')), '--enable-admission-plugins=NodeRestriction,AlwaysPullImages'])],
  },
  fix: {
    safety: 'unsafe',
    summary: 'adds AlwaysPullImages to --enable-admission-plugins (and takes it out of --disable-admission-plugins)',
    risk: 'every pod start contacts the registry: pods cannot start while it is unreachable, and pods with imagePullPolicy Never (images loaded onto nodes by hand) no longer start',
    plan: admissionPluginFix('AlwaysPullImages', 'on'),
  },
});
