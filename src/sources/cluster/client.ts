// Requests to the API server (GETs, and the report writer's applies and deletes) with the
// behaviour a scan of a large cluster needs: a bound on requests in flight, a timeout per
// request, retries with backoff on 429 (honouring Retry-After), 5xx and dropped connections, and
// one fresh-credentials retry on 401.
//
// Why raw requests rather than client-node's generated API classes: those deserialize into
// model classes (renamed fields, Date objects, unknown fields dropped), cannot ask for
// PartialObjectMetadataList, and buffer whole lists; a scan needs the objects exactly as the
// API returns them, so a snapshot scans identically.

import http from 'node:http';
import https from 'node:https';
import type { Connection } from './connection.js';

export interface ClientOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Per-request deadline, from sending to the last byte (default 60 s). */
  timeoutMs?: number;
  /** Attempts per request, the first included (default 5). */
  attempts?: number;
  /** First backoff delay; doubled per retry with jitter, capped at maxDelayMs (default 500 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** A request that failed for good, after retries. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** The request's URL without paging parameters, as errors and gaps name it. */
    readonly url: string,
    message: string,
    /** HTTP status, absent when there was no response (timeout, connection refused). */
    readonly status?: number,
    /** The Status reason (Forbidden, Expired, NotFound...). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface Write {
  method: 'PATCH' | 'DELETE';
  body?: { contentType: string; data: string };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export const DEFAULT_CONCURRENCY = 8;
const DEFAULTS = { concurrency: DEFAULT_CONCURRENCY, timeoutMs: 60_000, attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Longest Retry-After kubeward waits; longer asks are capped (the attempt bound still holds). */
const MAX_RETRY_AFTER_MS = 60_000;

export class ApiClient {
  /** HTTP requests sent, retries included. */
  requests = 0;
  private readonly options: Required<ClientOptions>;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly connection: Connection, options: ClientOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  url(path: string): string {
    return `${this.connection.server}${path}`;
  }

  /** The request as errors name it: its URL without the paging parameters. */
  requestName(path: string): string {
    const url = new URL(this.url(path));
    url.searchParams.delete('limit');
    url.searchParams.delete('continue');
    return decodeURIComponent(url.toString());
  }

  /** GETs a path and parses the JSON body; throws ApiError when it fails after retries. */
  async getJson(path: string, accept = 'application/json'): Promise<unknown> {
    return this.call(path, accept);
  }

  /**
   * A write, retried as GETs are: the only writes kubeward makes (server-side apply, delete by
   * name) have the same outcome when repeated, except that a repeated delete may answer 404.
   */
  async writeJson(method: 'PATCH' | 'DELETE', path: string, body?: { contentType: string; data: string }): Promise<unknown> {
    return this.call(path, 'application/json', { method, ...(body ? { body } : {}) });
  }

  private async call(path: string, accept: string, write?: Write): Promise<unknown> {
    const url = this.url(path);
    const request = this.requestName(path);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let response: RawResponse;
      try {
        response = await this.limited(() => this.send(url, accept, write));
      } catch (e) {
        // No response: refused, reset, dropped mid-body, timed out: worth another attempt. A
        // certificate that does not verify will not verify next time either.
        if (attempt < this.options.attempts && !isTlsVerificationError(e)) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new ApiError(request, `${(e as Error).message} (after ${attempt} attempts)`);
      }
      const { status } = response;
      if (status >= 200 && status < 300) {
        try {
          return JSON.parse(response.body.toString('utf8'));
        } catch {
          throw new ApiError(request, 'response is not JSON', status);
        }
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        this.connection.refreshAuth();
        continue;
      }
      const retryable = status === 429 || (status >= 500 && status !== 501);
      if (retryable && attempt < this.options.attempts) {
        // 429 (and a 503 during a rollout) may say when to come back.
        await sleep(retryAfterMs(response.headers['retry-after']) ?? this.backoff(attempt));
        continue;
      }
      const failure = statusOf(response.body);
      const message = `${status} ${failure.reason ?? http.STATUS_CODES[status] ?? ''}: ${failure.message ?? 'request failed'}${retryable ? ` (after ${attempt} attempts)` : ''}`;
      throw new ApiError(request, message, status, failure.reason);
    }
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return exp / 2 + Math.random() * (exp / 2);
  }

  private async limited<T>(run: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      return await run();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private async send(url: string, accept: string, write?: Write): Promise<RawResponse> {
    const headers: Record<string, string | number> = { ...(await this.connection.authHeaders()), Accept: accept, 'User-Agent': 'kubeward' };
    if (write?.body) {
      headers['Content-Type'] = write.body.contentType;
      headers['Content-Length'] = Buffer.byteLength(write.body.data);
    }
    this.requests++;
    const request = url.startsWith('https:') ? https.request : http.request;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = request(url, { method: write?.method ?? 'GET', headers, agent: this.connection.agent });
      const timer = setTimeout(() => req.destroy(new Error(`no complete response within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        res.on('aborted', () => {
          clearTimeout(timer);
          reject(new Error('connection dropped before the response was complete'));
        });
        res.on('end', () => {
          clearTimeout(timer);
          if (!res.complete) reject(new Error('connection dropped before the response was complete'));
          else resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.end(write?.body?.data);
    });
  }
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** The reason and message of a Status body, when the body is one. */
function statusOf(body: Buffer): { reason?: string; message?: string } {
  try {
    const status = JSON.parse(body.toString('utf8')) as { kind?: string; reason?: string; message?: string };
    if (status.kind === 'Status') return { ...(status.reason ? { reason: status.reason } : {}), ...(status.message ? { message: status.message } : {}) };
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  const text = body.toString('utf8').trim().split('\n')[0]?.slice(0, 200);
  return text ? { message: text } : {};
}

function isTlsVerificationError(e: unknown): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(String((e as NodeJS.ErrnoException).code ?? ''));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
