// kubeward admission-policy: ValidatingAdmissionPolicies and bindings for the checks CEL can
// express, with the validation actions of the webhook's configuration.

import { UsageError } from '../../errors.js';
import { terminalLines } from '../../report/terminal.js';
import { emit, parseFlags } from '../args.js';
import { toYamlStream } from './webhook.js';

export const USAGE = `Usage: kubeward admission-policy [--config FILE] [-o FILE]
       kubeward admission-policy --list

Prints a ValidatingAdmissionPolicy and a ValidatingAdmissionPolicyBinding
(admissionregistration.k8s.io/v1, Kubernetes 1.30+) for every single-object check CEL can
express: enforcement by the API server itself, with no webhook to keep available. Messages are
the checks' own; validationActions (Deny, Warn, Audit) follow the configuration as the webhook
does (default: Deny at high and critical, Warn below). The checks it cannot express are listed,
with why, as comments at the top (and by --list).

  --config FILE        AdmissionConfiguration (kubeward.io/v1alpha1), as "webhook serve" takes
  --list               list every webhook check: expressed as a policy, or why not
  -o, --output FILE    write to FILE instead of stdout
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string' },
    list: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { admissionPolicies, coverage } = await import('../../admission/policy.js');
  const rows = coverage();
  if (values.list) {
    await emit(terminalLines(rows.map((r) => `${r.check.padEnd(46)} ${r.expressed ? 'ValidatingAdmissionPolicy' : `webhook only: ${r.reason}`}`)), values.output);
    return 0;
  }
  const { defaultConfig, loadConfig } = await import('../../admission/config.js');
  const config = values.config ? await loadConfig(values.config, new Date()) : defaultConfig();
  const header = [
    '# ValidatingAdmissionPolicies made by kubeward admission-policy. Not expressible in CEL (use "kubeward webhook"):',
    ...rows.filter((r) => !r.expressed).map((r) => `#   ${r.check}: ${r.reason}`),
  ].join('\n');
  await emit(`${header}\n${toYamlStream(admissionPolicies(config))}`, values.output);
  return 0;
}
