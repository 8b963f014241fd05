// How kubeward reaches a cluster: kubeconfig (--kubeconfig, else $KUBECONFIG, else
// ~/.kube/config) or the pod's service account, read by @kubernetes/client-node's KubeConfig,
// which also applies every auth method kubectl users have (certificates, tokens, exec plugins,
// auth providers, proxies).

import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InputUnavailableError, UsageError } from '../../errors.js';

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

export async function connect(target: ClusterTarget, maxSockets: number): Promise<Connection> {
  const kc = loadKubeConfig(target);
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

function loadKubeConfig(target: ClusterTarget): KubeConfig {
  const kc = new KubeConfig();
  const root = target.inClusterRoot ?? '';
  try {
    if (target.kubeconfig) {
      if (!existsSync(target.kubeconfig)) throw new InputUnavailableError(`kubeconfig ${target.kubeconfig}: no such file`);
      kc.loadFromFile(target.kubeconfig);
    } else if (process.env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config'))) {
      // As kubectl: the files of $KUBECONFIG are merged and the first one's current context wins.
      kc.loadFromDefault(undefined, true);
    } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(`${root}${SERVICE_ACCOUNT_DIR}/token`)) {
      kc.loadFromCluster(root);
      if (!target.context) return kc;
    } else {
      throw new InputUnavailableError('no kubeconfig: give --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run inside a pod with a service account');
    }
  } catch (e) {
    if (e instanceof InputUnavailableError) throw e;
    throw new InputUnavailableError(`cannot read the kubeconfig: ${(e as Error).message}`);
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

function headersOf(options: https.RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  return headers;
}
