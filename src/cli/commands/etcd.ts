// kubeward etcd: live checks against an etcd endpoint. verify-encryption reads the values
// kube-apiserver stored and tells which are encrypted at rest (secrets-encryption); probe tells
// whether a client without a certificate can read etcd (etcd-access).

import { yamlLibrary } from '../../yaml.js';
import { encryptionConfigResources } from '../../engines/encryption/etcd-keys.js';
import { InputUnavailableError, UsageError } from '../../errors.js';
import { terminalLines } from '../../report/terminal.js';
import { parseDocuments } from '../../sources/documents.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_RESOURCES,
  etcdClientFromFlags,
  firstAnswering,
  probeEtcd,
  readEtcdInput,
  verifyEncryption,
  type EncryptionVerification,
  type ProbeResult,
} from '../../sources/etcd.js';
import { emit, oneOf, parseFlags } from '../args.js';
import { fileLine } from '../../inventory/types.js';

export const USAGE = `Usage: kubeward etcd <verify-encryption|probe> [flags]

  verify-encryption  read the raw values of Secrets (and other resources) in etcd and report which
                     are stored in plaintext and which provider and key encrypted each. Values are
                     never printed. Exit 1 when a Secret is stored in plaintext, 0 when every
                     Secret is encrypted, 2 when etcd could not be read.
  probe              connect without a client certificate and report whether etcd lets such a
                     client read. Exit 1 when it does, 0 when it does not, 2 when unreachable.

Flags:
  --endpoints URL[,URL]   etcd client URL(s), e.g. https://127.0.0.1:2379 (verify-encryption reads the
                          first that answers; probe probes each)
  --cacert FILE           CA that signed etcd's serving certificate (required by verify-encryption over
                          https; without it, probe connects as an attacker would, unverified)
  --cert FILE, --key FILE client certificate and key (verify-encryption; e.g. apiserver-etcd-client.crt)
  --resources LIST        resources to read, named as EncryptionConfiguration names them
                          (default ${DEFAULT_RESOURCES.join(',')}; e.g. secrets,widgets.example.com)
  --encryption-config FILE  also read every resource this EncryptionConfiguration names
  --etcd-prefix PREFIX    kube-apiserver --etcd-prefix (default /registry)
  --batch-size N          keys read per request (default ${DEFAULT_BATCH_SIZE})
  --format table|json     output format (default table)
  -o, --output FILE       write the output to FILE
`;

const FLAGS = {
  endpoints: { type: 'string' },
  cacert: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  resources: { type: 'string' },
  'encryption-config': { type: 'string' },
  'etcd-prefix': { type: 'string' },
  'batch-size': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  const [sub, ...extra] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  if (sub !== 'probe' && sub !== 'verify-encryption') throw new UsageError(`unknown etcd command "${sub}" (verify-encryption or probe)`);
  const client = await etcdClientFromFlags(values, '', sub === 'verify-encryption');

  if (sub === 'probe') {
    const results: ProbeResult[] = [];
    for (const endpoint of client.endpoints) results.push(await probeEtcd(endpoint, client.tls));
    await emit(format === 'json' ? `${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n` : probeTable(results), values.output);
    if (results.some((r) => !r.reachable)) return 2;
    return results.some((r) => r.readableWithoutClientCert) ? 1 : 0;
  }

  // verify-encryption
  const batchSize = values['batch-size'] === undefined ? DEFAULT_BATCH_SIZE : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size must be an integer from 1 to 10000');
  const resources = values.resources ? values.resources.split(',').map((r) => r.trim()).filter(Boolean) : [...DEFAULT_RESOURCES];
  if (resources.some((r) => !/^[a-z0-9.-]+$/.test(r))) throw new UsageError(`--resources: expected resource names such as secrets,configmaps (got "${values.resources}")`);
  if (values['encryption-config']) {
    const named = await configuredResources(values['encryption-config']);
    for (const r of named) if (!resources.includes(r)) resources.push(r);
  }
  const verification = await firstAnswering(client, (gateway) =>
    verifyEncryption(gateway, { resources, batchSize, ...(values['etcd-prefix'] ? { etcdPrefix: values['etcd-prefix'] } : {}) }),
  );
  await emit(format === 'json' ? `${JSON.stringify(verification, null, 2)}\n` : verificationTable(verification, !client.tls.ca), values.output);
  return verification.summary.plaintextSecrets > 0 ? 1 : 0;
}

/** Resources an EncryptionConfiguration names; wildcards name no single etcd path and are noted. */
async function configuredResources(path: string): Promise<string[]> {
  const text = (await readEtcdInput('--encryption-config', path)).toString('utf8');
  // kubeward's own reader first: the file holds keys, and the library's messages may quote it.
  const error = parseDocuments(text, path).errors[0];
  if (error) throw new InputUnavailableError(`--encryption-config ${fileLine(path, error.line)}: ${error.message}`);
  let config: unknown;
  try {
    config = yamlLibrary().parse(text, { logLevel: 'error' });
  } catch {
    throw new InputUnavailableError(`--encryption-config ${path}: not YAML`);
  }
  const { resources, wildcards } = encryptionConfigResources(config);
  if (wildcards.length > 0) process.stderr.write(terminalLines([`kubeward etcd: ${path} names ${wildcards.join(', ')}; wildcards name no single etcd path, list those resources with --resources`]));
  return resources;
}

function verificationTable(v: EncryptionVerification, unverifiedServer: boolean): string {
  const lines = [`etcd ${v.endpoint}: ${v.summary.total} values read${unverifiedServer ? ' (plain http: the server was not authenticated)' : ''}`, ''];
  for (const [resource, s] of Object.entries(v.summary.byResource)) {
    lines.push(`  ${resource.padEnd(20)} ${String(s.total).padStart(7)} stored  ${String(s.encrypted).padStart(7)} encrypted  ${String(s.plaintext).padStart(7)} plaintext${s.unknown ? `  ${s.unknown} unknown prefix` : ''}`);
  }
  const providers = Object.entries(v.summary.byProvider);
  if (providers.length > 0) {
    lines.push('', '  encrypted with (provider:version:key):');
    for (const [id, n] of providers.sort((a, b) => b[1] - a[1])) lines.push(`    ${id.padEnd(40)} ${n}`);
  }
  const plaintextSecrets = v.resources.filter((r) => r.resource === 'secrets' && !r.encrypted && r.unknownPrefix === undefined);
  lines.push('');
  if (plaintextSecrets.length === 0) {
    lines.push(v.summary.byResource.secrets ? 'PASS secrets-encryption: every Secret in etcd is encrypted' : 'Secrets were not read (add secrets to --resources)');
  } else {
    lines.push(`FAIL secrets-encryption: ${plaintextSecrets.length} Secret(s) stored in etcd in plaintext:`);
    for (const r of plaintextSecrets) lines.push(`  HIGH  Secret ${r.namespace ? `${r.namespace}/` : ''}${r.name}  (${r.key}, ${r.format})`);
    lines.push('', 'Fix: configure an encryption provider first in --encryption-provider-config, then rewrite every Secret:',
      '  kubectl get secrets --all-namespaces -o json | kubectl replace -f -');
  }
  for (const r of v.resources.filter((x) => x.unknownPrefix !== undefined)) lines.push(`  note: ${r.key} starts with an unknown prefix "${r.unknownPrefix}"`);
  return terminalLines(lines);
}

function probeTable(results: ProbeResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const verdict = !r.reachable
      ? 'UNREACHABLE'
      : r.readableWithoutClientCert
        ? 'FAIL etcd-access: readable without a client certificate'
        : 'PASS etcd-access: not readable without a client certificate';
    lines.push(`${r.endpoint}: ${verdict}`);
    lines.push(`  tls: ${r.tls}  client certificate required: ${r.clientCertRequired}`);
    if (r.detail) lines.push(`  ${r.detail}`);
  }
  return terminalLines(lines);
}
