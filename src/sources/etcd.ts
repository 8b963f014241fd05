// Talks to etcd through its v3 JSON gateway (POST /v3/kv/range over HTTPS): reads the raw values
// kube-apiserver stored, in bounded batches, and classifies each from its first bytes. A value is
// never printed, logged, kept or returned; only its classification leaves this module.

import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { InputUnavailableError, UsageError } from '../errors.js';
import { encryptionConfigResources, etcdPathOf } from '../engines/encryption/etcd-keys.js';
import { CLASSIFY_PREFIX_BYTES, classifyStoredValue, type EncryptionProvider } from '../engines/encryption/stored-value.js';
import type { Item } from '../inventory/types.js';
import { shapeProblem } from '../inventory/validate.js';
import { readInputFile } from './files.js';
import { ETCD_VALUES_GAP, emptyLoadResult, type LoadResult } from './types.js';

export interface EtcdTls {
  /** PEM of the CA that signed etcd's serving certificate; without it the server is not verified. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM) for etcd's --client-cert-auth. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface EtcdResponseError {
  status: number;
  /** etcd's error message (never a stored value). */
  message: string;
}

/** A small client of the etcd v3 JSON gateway at one endpoint. */
export class EtcdGateway {
  readonly endpoint: URL;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(endpoint: string, tls: EtcdTls = {}, private readonly timeoutMs = 10_000) {
    this.endpoint = parseEndpoint(endpoint);
    this.agent =
      this.endpoint.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            maxSockets: 4,
            ...(tls.ca ? { ca: tls.ca } : { rejectUnauthorized: false }),
            ...(tls.cert ? { cert: tls.cert } : {}),
            ...(tls.key ? { key: tls.key } : {}),
          })
        : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  /** POSTs a JSON body to a gateway path; resolves to the parsed reply, or an etcd error. */
  post<T>(path: string, body: unknown): Promise<{ ok: true; body: T } | { ok: false; error: EtcdResponseError }> {
    const payload = JSON.stringify(body);
    const send = this.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        new URL(path, this.endpoint),
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(e));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status === 200) {
              try {
                resolve({ ok: true, body: JSON.parse(text) as T });
              } catch {
                reject(new Error(`${path} answered 200 with a body that is not JSON`));
              }
              return;
            }
            resolve({ ok: false, error: { status, message: errorMessageOf(text) } });
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Every key under `prefix` with the first bytes of its value, `batchSize` keys per request,
   * paging from the last key read. Only the classification-sized head of each value is decoded.
   */
  async *scanPrefix(prefix: string, batchSize: number): AsyncGenerator<{ key: string; head: Buffer }[]> {
    const rangeEnd = b64(prefixEnd(Buffer.from(prefix)));
    let from = Buffer.from(prefix);
    for (;;) {
      const reply = await this.post<RangeReply>('/v3/kv/range', { key: b64(from), range_end: rangeEnd, limit: batchSize });
      if (!reply.ok) throw new EtcdRequestError(this.endpoint.href, '/v3/kv/range', reply.error);
      const kvs = reply.body.kvs ?? [];
      const batch = kvs.map((kv) => ({ key: Buffer.from(kv.key, 'base64').toString('utf8'), head: decodeHead(kv.value ?? '') }));
      if (batch.length > 0) yield batch;
      if (!reply.body.more || kvs.length === 0) return;
      // The next page starts right after the last key: that key followed by a zero byte.
      from = Buffer.concat([Buffer.from(kvs[kvs.length - 1]!.key, 'base64'), Buffer.from([0])]);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

interface RangeReply {
  kvs?: { key: string; value?: string }[];
  more?: boolean;
  count?: string;
}

/** An etcd request that etcd refused (auth, permission, bad request). */
export class EtcdRequestError extends Error {
  override name = 'EtcdRequestError';
  constructor(readonly endpoint: string, readonly path: string, readonly error: EtcdResponseError) {
    super(`etcd at ${endpoint} refused ${path}: HTTP ${error.status}: ${error.message}`);
  }
}

function parseEndpoint(endpoint: string, flag = '--endpoints'): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`${flag}: "${endpoint}" is not a URL (e.g. https://127.0.0.1:2379)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${flag}: "${endpoint}" must be an https:// or http:// URL`);
  return url;
}

function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string; message?: string };
    return (body.message ?? body.error ?? '').slice(0, 300) || '(no message)';
  } catch {
    return text.slice(0, 300).replace(/\s+/g, ' ') || '(empty body)';
  }
}

const b64 = (bytes: Buffer): string => bytes.toString('base64');

/** The first bytes of a base64 value, without decoding the rest (4 chars hold 3 bytes). */
function decodeHead(value: string): Buffer {
  return Buffer.from(value.slice(0, Math.ceil(CLASSIFY_PREFIX_BYTES / 3) * 4), 'base64');
}

/** etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every key
}

// ---------------------------------------------------------------------------------------------
// verify-encryption

export interface StoredResource {
  key: string;
  resource: string;
  namespace?: string;
  name: string;
  encrypted: boolean;
  provider?: EncryptionProvider;
  providerVersion?: 'v1' | 'v2';
  keyName?: string;
  /** For plaintext: how it is serialised. For an unknown "k8s:enc:" prefix: that prefix. */
  format?: 'protobuf' | 'json' | 'other';
  unknownPrefix?: string;
}

export interface ResourceSummary {
  total: number;
  encrypted: number;
  plaintext: number;
  unknown: number;
}

export interface EncryptionVerification {
  endpoint: string;
  resources: StoredResource[];
  summary: {
    total: number;
    encrypted: number;
    plaintext: number;
    /** Values with a "k8s:enc:" prefix naming no known provider: neither judged encrypted nor plaintext. */
    unknown: number;
    /** Secrets stored in plaintext: each is a secrets-encryption finding. */
    plaintextSecrets: number;
    byResource: Record<string, ResourceSummary>;
    /** "aescbc:v1:key1" -> number of values encrypted with it. */
    byProvider: Record<string, number>;
  };
}

export interface VerifyOptions {
  /** Resources to read, named as EncryptionConfiguration names them (secrets, widgets.example.com). */
  resources: string[];
  /** kube-apiserver --etcd-prefix (default /registry). */
  etcdPrefix?: string;
  batchSize?: number;
}

export const DEFAULT_RESOURCES = ['secrets', 'configmaps'];

/** Reads every stored value of the resources and classifies each; connection errors throw InputUnavailableError. */
export async function verifyEncryption(gateway: EtcdGateway, options: VerifyOptions): Promise<EncryptionVerification> {
  const root = (options.etcdPrefix ?? '/registry').replace(/\/+$/, '');
  const result: EncryptionVerification = {
    endpoint: gateway.endpoint.href.replace(/\/$/, ''),
    resources: [],
    summary: { total: 0, encrypted: 0, plaintext: 0, unknown: 0, plaintextSecrets: 0, byResource: {}, byProvider: {} },
  };
  for (const resource of options.resources) {
    const path = etcdPathOf(resource);
    if (!path) throw new UsageError(`"${resource}" names no single resource to read from etcd`);
    const prefix = `${root}/${path}/`;
    const perResource: ResourceSummary = { total: 0, encrypted: 0, plaintext: 0, unknown: 0 };
    result.summary.byResource[resource] = perResource;
    for await (const batch of withConnectionErrors(gateway, gateway.scanPrefix(prefix, options.batchSize ?? 500))) {
      for (const { key, head } of batch) {
        const entry = describeKey(key, prefix, resource);
        const cls = classifyStoredValue(head);
        perResource.total++;
        result.summary.total++;
        if (cls.encrypted === true) {
          Object.assign(entry, { encrypted: true, provider: cls.provider, providerVersion: cls.providerVersion, keyName: cls.keyName });
          perResource.encrypted++;
          result.summary.encrypted++;
          const id = `${cls.provider}:${cls.providerVersion}:${cls.keyName}`;
          result.summary.byProvider[id] = (result.summary.byProvider[id] ?? 0) + 1;
        } else if (cls.encrypted === false) {
          Object.assign(entry, { encrypted: false, format: cls.format });
          perResource.plaintext++;
          result.summary.plaintext++;
          if (resource === 'secrets') result.summary.plaintextSecrets++;
        } else {
          Object.assign(entry, { encrypted: false, unknownPrefix: cls.prefix });
          perResource.unknown++;
          result.summary.unknown++;
        }
        result.resources.push(entry);
      }
    }
  }
  return result;
}

/** /registry/secrets/<ns>/<name> is namespaced; /registry/<resource>/<name> is cluster-scoped. */
function describeKey(key: string, prefix: string, resource: string): StoredResource {
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash >= 0
    ? { key, resource, namespace: rest.slice(0, slash), name: rest.slice(slash + 1), encrypted: false }
    : { key, resource, name: rest, encrypted: false };
}

async function* withConnectionErrors<T>(gateway: EtcdGateway, source: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (e) {
    if (e instanceof EtcdRequestError) throw new InputUnavailableError(e.message);
    throw new InputUnavailableError(connectionErrorMessage(gateway.endpoint.href, e));
  }
}

// ---------------------------------------------------------------------------------------------
// probe

export interface ProbeResult {
  endpoint: string;
  reachable: boolean;
  tls: boolean;
  clientCertRequired: boolean;
  readableWithoutClientCert: boolean;
  /** Why it was unreachable, or what etcd answered when it refused to read. */
  detail?: string;
}

/**
 * Connects the way an attacker on the network would: no client certificate. Reads one key name
 * (count_only: no value) under the Kubernetes prefix to tell whether etcd serves it.
 */
export async function probeEtcd(endpoint: string, tls: Pick<EtcdTls, 'ca'> = {}, timeoutMs = 10_000): Promise<ProbeResult> {
  const gateway = new EtcdGateway(endpoint, tls, timeoutMs);
  const result: ProbeResult = {
    endpoint: gateway.endpoint.href.replace(/\/$/, ''),
    reachable: false,
    tls: gateway.endpoint.protocol === 'https:',
    clientCertRequired: false,
    readableWithoutClientCert: false,
  };
  try {
    const key = Buffer.from('/');
    const reply = await gateway.post<RangeReply>('/v3/kv/range', { key: b64(key), range_end: b64(Buffer.from([0])), count_only: true });
    result.reachable = true;
    if (reply.ok) result.readableWithoutClientCert = true;
    else result.detail = `etcd refused the read: HTTP ${reply.error.status}: ${reply.error.message}`;
  } catch (e) {
    if (isClientCertRejection(e)) {
      result.reachable = true;
      result.clientCertRequired = true;
      result.detail = 'etcd closed the TLS connection of a client without a certificate';
    } else if (isTlsVerificationError(e)) {
      throw new InputUnavailableError(connectionErrorMessage(result.endpoint, e));
    } else {
      result.detail = connectionErrorMessage(result.endpoint, e);
    }
  } finally {
    gateway.close();
  }
  return result;
}

/** TLS 1.3 "certificate required" (116), TLS 1.2 "bad certificate" / "handshake failure". */
function isClientCertRejection(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  const text = `${err.code ?? ''} ${err.message ?? ''}`;
  return /CERTIFICATE_REQUIRED|alert number 116|ALERT_BAD_CERTIFICATE|alert number 42|ALERT_HANDSHAKE_FAILURE/i.test(text);
}

function isTlsVerificationError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_WRONG_VERSION_NUMBER/.test(code);
}

/** A clear sentence for a failed connection: refused, timed out, TLS verification, rejected certificate. */
export function connectionErrorMessage(endpoint: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return `cannot connect to etcd at ${endpoint}: connection refused (is etcd listening there?)`;
  if (code === 'ETIMEDOUT') return `cannot connect to etcd at ${endpoint}: ${err.message}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot connect to etcd at ${endpoint}: host not found`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return `TLS to etcd at ${endpoint} failed: the endpoint does not speak TLS (try http://)`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS to etcd at ${endpoint} failed: its certificate does not name this host (${err.message})`;
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/.test(code)) {
    return `TLS to etcd at ${endpoint} failed: its certificate is not signed by --cacert (${code})`;
  }
  if (code === 'CERT_HAS_EXPIRED') return `TLS to etcd at ${endpoint} failed: its certificate has expired`;
  if (isClientCertRejection(e)) return `TLS to etcd at ${endpoint} failed: etcd rejected the client certificate (check --cert/--key and that etcd's --trusted-ca-file signed them)`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `etcd at ${endpoint} closed the connection (${code}); a TLS endpoint given as http://, or a rejected client certificate?`;
  return `cannot talk to etcd at ${endpoint}: ${code ? `${code}: ` : ''}${err.message ?? String(e)}`;
}

// ---------------------------------------------------------------------------------------------
// client flags, shared by `kubeward etcd` (--endpoints ...) and `kubeward scan` (--etcd-endpoints ...)

/** Keys per range request: bounds the memory one reply takes (Secrets may hold up to 1 MiB each). */
export const DEFAULT_BATCH_SIZE = 200;

export interface EtcdClientOptions {
  endpoints: string[];
  tls: EtcdTls;
}

/** The names the flags have in a command: "" for kubeward etcd, "etcd-" for kubeward scan. */
export type EtcdFlagPrefix = '' | 'etcd-';

/**
 * Validates the client flags and reads their files. `reading` is for commands that read values:
 * they need --cacert over https (an unverified server could answer anything, "encrypted"
 * included) and a client certificate and key given together.
 */
export async function etcdClientFromFlags(values: Record<string, unknown>, prefix: EtcdFlagPrefix, reading: boolean): Promise<EtcdClientOptions> {
  const flag = (name: string): string => `--${prefix}${name}`;
  const value = (name: string): string | undefined => values[`${prefix}${name}`] as string | undefined;
  const list = value('endpoints');
  if (!list) throw new UsageError(`${flag('endpoints')} is required`);
  const endpoints = list.split(',').map((e) => e.trim()).filter(Boolean);
  for (const endpoint of endpoints) parseEndpoint(endpoint, flag('endpoints'));
  const cacert = value('cacert');
  const ca = cacert ? await readEtcdInput(flag('cacert'), cacert) : undefined;
  if (!reading) return { endpoints, tls: ca ? { ca } : {} };
  if (!value('cert') !== !value('key')) throw new UsageError(`${flag('cert')} and ${flag('key')} go together`);
  if (!ca && endpoints.some((e) => e.startsWith('https:'))) {
    throw new UsageError(`${flag('cacert')} is required: the CA that signed etcd's serving certificate (e.g. /etc/kubernetes/pki/etcd/ca.crt)`);
  }
  const cert = value('cert') ? await readEtcdInput(flag('cert'), value('cert')!) : undefined;
  const key = value('key') ? await readEtcdInput(flag('key'), value('key')!) : undefined;
  return { endpoints, tls: { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) } };
}

/** Certificates, keys and encryption configs are small; a larger file is not one. */
const MAX_ETCD_INPUT_BYTES = 16 * 1024 * 1024;

export function readEtcdInput(flag: string, path: string): Promise<Buffer> {
  return readInputFile(path, MAX_ETCD_INPUT_BYTES, (reason) => new InputUnavailableError(`${flag} ${path}: ${reason}`));
}

/** Every etcd member holds the same keys: the first endpoint that answers is read. */
export async function firstAnswering<T>(client: EtcdClientOptions, work: (g: EtcdGateway) => Promise<T>): Promise<T> {
  const failures: string[] = [];
  for (const endpoint of client.endpoints) {
    const gateway = new EtcdGateway(endpoint, client.tls);
    try {
      return await work(gateway);
    } catch (e) {
      if (!(e instanceof InputUnavailableError)) throw e;
      failures.push(e.message);
    } finally {
      gateway.close();
    }
  }
  throw new InputUnavailableError(failures.join('; '));
}

// ---------------------------------------------------------------------------------------------
// etcd as a source of `kubeward scan`

export const ETCD_SCAN_FLAGS = {
  'etcd-endpoints': { type: 'string' },
  'etcd-cacert': { type: 'string' },
  'etcd-cert': { type: 'string' },
  'etcd-key': { type: 'string' },
} as const;

export const ETCD_SCAN_USAGE = `  --etcd-endpoints URL[,URL]  read how the values of Secrets, ConfigMaps and the resources the
                              input's EncryptionConfiguration names are stored in etcd
                              (encrypted or plaintext; values are never printed)
  --etcd-cacert FILE          CA that signed etcd's serving certificate (required over https)
  --etcd-cert FILE, --etcd-key FILE  client certificate and key (e.g. apiserver-etcd-client.crt)
`;

/** Secrets, ConfigMaps, and every resource an EncryptionConfiguration among the items names. */
export function etcdResourcesFor(items: readonly Item[]): string[] {
  const resources = [...DEFAULT_RESOURCES];
  for (const item of items) {
    // A malformed one is reported when the inventory is built; here it names nothing.
    if (item.ref.kind !== 'EncryptionConfiguration' || shapeProblem(item.object, item.ref.kind)) continue;
    // Wildcards ("*.apps") name no single etcd path; the resources they cover are not listed.
    for (const r of encryptionConfigResources(item.object).resources) if (!resources.includes(r) && etcdPathOf(r)) resources.push(r);
  }
  return resources;
}

/**
 * Reads the classification of every stored value of the resources (never a value) as a scan
 * source. An etcd that cannot be read is an input error naming the endpoints, and a gap.
 */
export async function loadEtcdValues(client: EtcdClientOptions, resources: string[], batchSize = DEFAULT_BATCH_SIZE): Promise<LoadResult> {
  const result = emptyLoadResult();
  try {
    const verification = await firstAnswering(client, (gateway) => verifyEncryption(gateway, { resources, batchSize }));
    result.storedValues = verification.resources.map((r) => ({ ...r, endpoint: verification.endpoint }));
    result.sources.push({ type: 'etcd', name: verification.endpoint, objects: verification.summary.total });
  } catch (e) {
    if (!(e instanceof InputUnavailableError)) throw e;
    result.errors.push({ source: `etcd ${client.endpoints.join(',')}`, message: e.message });
    result.gaps.push({ scope: ETCD_VALUES_GAP, reason: e.message });
  }
  return result;
}
