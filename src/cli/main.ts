// kubeward's entry point: picks the command, maps typed errors to messages and exit codes.

import { describeInternalError, InputUnavailableError, UsageError } from '../errors.js';
import { escapeTerminal } from '../report/terminal.js';
import { TOOL_VERSION } from '../version.js';

type CommandModule = { run(argv: string[]): Promise<number> };

/** Each command lives in its own module, imported only when used. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  scan: { summary: 'audit manifests, a node or a cluster against the guide', load: () => import('./commands/scan.js') },
  node: { summary: 'audit this machine as a Kubernetes node (scan --node-root /)', load: () => import('./commands/node.js') },
  fix: { summary: 'fix what scan finds: a diff proven by re-scanning; --write applies it', load: () => import('./commands/fix.js') },
  explain: { summary: 'explain a check or a section', load: () => import('./commands/explain.js') },
  checks: { summary: 'list every check, or write the catalogue (docs/checks.md)', load: () => import('./commands/checks.js') },
  podsecurity: { summary: 'Pod Security Standards as kube-apiserver decides; namespace label dry-runs', load: () => import('./commands/podsecurity.js') },
  rbac: { summary: 'RBAC as the authorizer decides: who-can, can, permissions, escalation paths', load: () => import('./commands/rbac.js') },
  netpol: { summary: 'NetworkPolicy reachability as Kubernetes decides: reach, matrix', load: () => import('./commands/netpol.js') },
  review: { summary: 'review what a third-party integration could do before installing it', load: () => import('./commands/review.js') },
  install: { summary: 'print the manifests that run kubeward in the cluster (scans, node agent, PolicyReports)', load: () => import('./commands/install.js') },
  diff: { summary: 'compare two JSON reports: new, fixed and changed findings (CI fails on new ones only)', load: () => import('./commands/diff.js') },
  snapshot: { summary: 'save what a live cluster scan reads, for offline scans', load: () => import('./commands/snapshot.js') },
  etcd: { summary: 'verify Secrets are encrypted in etcd; probe etcd for access without a client certificate', load: () => import('./commands/etcd.js') },
  webhook: { summary: 'validating admission webhook enforcing the checks and RBAC escalation paths; its manifests', load: () => import('./commands/webhook.js') },
  'admission-policy': { summary: 'ValidatingAdmissionPolicies (CEL) for the checks CEL can express', load: () => import('./commands/admission-policy.js') },
};

export const HELP = `kubeward ${TOOL_VERSION}: secure a Kubernetes cluster the way the guide "Securing a Cluster" says.

Usage: kubeward <command> [flags]     (also: kubectl ward <command>)

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`).join('\n')}

Run "kubeward <command> --help" for a command's flags.
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or incomplete scan.
`;

export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: that ends the output, not in a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`kubeward ${TOOL_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kubeward: unknown command "${escapeTerminal(name)}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (e) {
    // Messages name files, objects and values from the input: escaped like every text output.
    if (e instanceof UsageError) {
      process.stderr.write(`kubeward ${name}: ${escapeTerminal(e.message)}\nRun "kubeward ${name} --help" for usage.\n`);
      return 2;
    }
    if (e instanceof InputUnavailableError) {
      process.stderr.write(`kubeward ${name}: ${escapeTerminal(e.message)}\n`);
      return 2;
    }
    process.stderr.write(`kubeward ${name}: internal error: ${describeInternalError(e).split('\n').map(escapeTerminal).join('\n')}\n${process.env.KUBEWARD_DEBUG ? '' : 'Set KUBEWARD_DEBUG=1 for its message and stack trace, and please report it.\n'}`);
    return 2;
  }
}
