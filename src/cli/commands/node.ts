// kubeward node: scan the machine kubeward runs on, as `kubeward scan --node-root /`; as the
// in-cluster node agent, over the host's files mounted in its pod, again and again.

import { UsageError } from '../../errors.js';
import { run as scan } from './scan.js';

export const USAGE = `Usage: kubeward node [--root DIR] [--interval DURATION] [scan flags] [PATH...]

Scans this machine's own filesystem as a Kubernetes node: the same as
"kubeward scan --node-root DIR [flags] [PATH...]". Run it as root on a control-plane or worker
node so that manifests, kubeconfigs and /proc can be read. Every "kubeward scan" flag applies.

Flags:
  --root DIR                  where the node's filesystem is (default /; the node agent's pod
                              mounts the host's files under /host)
  --interval DURATION         scan again every DURATION (e.g. 30m, 6h) until stopped: the node
                              agent's DaemonSet mode. A failed round is reported on stderr and
                              the next one still runs.

In the cluster (kubeward install --nodes), the DaemonSet runs
  kubeward node --root /host --node-name $(NODE_NAME) --report-to-cluster --interval 6h
which writes one ClusterPolicyReport per node, scoped to its Node.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const rest = [...argv];
  const root = take(rest, 'root') ?? '/';
  const interval = take(rest, 'interval');
  const once = () => scan(['--node-root', root, ...rest]);
  if (interval === undefined) return once();
  const ms = durationMs(interval);
  for (;;) {
    const started = Date.now();
    const code = await once();
    process.stderr.write(`kubeward node: round done (exit code ${code}); next in ${interval}\n`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - (Date.now() - started))));
  }
}

/** Removes `--name VALUE` or `--name=VALUE` from args and returns the value. */
function take(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const [flag] = args.splice(i, 1);
  if (flag!.includes('=')) return flag!.slice(name.length + 3);
  const value = args.splice(i, 1)[0];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return value;
}

/** 90s, 30m, 6h, 1h30m: at least a minute, so that a node agent never hammers the API server. */
function durationMs(text: string): number {
  const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+)([smh])/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit!]!, 0);
  if (parts.map((p) => p[0]).join('') !== text || total < 60_000) throw new UsageError(`--interval must be a duration of at least a minute such as 30m or 6h (got "${text}")`);
  return total;
}
