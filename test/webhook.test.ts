// `kubeward webhook serve` as a real process over real HTTPS, with certificates made by openssl:
// AdmissionReview answers, the operational endpoints, and the faults (malformed and oversized
// bodies, a slow client, a certificate rotated under load, SIGTERM under load).

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { defaultConfig, parseConfig } from '../src/admission/config.js';
import { Decider } from '../src/admission/decisions.js';
import { startWebhookServer, MAX_BODY_BYTES } from '../src/admission/server.js';
import { CAROL_EDIT_YAML, DEPLOYER_ADMIN_YAML, DEPLOYER_YAML, NAMESPACES_YAML, objectsFromYaml, requestFor, stateFromYaml } from '../src/admission/testing.js';
import { CertFactory, type GeneratedCert } from '../src/testing/certs.js';
import { REPO_ROOT } from '../src/testing/index.js';
import type { K8sObject } from '../src/inventory/types.js';

const STATE = [NAMESPACES_YAML, DEPLOYER_YAML, DEPLOYER_ADMIN_YAML].join('---\n');

const PRIVILEGED = objectsFromYaml(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: app, image: shop/app:1, securityContext: {privileged: true}}]}`)[0]!;
const ESCALATING = objectsFromYaml(CAROL_EDIT_YAML)[0]!;

const review = (object: K8sObject, options: Parameters<typeof requestFor>[1] = {}) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: requestFor(object, options) });

interface Answer { status: number; body: string; json?: { response: { uid: string; allowed: boolean; status?: { code: number; message: string }; warnings?: string[]; auditAnnotations?: Record<string, string> } }; serial?: string }

function send(port: number, ca: string | string[], body: string | Buffer, options: { path?: string; method?: string; agent?: https.Agent; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: options.path ?? '/validate', method: options.method ?? 'POST', ca, servername: 'localhost', agent: options.agent ?? false, headers: { 'Content-Type': 'application/json', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      // Read now: a keep-alive socket goes back to its agent once the body has been read.
      const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answer: Answer = { status: res.statusCode ?? 0, body: text, serial };
        if (res.headers['content-type'] === 'application/json') answer.json = JSON.parse(text) as Answer['json'];
        resolve(answer);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let certs: CertFactory;
let ca: GeneratedCert;
let serving: GeneratedCert;
let dir: string;

before(async () => {
  certs = await CertFactory.create();
  ca = await certs.ca('webhook-ca');
  serving = await certs.leaf(ca, 'kubeward-webhook.guard.svc', { usage: ['serverAuth'] });
  dir = mkdtempSync(join(tmpdir(), 'kubeward-webhook-'));
  writeFileSync(join(dir, 'state.yaml'), STATE);
  writeFileSync(join(dir, 'config.yaml'), 'apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\ntimeoutSeconds: 2\n');
});

after(async () => {
  await certs.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `kubeward webhook serve` on a free port; resolves with the port once it serves. */
function serve(extra: string[] = []): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), 'webhook', 'serve', '--cert', serving.certPath, '--key', serving.keyPath, '--port', '0', '--config', join(dir, 'config.yaml'), '--state', join(dir, 'state.yaml'), ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const port = /serving https:\/\/0\.0\.0\.0:(\d+)\/validate/.exec(stderr)?.[1];
      if (port) resolve({ child, port: Number(port), stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('kubeward webhook serve (a real process)', () => {
  let server: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    server = await serve();
  });
  after(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });

  it('is healthy and ready once the --state files are read', async () => {
    assert.equal((await send(server.port, ca.pem, '', { path: '/healthz', method: 'GET' })).status, 200);
    assert.equal((await send(server.port, ca.pem, '', { path: '/readyz', method: 'GET' })).status, 200);
  });

  it('denies a privileged pod: uid echoed, 403 with the check and the fix, audit annotations', async () => {
    const body = review(PRIVILEGED);
    const answer = await send(server.port, ca.pem, JSON.stringify(body));
    assert.equal(answer.status, 200);
    const r = answer.json!.response;
    assert.equal(r.uid, body.request.uid);
    assert.equal(r.allowed, false);
    assert.equal(r.status!.code, 403);
    assert.match(r.status!.message, /\[pod-violates-baseline-pod-security\] .*Fix: /);
    assert.match(r.auditAnnotations!.checks!, /pod-violates-baseline-pod-security=enforce/);
    // dryRun: the same answer, nothing else happens (the webhook has no side effects).
    const dry = await send(server.port, ca.pem, JSON.stringify(review(PRIVILEGED, { dryRun: true })));
    assert.equal(dry.json!.response.allowed, false);
  });

  it('denies a RoleBinding that opens a path to cluster-admin on the --state snapshot', async () => {
    const answer = await send(server.port, ca.pem, JSON.stringify(review(ESCALATING)));
    assert.equal(answer.json!.response.allowed, false);
    assert.match(answer.json!.response.status!.message, /rbac-escalation-path\] gives cluster-admin .*User carol -> .*ServiceAccount ops\/deployer/);
  });

  it('answers malformed JSON with 400 and a message, and keeps serving', async () => {
    const bad = await send(server.port, ca.pem, '{"apiVersion": "admission.k8s.io/v1", "kind": ');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^malformed AdmissionReview: /);
    const notReview = await send(server.port, ca.pem, '{"kind":"Pod"}');
    assert.equal(notReview.status, 400);
    assert.match(notReview.body, /expected an AdmissionReview of apiVersion admission.k8s.io\/v1/);
    const noUid = await send(server.port, ca.pem, JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }));
    assert.equal(noUid.status, 400);
    assert.equal((await send(server.port, ca.pem, JSON.stringify(review(PRIVILEGED)))).status, 200);
  });

  it('refuses a body over 3 MB with 413, declared or streamed', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const declared = await send(server.port, ca.pem, big);
    assert.equal(declared.status, 413);
    assert.match(declared.body, /request body too large: the limit is 3145728 bytes/);
    const streamed = await send(server.port, ca.pem, big, { headers: { 'Transfer-Encoding': 'chunked' } });
    assert.equal(streamed.status, 413);
    assert.equal((await send(server.port, ca.pem, JSON.stringify(review(PRIVILEGED)))).status, 200);
  });

  it('answers a slow client by the deadline (below timeoutSeconds) and serves others meanwhile', async () => {
    const started = Date.now();
    const slow = new Promise<{ status: number; ms: number }>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: server.port, path: '/validate', method: 'POST', ca: ca.pem, servername: 'localhost', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': '5000' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
      });
      req.on('error', reject);
      req.write('{"apiVersion": "admission.k8s.io/v1",');
    });
    const meanwhile = await send(server.port, ca.pem, JSON.stringify(review(PRIVILEGED)));
    assert.equal(meanwhile.status, 200);
    const answer = await slow;
    assert.equal(answer.status, 408);
    assert.ok(answer.ms < 2000, `answered after ${answer.ms} ms; the API server gives up at 2000`);
  });

  it('exports Prometheus metrics: requests, decisions by check and outcome, latency, state age', async () => {
    const metrics = (await send(server.port, ca.pem, '', { path: '/metrics', method: 'GET' })).body;
    assert.match(metrics, /^kubeward_webhook_requests_total\{code="400"\} [1-9]/m);
    assert.match(metrics, /^kubeward_webhook_requests_total\{code="413"\} 2$/m);
    assert.match(metrics, /^kubeward_webhook_decisions_total\{check="rbac-escalation-path",outcome="enforce"\} 1$/m);
    assert.match(metrics, /^kubeward_webhook_request_duration_seconds_count [1-9]/m);
    assert.match(metrics, /^kubeward_webhook_state_age_seconds \d/m);
  });

  it('drains on SIGTERM under load: every request in flight is answered, then it exits', async () => {
    const inFlight = 40;
    const body = Buffer.from(JSON.stringify(review(PRIVILEGED)));
    const half = body.length >> 1;
    const requests: { req: ReturnType<typeof https.request>; answer: Promise<number> }[] = [];
    let sent = 0;
    const allStarted = new Promise<void>((resolve) => {
      for (let i = 0; i < inFlight; i++) {
        let req!: ReturnType<typeof https.request>;
        const answer = new Promise<number>((ok, fail) => {
          req = https.request({ host: '127.0.0.1', port: server.port, path: '/validate', method: 'POST', ca: ca.pem, servername: 'localhost', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } }, (res) => {
            res.resume();
            res.on('end', () => ok(res.statusCode ?? 0));
          });
          req.on('error', fail);
        });
        // Half a body now: the server holds the request open until the rest comes.
        req.write(body.subarray(0, half), () => {
          if (++sent === inFlight) resolve();
        });
        requests.push({ req, answer });
      }
    });
    await allStarted;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = exited(server.child);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const r of requests) r.req.end(body.subarray(half));
    const statuses = await Promise.all(requests.map((r) => r.answer));
    assert.deepEqual(statuses, Array(inFlight).fill(200));
    assert.equal(await exit, 0);
    assert.match(server.stderr(), /SIGTERM: draining/);
  });
});

describe('certificate rotation under load (in process)', () => {
  it('serves the new certificate to new connections without dropping any request or open connection', async () => {
    const caB = await certs.ca('webhook-ca-next');
    const next = await certs.leaf(caB, 'kubeward-webhook.guard.svc', { usage: ['serverAuth'] });
    const certFile = join(dir, 'tls.crt');
    const keyFile = join(dir, 'tls.key');
    copyFileSync(serving.certPath, certFile);
    copyFileSync(serving.keyPath, keyFile);
    const config = defaultConfig();
    const state = stateFromYaml(STATE);
    const server = await startWebhookServer({ certFile, keyFile, port: 0, host: '127.0.0.1', config, decider: new Decider(config, state), state, certPollMs: 50 });
    const trust = [ca.pem, caB.pem];
    const keepAlive = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = JSON.stringify(review(PRIVILEGED));
      const first = await send(server.port, trust, body, { agent: keepAlive });
      assert.equal(first.serial, serving.x509.serialNumber);
      let stop = false;
      const serials = new Set<string>();
      let answered = 0;
      const load = (async () => {
        while (!stop) {
          const a = await send(server.port, trust, body);
          assert.equal(a.status, 200);
          serials.add(a.serial!);
          answered++;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 150));
      // As cert-manager: the key and the certificate are replaced one after the other.
      copyFileSync(next.keyPath, keyFile);
      copyFileSync(next.certPath, certFile);
      const deadline = Date.now() + 5000;
      while (!serials.has(next.x509.serialNumber) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      stop = true;
      await load;
      assert.ok(serials.has(next.x509.serialNumber), 'the new certificate was never served');
      assert.ok(answered > 5);
      assert.ok(server.reloads() >= 1);
      // The connection opened before the rotation is still alive and still answers.
      const again = await send(server.port, trust, body, { agent: keepAlive });
      assert.equal(again.status, 200);
      assert.equal(again.serial, serving.x509.serialNumber);
    } finally {
      keepAlive.destroy();
      await server.close();
    }
  });

  it('refuses to start on a missing certificate with a clear error, not a stack trace', async () => {
    const { kubeward } = await import('../src/testing/cli.js');
    const r = kubeward(['webhook', 'serve', '--cert', join(dir, 'nope.crt'), '--key', serving.keyPath, '--state', join(dir, 'state.yaml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--cert .*nope\.crt: /);
    const config = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\n', 'c.yaml');
    assert.equal(config.timeoutSeconds, 10);
    const noState = kubeward(['webhook', 'serve', '--cert', serving.certPath, '--key', serving.keyPath]);
    assert.equal(noState.status, 2);
    assert.match(noState.stderr, /give one state source/);
  });
});
