// kubeward node: scan the machine kubeward runs on, as `kubeward scan --node-root /`.

import { run as scan } from './scan.js';

export const USAGE = `Usage: kubeward node [scan flags] [PATH...]

Scans this machine's own filesystem as a Kubernetes node: the same as
"kubeward scan --node-root / [flags] [PATH...]". Run it as root on a control-plane or worker
node so that manifests, kubeconfigs and /proc can be read. Every "kubeward scan" flag applies.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  return scan(['--node-root', '/', ...argv]);
}
