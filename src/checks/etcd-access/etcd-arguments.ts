// The CIS view of etcd's settings, as kube-bench reads them: the flag on etcd's command line, else
// its ETCD_* environment variable. kubeward judges the effective value instead (the config
// engine), which differs when etcd runs with --config-file: etcd then ignores flags and variables.

import { etcdEnvName, type ComponentSettings } from '../../engines/config/index.js';
import type { CisOutcome } from '../types.js';

/** The value kube-bench sees for an etcd flag; undefined when it is not set. */
export function etcdArgument(s: ComponentSettings, flag: string): string | undefined {
  return s.run.flags.get(flag)?.value ?? (s.run.env.get(etcdEnvName(flag))?.value || undefined);
}

/** kube-bench's `eq true` on a boolean etcd flag (it compares booleans case-insensitively). */
export function etcdArgumentIsTrue(s: ComponentSettings, flag: string): boolean {
  return etcdArgument(s, flag)?.toLowerCase() === 'true';
}

/**
 * The CIS outcome and, when it differs from kubeward's verdict, why: etcd's --config-file (which
 * kube-bench does not read), else `otherwise`.
 */
export function etcdCis(s: ComponentSettings, cisPasses: boolean, kubewardPasses: boolean, otherwise: string): { outcome: CisOutcome; cisNote?: string } {
  const outcome: CisOutcome = cisPasses ? 'pass' : 'fail';
  if (cisPasses === kubewardPasses) return { outcome };
  return { outcome, cisNote: s.get('config-file').value ? 'kube-bench reads only etcd\'s flags and ETCD_* variables, which etcd ignores when it runs with --config-file' : otherwise };
}
