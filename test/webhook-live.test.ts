// The webhook's state from a live API server (the in-repo test API server over HTTPS) by
// list+watch through @kubernetes/client-node: first sync turns /readyz ready, watch events
// change decisions, and when the watches drop and the resourceVersion is compacted meanwhile
// (410 Gone), the source relists and catches up.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultConfig } from '../src/admission/config.js';
import { Decider } from '../src/admission/decisions.js';
import { LiveStateSource } from '../src/admission/live.js';
import { startWebhookServer } from '../src/admission/server.js';
import { ClusterState } from '../src/admission/state.js';
import { CAROL_EDIT_YAML, DEPLOYER_ADMIN_YAML, DEPLOYER_YAML, objectsFromYaml, requestFor } from '../src/admission/testing.js';
import { startTestApiServer, type TestApiServer } from '../src/testing/apiserver/index.js';
import { CertFactory } from '../src/testing/certs.js';
import { REPO_ROOT } from '../src/testing/index.js';

const CLUSTER = objectsFromYaml(`apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
${DEPLOYER_YAML}`);

const ADMIN_BINDING = objectsFromYaml(DEPLOYER_ADMIN_YAML)[0]!;

const EDIT_FOR_CAROL = objectsFromYaml(CAROL_EDIT_YAML)[0]!;

async function until(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function readyz(port: number, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path: '/readyz', ca, servername: 'localhost', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('webhook state by list+watch', () => {
  let api: TestApiServer;
  let dir: string;
  let kubeconfig: string;
  let certs: CertFactory;

  before(async () => {
    // The first list of pods is slow: /readyz must stay 503 until every kind is listed.
    api = await startTestApiServer({ objects: CLUSTER, faults: [{ match: /\/api\/v1\/pods\?limit/, mode: 'slow', delayMs: 600, times: 1 }] });
    dir = mkdtempSync(join(tmpdir(), 'kubeward-live-'));
    kubeconfig = join(dir, 'kubeconfig');
    await api.writeKubeconfig(kubeconfig, { cert: await api.clientCert('kubeward-webhook', 'system:masters') });
    certs = await CertFactory.create();
  });

  after(async () => {
    await api.close();
    await certs.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns ready after the first sync, follows watch events, and relists after 410 Gone', async () => {
    const ca = await certs.ca('ca');
    const serving = await certs.leaf(ca, 'webhook', { usage: ['serverAuth'] });
    const state = new ClusterState();
    const config = defaultConfig();
    const decider = new Decider(config, state);
    const server = await startWebhookServer({ certFile: serving.certPath, keyFile: serving.keyPath, port: 0, host: '127.0.0.1', config, decider, state });
    const source = new LiveStateSource(state, { target: { kubeconfig }, retryDelayMs: 50 });
    try {
      await source.start();
      assert.equal(await readyz(server.port, ca.pem), 503, 'not ready before the first full sync');
      // Unknown state: allowed with a warning, never a hang.
      const early = decider.decide(requestFor(EDIT_FOR_CAROL));
      assert.equal(early.allowed, true);
      assert.match(early.warnings.join(), /not synced/);
      await until('the first sync', () => state.status().synced);
      assert.equal(await readyz(server.port, ca.pem), 200);
      await until('every watch open', () => api.openWatches() >= 8);

      // Edit in ops reaches the deployer pod's account, harmless while it holds nothing...
      assert.equal(decider.decide(requestFor(EDIT_FOR_CAROL)).allowed, true);
      // ...until a watch event says it is cluster-admin (the baseline rebuild is debounced).
      api.put(ADMIN_BINDING);
      await until('the binding to reach the decision', () => !decider.decide(requestFor(EDIT_FOR_CAROL)).allowed);
      assert.match(decider.decide(requestFor(EDIT_FOR_CAROL)).message!, /User carol -> .*ServiceAccount ops\/deployer/);

      // The API server drops every watch, the binding goes away meanwhile and etcd compacts:
      // resuming from the old resourceVersion gets 410 Gone, so the source lists again.
      const listsBefore = source.lists;
      api.dropWatches();
      api.remove('ClusterRoleBinding', undefined, 'ops-deployer-admin');
      api.compact();
      await until('a relist after 410 Gone', () => source.lists > listsBefore);
      await until('the deletion to reach the decision', () => decider.decide(requestFor(EDIT_FOR_CAROL)).allowed);
      await until('the watches to come back', () => api.openWatches() >= 8);
      const watchRequests = api.requests.filter((r) => r.query.includes('watch=true'));
      assert.ok(watchRequests.some((r) => /resourceVersion=\d+/.test(r.query)), 'watches resume from a resourceVersion');
    } finally {
      await source.stop();
      await server.close();
      state.close();
    }
  });

  it('kubeward webhook serve --kubeconfig: ready after sync, judges on the live state, exits 0 on SIGTERM', async () => {
    const ca = await certs.ca('cli-ca');
    const serving = await certs.leaf(ca, 'webhook', { usage: ['serverAuth'] });
    api.put(ADMIN_BINDING);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/kubeward.js'), 'webhook', 'serve', '--cert', serving.certPath, '--key', serving.keyPath, '--port', '0', '--kubeconfig', kubeconfig], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await until('the server to listen', () => /serving https:\/\/0\.0\.0\.0:\d+/.test(stderr));
      const port = Number(/serving https:\/\/0\.0\.0\.0:(\d+)/.exec(stderr)![1]);
      let ready = 0;
      const end = Date.now() + 15_000;
      while (ready !== 200 && Date.now() < end) {
        ready = await readyz(port, ca.pem);
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(ready, 200, stderr);
      const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: requestFor(EDIT_FOR_CAROL) });
      const answer = await new Promise<string>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', ca: ca.pem, servername: 'localhost', agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(body);
      });
      const response = (JSON.parse(answer) as { response: { allowed: boolean; status?: { message: string } } }).response;
      assert.equal(response.allowed, false);
      assert.match(response.status!.message, /User carol -> .*ServiceAccount ops\/deployer/);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exit, 0, stderr);
      api.remove('ClusterRoleBinding', undefined, 'ops-deployer-admin');
    }
  });
});
