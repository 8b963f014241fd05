// The webhook's HTTPS server: POST /validate takes an AdmissionReview v1 and answers it with the
// Decider's decision; /healthz, /readyz (ready after the state's first full sync) and /metrics
// (Prometheus text). Certificate and key are reloaded when their files change, without dropping
// connections; bodies over 3 MB get 413, bad JSON 400; a request not read and answered within the
// deadline (below the API server's timeoutSeconds) is answered by then; close() drains.

import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdmissionConfig } from './config.js';
import type { AdmissionRequest, Decider, Decision } from './decisions.js';
import type { ClusterState } from './state.js';

/** kube-apiserver's own request body limit. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface ServerOptions {
  certFile: string;
  keyFile: string;
  port: number;
  host?: string;
  config: AdmissionConfig;
  decider: Decider;
  state: ClusterState;
  /** How often the certificate files are polled for a change (default 1000 ms). */
  certPollMs?: number;
  log?: (message: string) => void;
}

export interface WebhookServer {
  port: number;
  /** Stops accepting, answers what is in flight, closes idle connections; resolves when done. */
  close(): Promise<void>;
  /** Certificate reloads that succeeded (metrics, tests). */
  reloads(): number;
}

class Metrics {
  requests = new Map<string, number>();
  decisions = new Map<string, number>();
  buckets = LATENCY_BUCKETS.map(() => 0);
  count = 0;
  sum = 0;
  certReloads = 0;

  request(code: number): void {
    this.requests.set(String(code), (this.requests.get(String(code)) ?? 0) + 1);
  }

  decision(d: Decision): void {
    const outcomes = d.verdicts.length === 0 ? [`none\u0000${d.allowed ? 'allowed' : 'denied'}`] : d.verdicts.map((v) => `${v.check}\u0000${v.action}`);
    for (const key of outcomes) this.decisions.set(key, (this.decisions.get(key) ?? 0) + 1);
  }

  latency(seconds: number): void {
    this.count++;
    this.sum += seconds;
    LATENCY_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.buckets[i]!++;
    });
  }

  text(state: ClusterState): string {
    const status = state.status();
    const lines = [
      '# HELP kubeward_webhook_requests_total Requests answered, by HTTP status.',
      '# TYPE kubeward_webhook_requests_total counter',
      ...[...this.requests].map(([code, n]) => `kubeward_webhook_requests_total{code="${code}"} ${n}`),
      '# HELP kubeward_webhook_decisions_total Verdicts, by check and outcome (enforce, warn, audit, excepted; none when no check failed).',
      '# TYPE kubeward_webhook_decisions_total counter',
      ...[...this.decisions].map(([key, n]) => {
        const [check, outcome] = key.split('\u0000');
        return `kubeward_webhook_decisions_total{check="${check}",outcome="${outcome}"} ${n}`;
      }),
      '# HELP kubeward_webhook_request_duration_seconds Time from the request to the answer of /validate.',
      '# TYPE kubeward_webhook_request_duration_seconds histogram',
      ...LATENCY_BUCKETS.map((b, i) => `kubeward_webhook_request_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`),
      `kubeward_webhook_request_duration_seconds_bucket{le="+Inf"} ${this.count}`,
      `kubeward_webhook_request_duration_seconds_sum ${this.sum}`,
      `kubeward_webhook_request_duration_seconds_count ${this.count}`,
      '# HELP kubeward_webhook_state_age_seconds Seconds since the cluster state was last known current (-1: never synced).',
      '# TYPE kubeward_webhook_state_age_seconds gauge',
      `kubeward_webhook_state_age_seconds ${status.ageSeconds ?? -1}`,
      '# HELP kubeward_webhook_state_objects Objects held in the cluster state.',
      '# TYPE kubeward_webhook_state_objects gauge',
      `kubeward_webhook_state_objects ${status.objects}`,
      '# HELP kubeward_webhook_certificate_reloads_total Serving certificate reloads.',
      '# TYPE kubeward_webhook_certificate_reloads_total counter',
      `kubeward_webhook_certificate_reloads_total ${this.certReloads}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** The deadline for one answer: a second under the API server's timeout, at least half of it. */
export function deadlineMs(config: AdmissionConfig): number {
  return Math.max(config.timeoutSeconds * 500, config.timeoutSeconds * 1000 - 1000);
}

export async function startWebhookServer(options: ServerOptions): Promise<WebhookServer> {
  const { config, decider, state } = options;
  const log = options.log ?? (() => {});
  const metrics = new Metrics();
  const deadline = deadlineMs(config);
  const readPair = () => ({ cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) });
  let draining = false;

  const server = https.createServer({ ...readPair(), requestTimeout: deadline, headersTimeout: Math.min(deadline, 60_000) });
  // Keep-alive connections from the API server are reused; a lost one costs a TLS handshake.
  server.keepAliveTimeout = 60_000;

  // cert-manager and kubelet swap the files (a symlink flip): polling the paths sees both.
  let pending: NodeJS.Timeout | undefined;
  const reload = () => {
    clearTimeout(pending);
    // Both files change one after the other: wait for the pair to settle, then load it.
    pending = setTimeout(() => {
      try {
        server.setSecureContext(readPair());
        metrics.certReloads++;
        log(`reloaded the serving certificate from ${options.certFile}`);
      } catch (e) {
        log(`kept the current certificate: cannot load ${options.certFile} and ${options.keyFile}: ${(e as Error).message}`);
      }
    }, 100);
  };
  const interval = options.certPollMs ?? 1000;
  watchFile(options.certFile, { interval, persistent: false }, reload);
  watchFile(options.keyFile, { interval, persistent: false }, reload);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return text(res, 200, 'ok\n');
    if (req.method === 'GET' && path === '/readyz') {
      if (draining) return text(res, 503, 'shutting down\n');
      return state.status().synced ? text(res, 200, 'ok\n') : text(res, 503, 'cluster state not synced yet\n');
    }
    if (req.method === 'GET' && path === '/metrics') return text(res, 200, metrics.text(state), 'text/plain; version=0.0.4');
    if (path !== '/validate') return text(res, 404, 'not found: POST AdmissionReview to /validate\n');
    if (req.method !== 'POST') return text(res, 405, 'POST an AdmissionReview to /validate\n');
    validate(req, res);
  });

  function text(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void {
    metrics.request(code);
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  function validate(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuseTooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let answered = false;
    // A client that has not sent its whole body by the deadline is answered and disconnected.
    const timer = setTimeout(() => {
      if (answered) return;
      answered = true;
      res.setHeader('Connection', 'close');
      text(res, 408, `request body not received within ${deadline} ms\n`);
      req.socket.destroySoon();
    }, deadline);
    req.on('data', (chunk: Buffer) => {
      if (answered) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        answered = true;
        clearTimeout(timer);
        return refuseTooLarge(req, res);
      }
      chunks.push(chunk);
    });
    req.on('error', () => clearTimeout(timer));
    req.on('end', () => {
      clearTimeout(timer);
      if (answered) return;
      answered = true;
      answer(Buffer.concat(chunks), res);
      metrics.latency(Number(process.hrtime.bigint() - started) / 1e9);
    });
  }

  function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Connection', 'close');
    text(res, 413, `request body too large: the limit is ${MAX_BODY_BYTES} bytes (3 MB, as kube-apiserver)\n`);
    req.resume();
  }

  function answer(body: Buffer, res: ServerResponse): void {
    let review: { apiVersion?: unknown; kind?: unknown; request?: AdmissionRequest };
    try {
      review = JSON.parse(body.toString('utf8')) as typeof review;
    } catch (e) {
      return text(res, 400, `malformed AdmissionReview: ${(e as Error).message}\n`);
    }
    if (typeof review !== 'object' || review === null || review.kind !== 'AdmissionReview' || review.apiVersion !== 'admission.k8s.io/v1') {
      return text(res, 400, 'expected an AdmissionReview of apiVersion admission.k8s.io/v1\n');
    }
    const request = review.request;
    if (typeof request !== 'object' || request === null || typeof request.uid !== 'string' || request.uid === '') {
      return text(res, 400, 'the AdmissionReview has no request.uid\n');
    }
    let decision: Decision;
    try {
      decision = decider.decide(request);
    } catch (e) {
      // The API server applies the webhook's failurePolicy to a 500.
      log(`internal error deciding ${request.uid}: ${(e as Error).message}`);
      return text(res, 500, `internal error: ${(e as Error).message}\n`);
    }
    metrics.decision(decision);
    const response: Record<string, unknown> = { uid: request.uid, allowed: decision.allowed };
    if (!decision.allowed) response.status = { code: 403, reason: 'Forbidden', message: decision.message };
    if (decision.warnings.length > 0) response.warnings = decision.warnings;
    if (Object.keys(decision.auditAnnotations).length > 0) response.auditAnnotations = decision.auditAnnotations;
    text(res, 200, JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }), 'application/json');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log(`server error: ${e.message}`));

  return {
    port: (server.address() as AddressInfo).port,
    reloads: () => metrics.certReloads,
    close() {
      draining = true;
      unwatchFile(options.certFile);
      unwatchFile(options.keyFile);
      clearTimeout(pending);
      return new Promise<void>((resolve) => {
        // close() waits for in-flight requests; idle keep-alive connections are closed now and
        // busy ones after their answer (Connection: close).
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
