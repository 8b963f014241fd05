// Shared by the two kubelet rotation checks: judge one boolean KubeletConfiguration field on
// every kubelet the input shows, naming where its value came from.

import { describeOrigin, kubeletSettings, locationOf } from '../../engines/config/index.js';
import { fail, notEvaluated, pass } from '../define.js';
import type { CheckContext, CheckResult } from '../types.js';

export function* judgeKubeletRotation(ctx: CheckContext, field: 'rotateCertificates' | 'serverTLSBootstrap', what: string): Generator<CheckResult> {
  const all = ctx.shared('kubelet-settings', () => kubeletSettings(ctx.inventory, ctx.k8sVersion));
  for (const kubelet of all) {
    const setting = kubelet.get(field);
    const location = locationOf(setting.origin) ?? kubelet.location;
    const subject = { ref: kubelet.ref, location };
    if (setting.unresolved) yield notEvaluated(subject, setting.unresolved);
    else if (setting.value === 'true') yield pass(subject);
    else {
      const value = setting.value ?? 'unset';
      yield fail(subject, `kubelet on ${kubelet.node}: ${field} is ${value} (${describeOrigin(setting.origin)}), so ${what}`, {
        ...(setting.origin.kind === 'default' ? {} : { field: setting.origin.field }),
      });
    }
  }
}
