// Sysctls can disable security mechanisms or affect all containers on a host, and are
// disallowed except for a "safe" subset: namespaced in the container or pod and isolated from
// other pods and processes on the node. Restricted field: spec.securityContext.sysctls[*].name.

import type { PodSpec } from '../../../inventory/pod.js';
import type { CheckPodFn, PssCheck } from '../types.js';

const sysctlsAllowed_1_0 = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
const sysctlsAllowed_1_27 = new Set([...sysctlsAllowed_1_0, 'net.ipv4.ip_local_reserved_ports']);
const sysctlsAllowed_1_29 = new Set([
  ...sysctlsAllowed_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const sysctlsAllowed_1_32 = new Set([...sysctlsAllowed_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

function sysctls(allowed: ReadonlySet<string>): CheckPodFn {
  return (_metadata, spec: PodSpec) => {
    const list = spec.securityContext?.sysctls;
    if (!Array.isArray(list)) return undefined;
    let forbidden: string[] | undefined;
    const fields: string[] = [];
    list.forEach((sysctl, i) => {
      const name = typeof sysctl?.name === 'string' ? sysctl.name : '';
      if (!allowed.has(name)) {
        (forbidden ??= []).push(name);
        fields.push(`spec.securityContext.sysctls[${i}].name`);
      }
    });
    if (!forbidden) return undefined;
    return { reason: 'forbidden sysctls', detail: forbidden.join(', '), fields };
  };
}

export const sysctlsCheck: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minimumMinor: 0, checkPod: sysctls(sysctlsAllowed_1_0) },
    { minimumMinor: 27, checkPod: sysctls(sysctlsAllowed_1_27) },
    { minimumMinor: 29, checkPod: sysctls(sysctlsAllowed_1_29) },
    { minimumMinor: 32, checkPod: sysctls(sysctlsAllowed_1_32) },
  ],
};
