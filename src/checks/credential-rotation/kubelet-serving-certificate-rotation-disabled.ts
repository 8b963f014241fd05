import { forEachKubelet, from, judgeKubeletField, kubeletConfigYaml, kubeletSubject, settingField } from '../component-support.js';
import { defineCheck, fail } from '../define.js';
import { dropFeatureGates, kubeletField } from '../../fix/node-fixes.js';
import type { FailResult } from '../types.js';
import type { FixContext } from '../../fix/types.js';
import { SERVER_CERTIFICATE_GATE, serverCertificateGateOff } from './kubelet-server-certificate-gate.js';

const dropGate = dropFeatureGates((name, on) => name === SERVER_CERTIFICATE_GATE && !on);
const setBootstrap = kubeletField('serverTLSBootstrap', true);
const GATE_OFF = `feature gate ${SERVER_CERTIFICATE_GATE} is off`;

export default defineCheck({
  id: 'kubelet-serving-certificate-rotation-disabled',
  section: 'credential-rotation',
  severity: 'low',
  title: 'Kubelet serving certificate is not requested from the cluster (serverTLSBootstrap off)',
  docs: {
    what: 'Reports every kubelet whose effective serverTLSBootstrap (flag --rotate-server-certificates) is not true, or whose feature gate RotateKubeletServerCertificate is turned off (without it serverTLSBootstrap does nothing). The default of serverTLSBootstrap is false: the kubelet then serves its API (port 10250) with a self-signed certificate it generates once, or a static file. CIS 4.2.11 (as kube-bench audits it) looks at the gate only, so a kubelet without serverTLSBootstrap fails here and passes there.',
    why: 'A self-signed serving certificate is never rotated and cannot be verified by the API server, so kube-apiserver to kubelet traffic (exec, logs, port-forward) is open to interception, and the key lives as long as the node. With serverTLSBootstrap the kubelet requests a cluster-signed serving certificate and renews it.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation',
    ],
  },
  cis: { '1.12': ['4.2.11'] },
  remediation: `In the kubelet's config file, then restart the kubelet:

serverTLSBootstrap: true

and take RotateKubeletServerCertificate=false out of its featureGates (--feature-gates).
Serving-certificate CSRs (signer kubernetes.io/kubelet-serving) are not approved automatically: approve them
(kubectl certificate approve) or run an approver such as kubelet-csr-approver, and give kube-apiserver
--kubelet-certificate-authority to verify kubelets.`,
  *evaluate(ctx) {
    yield* forEachKubelet(ctx, function* (k) {
      const gates = k.get('featureGates');
      if (!gates.unresolved && serverCertificateGateOff(gates)) {
        // CIS fails this too: the result's status is its verdict.
        yield fail(kubeletSubject(k, gates), `kubelet on ${k.node}: ${GATE_OFF}${from(gates)}, so it never requests or renews a serving certificate`, {
          ...settingField(gates),
        });
        return;
      }
      yield judgeKubeletField(k, 'serverTLSBootstrap', (v) => v === 'true', (v) => `serverTLSBootstrap is ${v ?? 'unset'}, so its serving certificate is self-signed and never renewed`, {
        control: '4.2.11',
        // Reached only when the gate is not off, which is all CIS 4.2.11 asks.
        passes: () => true,
        note: () => `CIS 4.2.11 only asks that ${SERVER_CERTIFICATE_GATE} is not turned off; kubeward also requires serverTLSBootstrap: true, without which the gate does nothing`,
      });
    });
  },
  examples: {
    fail: [
      kubeletConfigYaml('rotateCertificates: true'),
      kubeletConfigYaml(`rotateCertificates: true\nserverTLSBootstrap: true\nfeatureGates: {${SERVER_CERTIFICATE_GATE}: false}`),
    ],
    pass: [
      kubeletConfigYaml('rotateCertificates: true\nserverTLSBootstrap: true'),
      kubeletConfigYaml(`serverTLSBootstrap: true\nfeatureGates: {${SERVER_CERTIFICATE_GATE}: true}`),
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: `sets serverTLSBootstrap: true in the kubelet's config file (its serving certificate is requested from the cluster CA) and takes ${SERVER_CERTIFICATE_GATE}=false off its feature gates`,
    risk: 'kubelet serving CSRs are not approved automatically: until someone approves them (or an approver is installed) kubectl logs and exec to that node fail',
    plan(ctx: FixContext, failures: readonly FailResult[]) {
      const gateOff = failures.filter((f) => f.message.includes(GATE_OFF));
      if (gateOff.length > 0) dropGate(ctx, gateOff);
      setBootstrap(ctx, failures);
    },
  },
});
