// The RotateKubeletServerCertificate feature gate, which serverTLSBootstrap needs (beta and on by
// default since 1.12): read on the kubelet (CIS 4.2.11) and on kube-controller-manager (CIS 1.3.6).

import type { Setting } from '../../engines/config/index.js';
import { parseGates } from '../feature-stages/gates.js';

export const SERVER_CERTIFICATE_GATE = 'RotateKubeletServerCertificate';

/** Whether a feature-gates setting ("A=true,B=false", Go ParseBool values) turns the gate off. */
export function serverCertificateGateOff(gates: Setting): boolean {
  return parseGates(gates.value ?? '').gates.get(SERVER_CERTIFICATE_GATE) === false;
}
