// How kubeward reaches a cluster: kubeconfig (--kubeconfig, else $KUBECONFIG, else
// ~/.kube/config) or the pod's service account, read by @kubernetes/client-node's KubeConfig,
// which also applies every auth method kubectl users have (certificates, tokens, exec plugins,
// auth providers, proxies).

import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { yamlLibrary } from '../../yaml.js';
import { InputUnavailableError, UsageError } from '../../errors.js';
import { fieldLineOf } from '../../inventory/field-lines.js';
import { shapeProblem } from '../../inventory/validate.js';
import { parseDocuments } from '../documents.js';
import { describeFsError } from '../files.js';
import { fileLine } from '../../inventory/types.js';

export interface ClusterTarget {
  /** --kubeconfig; else $KUBECONFIG, else ~/.kube/config, else the pod's service account. */
  kubeconfig?: string;
  /** --context; else the kubeconfig's current context. */
  context?: string;
  /** Root under which the pod's /var/run/secrets/kubernetes.io/serviceaccount is read (default /). */
  inClusterRoot?: string;
}

export interface Connection {
  /** The API server's URL without a trailing slash, e.g. https://10.0.0.1:6443. */
  server: string;
  /** The kubeconfig context used, or "in-cluster". */
  context: string;
  agent: http.Agent;
  /** Headers that authenticate a request (Authorization, Impersonate-User). */
  authHeaders(): Promise<Record<string, string>>;
  /** Forgets cached credentials (an expired token) so the next authHeaders() gets fresh ones. */
  refreshAuth(): void;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** `kc`: the target's kubeconfig when the caller has loaded it already (it reads and parses files). */
export async function connect(target: ClusterTarget, maxSockets: number, kc: KubeConfig = loadKubeConfig(target)): Promise<Connection> {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new InputUnavailableError(`kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);

  const options: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (e) {
    throw new InputUnavailableError(`cannot use the credentials of context "${kc.getCurrentContext()}": ${(e as Error).message}`);
  }
  // KubeConfig makes a new agent per call; one keep-alive agent reuses connections for the whole
  // scan. A proxy agent (cluster.proxyUrl) is kept as KubeConfig made it.
  let agent = options.agent as http.Agent;
  if (!cluster.proxyUrl) {
    const tls = { ca: options.ca, cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase, servername: options.servername };
    agent = cluster.server.startsWith('http:')
      ? new http.Agent({ keepAlive: true, maxSockets })
      : new https.Agent({ ...tls, ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}), keepAlive: true, maxSockets });
  }

  let headers: Record<string, string> | undefined = headersOf(options);
  return {
    server: cluster.server.replace(/\/+$/, ''),
    context: kc.getCurrentContext(),
    agent,
    async authHeaders() {
      if (!headers) {
        const fresh: https.RequestOptions = {};
        await kc.applyToHTTPSOptions(fresh);
        (fresh.agent as http.Agent | undefined)?.destroy();
        headers = headersOf(fresh);
      }
      return headers;
    },
    refreshAuth() {
      headers = undefined;
    },
  };
}

export function loadKubeConfig(target: ClusterTarget): KubeConfig {
  const kc = new KubeConfig();
  const root = target.inClusterRoot ?? '';
  const home = join(homedir(), '.kube', 'config');
  if (target.kubeconfig) {
    if (!existsSync(target.kubeconfig)) throw new InputUnavailableError(`kubeconfig ${target.kubeconfig}: no such file`);
    loadKubeConfigFile(kc, target.kubeconfig);
  } else if (process.env.KUBECONFIG || existsSync(home)) {
    // As kubectl: the files of $KUBECONFIG are merged and the first one's current context wins.
    const [first, ...rest] = process.env.KUBECONFIG ? process.env.KUBECONFIG.split(delimiter).filter((f) => f) : [home];
    loadKubeConfigFile(kc, first!);
    for (const file of rest) {
      const more = new KubeConfig();
      loadKubeConfigFile(more, file);
      kc.mergeConfig(more, true);
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(`${root}${SERVICE_ACCOUNT_DIR}/token`)) {
    try {
      kc.loadFromCluster(root);
    } catch (e) {
      throw new InputUnavailableError(`cannot read the service account under ${root || '/'}${SERVICE_ACCOUNT_DIR}: ${describeFsError(e)}`);
    }
    if (!target.context) return kc;
  } else {
    throw new InputUnavailableError('no kubeconfig: give --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account');
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(`context "${target.context}" is not in the kubeconfig (contexts: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(target.context);
  } else if (!kc.getCurrentContext() || !kc.getContextObject(kc.getCurrentContext())) {
    throw new InputUnavailableError('the kubeconfig has no current context; give --context');
  }
  return kc;
}

/** Largest kubeconfig read (real ones are kilobytes; certificates inline make them tens). */
const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Reads one kubeconfig with kubeward's own parser and shape check first: a kubeconfig holds
 * tokens and keys, and the client library's errors quote the file (a YAML code frame, a value in
 * a TypeError). Errors here name the file, line and reason only.
 */
function loadKubeConfigFile(kc: KubeConfig, file: string): void {
  let text: string;
  try {
    const info = statSync(file);
    if (!info.isFile()) throw new InputUnavailableError(`kubeconfig ${file}: not a regular file`);
    if (info.size > MAX_KUBECONFIG_BYTES) throw new InputUnavailableError(`kubeconfig ${file}: ${info.size} bytes, over the ${MAX_KUBECONFIG_BYTES}-byte limit`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputUnavailableError) throw e;
    throw new InputUnavailableError(`kubeconfig ${file}: ${describeFsError(e)}`);
  }
  const parsed = parseDocuments(text, file, { fieldLines: true });
  const error = parsed.errors[0];
  if (error) throw new InputUnavailableError(`kubeconfig ${fileLine(file, error.line)}: ${error.message}`);
  let value: unknown;
  try {
    value = yamlLibrary().parse(text, { logLevel: 'error', maxAliasCount: 1000 });
  } catch {
    throw new InputUnavailableError(`kubeconfig ${file}: not valid YAML`);
  }
  const problem = shapeProblem(value, 'Config');
  if (problem) {
    const line = parsed.items[0] && fieldLineOf(parsed.items[0].object, problem.path);
    throw new InputUnavailableError(`kubeconfig ${fileLine(file, line)}: ${problem.message}`);
  }
  try {
    kc.loadFromString(text);
  } catch (e) {
    // The library's own checks ("users[0].name is missing") are safe to show; nothing else is.
    const message = e instanceof Error && /^[\w-]+\[\d+\]\.[\w-]+ is missing$/.test(e.message) ? e.message : 'not a valid kubeconfig';
    throw new InputUnavailableError(`kubeconfig ${file}: ${message}`);
  }
}

function headersOf(options: https.RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  return headers;
}
