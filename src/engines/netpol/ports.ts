// Port sets per protocol: what a direction allows, so egress and ingress can be intersected.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Inclusive port ranges per protocol, sorted and merged. */
export type PortSet = Record<Protocol, [number, number][]>;

export const MAX_PORT = 65535;

export function emptyPortSet(): PortSet {
  return { TCP: [], UDP: [], SCTP: [] };
}

export function fullPortSet(): PortSet {
  return { TCP: [[1, MAX_PORT]], UDP: [[1, MAX_PORT]], SCTP: [[1, MAX_PORT]] };
}

export function addPorts(set: PortSet, protocol: Protocol, from: number, to: number): void {
  const ranges = [...set[protocol], [from, to] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  set[protocol] = merged;
}

export function unionPorts(a: PortSet, b: PortSet): PortSet {
  const out = emptyPortSet();
  for (const protocol of PROTOCOLS) for (const [lo, hi] of [...a[protocol], ...b[protocol]]) addPorts(out, protocol, lo, hi);
  return out;
}

export function intersectPorts(a: PortSet, b: PortSet): PortSet {
  const out = emptyPortSet();
  for (const protocol of PROTOCOLS) {
    for (const [alo, ahi] of a[protocol]) {
      for (const [blo, bhi] of b[protocol]) {
        const lo = Math.max(alo, blo);
        const hi = Math.min(ahi, bhi);
        if (lo <= hi) addPorts(out, protocol, lo, hi);
      }
    }
  }
  return out;
}

export function isEmptyPortSet(set: PortSet): boolean {
  return PROTOCOLS.every((p) => set[p].length === 0);
}

/** "TCP 80, 8000-8080; UDP 53", or "all ports". */
export function describePorts(set: PortSet): string {
  if (PROTOCOLS.every((p) => set[p].length === 1 && set[p][0]![0] === 1 && set[p][0]![1] === MAX_PORT)) return 'all ports';
  const parts = PROTOCOLS.filter((p) => set[p].length > 0).map(
    (p) => `${p} ${set[p].map(([lo, hi]) => (lo === 1 && hi === MAX_PORT ? 'all' : lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ')}`,
  );
  return parts.length > 0 ? parts.join('; ') : 'no port';
}

export function parseProtocol(text: string | undefined): Protocol | undefined {
  const upper = (text ?? 'TCP').toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(upper) ? (upper as Protocol) : undefined;
}
