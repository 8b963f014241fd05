// kubeward netpol reach|matrix: ask the NetworkPolicy engine who can talk to whom.

import { NetpolGraph, parseIp, parseProtocol, reachabilityTable, type Party, type Protocol, type ReachabilityTable, type ReachVerdict } from '../../engines/netpol/index.js';
import { UsageError } from '../../errors.js';
import { escapeTerminal, terminalLines } from '../../report/terminal.js';
import { resolveVersion } from '../../scan/run.js';
import { kubeVersionFlag, oneOf, parseFlags } from '../args.js';
import { readManifests } from '../manifests.js';
import { fileLine } from '../../inventory/types.js';

export const USAGE = `Usage:
  kubeward netpol reach (--from NS/POD | --from-ip IP) (--to NS/POD | --to-ip IP) --port N
                        [--protocol TCP|UDP|SCTP] [--format table|json] [--k8s-version V] PATH...
  kubeward netpol matrix [--port N] [--protocol P] [-n NS]... [--pods] [--format table|json]
                         [--k8s-version V] PATH...

Decides with the exact NetworkPolicy semantics whether traffic is allowed: the source's egress
and the destination's ingress must both allow it. PATH holds manifests or kubectl get -o yaml
dumps (pods with status.podIP make ipBlock rules decidable).

A pod is NS/POD. A workload whose pods are not in the input stands for them as NS/KIND/NAME
(e.g. shop/deployment/web): same labels and ports, no IP. --to-ip/--from-ip is an address
outside the cluster: only the pod side's policies apply.

matrix: rows are sources, columns destinations; a namespace cell is allowed when some pod of
the row namespace can reach some pod of the column namespace. Without --port, a cell asks
"on some port". An answer the input cannot decide (namespace labels or pod IPs missing) is
null in JSON and "?" in the table; the reason is printed on stderr.

--k8s-version (default: detected from the input, else current) selects release semantics:
before 1.22 the API server drops endPort; before 1.21 namespaces lack kubernetes.io/metadata.name.
`;

async function load(paths: string[], versionFlag: string | undefined): Promise<{ graph: NetpolGraph; incomplete: boolean }> {
  if (paths.length > 0) kubeVersionFlag(versionFlag);
  const { load: result, inventory, incomplete } = await readManifests('netpol', paths, { whenNone: 'nothing to read: give a PATH (or "-" for stdin)' });
  const graph = new NetpolGraph(inventory, { k8sVersion: resolveVersion(inventory, result, versionFlag).version });
  for (const p of graph.problems) {
    process.stderr.write(terminalLines([`kubeward netpol: ${fileLine(p.item.location.file, p.item.location.line)}: NetworkPolicy ${p.item.ref.namespace}/${p.item.ref.name} ${p.field}: ${p.message}`]));
  }
  return { graph, incomplete };
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw new UsageError(`--port must be a number from 1 to 65535 (got "${text}")`);
  return Number(text);
}

function protocolFlag(text: string | undefined): Protocol | undefined {
  if (text === undefined) return undefined;
  const protocol = parseProtocol(text);
  if (!protocol) throw new UsageError(`--protocol must be TCP, UDP or SCTP (got "${text}")`);
  return protocol;
}

function party(graph: NetpolGraph, side: 'from' | 'to', id: string | undefined, ip: string | undefined): Party {
  if ((id === undefined) === (ip === undefined)) throw new UsageError(`give exactly one of --${side} NS/POD and --${side}-ip IP`);
  if (ip !== undefined) {
    const address = parseIp(ip);
    if (!address) throw new UsageError(`--${side}-ip is not an IPv4 or IPv6 address: ${ip}`);
    return { ip: address, text: ip };
  }
  const endpoint = graph.findEndpoint(id!);
  if (!endpoint) {
    const ns = id!.split('/')[0];
    const known = graph.endpoints.filter((e) => e.namespace === ns).map((e) => e.id);
    throw new UsageError(`no pod or workload "${id}" in the input${known.length > 0 ? ` (namespace ${ns} has: ${known.slice(0, 10).join(', ')})` : ''}`);
  }
  return { endpoint };
}

const describeParty = (p: Party) => ('ip' in p ? p.text : p.endpoint.id);

export function formatReach(source: Party, destination: Party, port: number, protocol: Protocol, verdict: ReachVerdict): string {
  const answer = verdict.allowed === true ? 'ALLOWED' : verdict.allowed === false ? 'DENIED' : 'UNDECIDED';
  const side = (label: string, p: Party, d: ReachVerdict['egress']) => {
    if ('ip' in p) return `  ${label.padEnd(8)} ${p.text}: outside the cluster, no policy applies`;
    const state = !d.isolated ? 'not isolated: allowed' : d.allowed === true ? `isolated, allowed by ${d.policies.join(', ')}` : d.allowed === false ? 'isolated, no policy allows it' : 'isolated, undecided';
    return `  ${label.padEnd(8)} ${p.endpoint.id}: ${state}`;
  };
  return terminalLines([
    `${describeParty(source)} -> ${describeParty(destination)} on ${port}/${protocol}: ${answer}`,
    side('egress', source, verdict.egress),
    side('ingress', destination, verdict.ingress),
    ...verdict.notes.map((n) => `  note: ${n}`),
  ]);
}

export function formatMatrix(table: ReachabilityTable): string {
  const probe = table.port !== null ? `${table.port}/${table.protocol}` : table.protocol ? `some ${table.protocol} port` : 'some port';
  const width = String(table.cols.length).length;
  // Escaped before padding, so the columns line up with what is printed.
  const rows = table.rows.map(escapeTerminal);
  const nameWidth = rows.reduce((w, r) => Math.max(w, r.length), 4) + width + 1;
  const lines = [
    `NetworkPolicy reachability on ${probe} (rows: from, columns: to; Y allowed, . denied, ? undecided)`,
    `${''.padEnd(nameWidth)} ${table.cols.map((_, i) => String(i + 1).padStart(width)).join(' ')}`,
    ...rows.map((row, r) => `${`${String(r + 1).padStart(width)} ${row}`.padEnd(nameWidth)} ${table.allowed[r]!.map((v) => (v === true ? 'Y' : v === false ? '.' : '?').padStart(width)).join(' ')}`),
  ];
  return terminalLines(lines);
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'reach') return reach(rest);
  if (sub === 'matrix') return matrix(rest);
  throw new UsageError(`unknown subcommand "${sub}" (reach or matrix)`);
}

async function reach(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    from: { type: 'string' },
    'from-ip': { type: 'string' },
    to: { type: 'string' },
    'to-ip': { type: 'string' },
    port: { type: 'string' },
    protocol: { type: 'string' },
    format: { type: 'string' },
    'k8s-version': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const port = parsePort(values.port);
  if (port === undefined) throw new UsageError('--port is required');
  const protocol = protocolFlag(values.protocol) ?? 'TCP';
  const { graph, incomplete } = await load(positionals, values['k8s-version']);
  const source = party(graph, 'from', values.from, values['from-ip']);
  const destination = party(graph, 'to', values.to, values['to-ip']);
  const verdict = graph.reach(source, destination, port, protocol);
  if (format === 'json') {
    process.stderr.write(terminalLines(verdict.notes.map((n) => `note: ${n}`)));
    const { notes: _notes, ...shape } = verdict;
    process.stdout.write(`${JSON.stringify(shape, null, 2)}\n`);
  } else process.stdout.write(formatReach(source, destination, port, protocol, verdict));
  return incomplete ? 2 : 0;
}

async function matrix(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    port: { type: 'string' },
    protocol: { type: 'string' },
    namespace: { type: 'string', short: 'n', multiple: true },
    pods: { type: 'boolean' },
    format: { type: 'string' },
    'k8s-version': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const port = parsePort(values.port);
  const protocol = protocolFlag(values.protocol);
  const { graph, incomplete } = await load(positionals, values['k8s-version']);
  const table = reachabilityTable(graph, {
    ...(port !== undefined ? { port } : {}),
    ...(protocol ? { protocol } : {}),
    namespaces: values.namespace ?? [],
    pods: values.pods ?? false,
  });
  if (table.allowed.some((row) => row.includes(null))) {
    process.stderr.write('note: some cells are undecided: the input lacks Namespace objects (labels) or pod IPs that the policies refer to; use "netpol reach" on a cell for the reason\n');
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(table)}\n` : formatMatrix(table));
  return incomplete ? 2 : 0;
}
