// The host field is restricted in probes and lifecycle handlers (new in policy 1.34).
// Restricted fields: containers' {liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host and
// lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host. Allowed values: "", undefined.

import type { PodSpec, Probe } from '../../../inventory/pod.js';
import { joinQuote, pluralize, sortedUnique } from '../format.js';
import type { PssCheck, Violation } from '../types.js';
import { containerField, nameOf, visitContainers } from '../visitor.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/** Adds the non-empty hosts of a probe or handler; returns whether it had any. */
function collectHosts(handler: Probe | null | undefined, path: () => string, hosts: string[], fields: string[]): boolean {
  if (!handler) return false;
  let found = false;
  for (const action of ACTIONS) {
    const host = handler[action]?.host;
    if (typeof host === 'string' && host !== '') {
      hosts.push(host);
      fields.push(`${path()}.${action}.host`);
      found = true;
    }
  }
  return found;
}

function hostProbesAndHostLifecycle_1_34(_metadata: unknown, spec: PodSpec): Violation | undefined {
  const badContainers: string[] = [];
  const hosts: string[] = [];
  const fields: string[] = [];
  visitContainers(spec, (c, list, i) => {
    let bad = false;
    for (const probe of PROBES) bad = collectHosts(c[probe], () => containerField(list, i, probe), hosts, fields) || bad;
    const lifecycle = c.lifecycle;
    if (lifecycle) {
      for (const handler of HANDLERS) bad = collectHosts(lifecycle[handler], () => containerField(list, i, `lifecycle.${handler}`), hosts, fields) || bad;
    }
    if (bad) badContainers.push(nameOf(c));
  });
  if (badContainers.length === 0) return undefined;
  const containers = sortedUnique(badContainers);
  const uniqueHosts = sortedUnique(hosts);
  return {
    reason: 'probe or lifecycle host',
    detail: `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', uniqueHosts.length)} ${joinQuote(uniqueHosts)}`,
    fields,
  };
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minimumMinor: 34, checkPod: hostProbesAndHostLifecycle_1_34 }],
};
