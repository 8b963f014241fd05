// kubeward webhook serve | manifests: kubeward as a validating admission webhook, and the
// objects that run it in a cluster.

import { UsageError } from '../../errors.js';
import { DEFAULT_IMAGE } from '../../version.js';
import { terminalLines } from '../../report/terminal.js';
import { emit, parseFlags } from '../args.js';
import { yamlLibrary } from '../../yaml.js';
import type { K8sObject } from '../../inventory/types.js';
import { fileLine } from '../../inventory/types.js';

export const USAGE = `Usage: kubeward webhook serve --cert FILE --key FILE [flags]
       kubeward webhook manifests [--namespace NS] [--image IMAGE] [flags]

serve: answers AdmissionReview v1 requests on https://0.0.0.0:PORT/validate with kubeward's
checks: Pods and every workload (Pod Security and the pod checks), Services, Namespaces
(a lowered pod-security.kubernetes.io level), Roles and bindings (a new escalation path to
cluster-admin, every Secret or every node, judged on the cluster state with the request
applied), NetworkPolicies (a namespace re-opened), Secrets and ResourceQuotas. Also serves
/healthz, /readyz (ready after the first full sync of the state) and /metrics. The certificate
and key are reloaded when their files change; SIGTERM drains.

  --cert FILE, --key FILE   serving certificate and key (PEM)
  --port N                  port to listen on (default 8443; 0 takes a free one)
  --config FILE             AdmissionConfiguration (kubeward.io/v1alpha1): actions per check or
                            section, Pod Security level and version, exemptions, exceptions file,
                            stale-state policy, timeoutSeconds
  State for cross-object decisions (one of):
  --kubeconfig FILE         list+watch the cluster of this kubeconfig (--context NAME)
  --in-cluster              list+watch with the pod's service account
  --state PATH              read manifests, folders or snapshots once (repeatable): "would this
                            change be admitted against last night's snapshot?"

manifests: prints the ValidatingWebhookConfiguration, Deployment (3 replicas), PodDisruptionBudget,
Service, ConfigMap, list/watch-only RBAC and NetworkPolicy that run the webhook.

  -n, --namespace NS        namespace to run in (default kubeward-system)
  --image IMAGE             container image (default ghcr.io/kubeward/kubeward:VERSION)
  --config FILE             configuration to ship in the ConfigMap and to derive failure policies
  --ca-bundle FILE          CA of the serving certificate (else cert-manager injects it)
  --replicas N              default 3
  -o, --output FILE         write to FILE instead of stdout
`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'serve') return serve(rest);
  if (sub === 'manifests') return manifests(rest);
  throw new UsageError(`unknown subcommand "${sub}" (serve, manifests)`);
}

/** A YAML stream kubectl apply takes; objects that share a value are written out in full. */
export function toYamlStream(objects: K8sObject[]): string {
  const yaml = yamlLibrary();
  return objects.map((o) => `---\n${yaml.stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}

function intFlag(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

async function manifests(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    namespace: { type: 'string', short: 'n' },
    image: { type: 'string' },
    config: { type: 'string' },
    'ca-bundle': { type: 'string' },
    replicas: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { webhookManifests } = await import('../../admission/manifests.js');
  const { loadConfig } = await import('../../admission/config.js');
  const config = values.config ? await loadConfig(values.config, new Date()) : undefined;
  let caBundle: string | undefined;
  if (values['ca-bundle']) {
    const { readInputFile } = await import('../../sources/files.js');
    const path = values['ca-bundle'];
    caBundle = (await readInputFile(path, 1024 * 1024, (reason) => new UsageError(`--ca-bundle ${path}: ${reason}`))).toString('utf8');
    if (!caBundle.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-bundle ${values['ca-bundle']}: not a PEM certificate`);
  }
  const objects = webhookManifests({
    namespace: values.namespace ?? 'kubeward-system',
    image: values.image ?? DEFAULT_IMAGE,
    replicas: intFlag('replicas', values.replicas, 3, 1, 100),
    ...(config ? { config } : {}),
    ...(caBundle ? { caBundle } : {}),
  });
  await emit(toYamlStream(objects), values.output);
  return 0;
}

async function serve(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    cert: { type: 'string' },
    key: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'in-cluster': { type: 'boolean' },
    state: { type: 'string', multiple: true },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (state files go after --state)`);
  if (!values.cert || !values.key) throw new UsageError('give --cert FILE and --key FILE: the webhook serves HTTPS only');
  const sources = [values.kubeconfig !== undefined, values['in-cluster'] === true, (values.state?.length ?? 0) > 0].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give one state source: --kubeconfig FILE, --in-cluster or --state PATH');
  // 0: any free port (tests); the log line names the one taken.
  const port = intFlag('port', values.port, 8443, 0, 65535);
  const log = (message: string) => process.stderr.write(terminalLines([`kubeward webhook: ${message}`]));

  const { loadConfig, defaultConfig } = await import('../../admission/config.js');
  const { ClusterState } = await import('../../admission/state.js');
  const { Decider } = await import('../../admission/decisions.js');
  const { startWebhookServer } = await import('../../admission/server.js');
  const config = values.config ? await loadConfig(values.config, new Date()) : defaultConfig();
  for (const e of config.exceptions.expired) log(`exception for ${e.check} expired on ${e.expires}; not applied`);
  const state = new ClusterState();
  let incomplete = false;
  let live: { stop(): Promise<void> } | undefined;

  if (values.state) {
    const { loadStateFiles } = await import('../../admission/files.js');
    const errors = await loadStateFiles(state, values.state);
    for (const e of errors) log(`${fileLine(e.source, e.line)}: ${e.message}`);
    incomplete = errors.length > 0;
  }

  const { readFileSync } = await import('node:fs');
  for (const [flag, file] of [['cert', values.cert], ['key', values.key]] as const) {
    try {
      readFileSync(file);
    } catch (e) {
      const { describeFsError } = await import('../../sources/files.js');
      throw new UsageError(`--${flag} ${file}: ${describeFsError(e)}`);
    }
  }
  let server;
  try {
    server = await startWebhookServer({ certFile: values.cert, keyFile: values.key, port, config, decider: new Decider(config, state), state, log });
  } catch (e) {
    const { InputUnavailableError } = await import('../../errors.js');
    throw new InputUnavailableError(`cannot serve on port ${port}: ${(e as Error).message}`);
  }
  log(`serving https://0.0.0.0:${server.port}/validate`);

  if (!values.state) {
    const { LiveStateSource } = await import('../../admission/live.js');
    const source = new LiveStateSource(state, {
      target: { ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), ...(values.context ? { context: values.context } : {}) },
      log,
    });
    live = source;
    try {
      await source.start();
    } catch (e) {
      await server.close();
      throw e;
    }
  }

  // Runs until SIGTERM or SIGINT: stop accepting, answer what is in flight, then exit.
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: draining`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await server.close();
  await live?.stop();
  state.close();
  log('stopped');
  return incomplete ? 2 : 0;
}
