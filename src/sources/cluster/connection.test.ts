// Which cluster and credentials kubeward uses: inside a pod (service account), or none at all.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputUnavailableError } from '../../errors.js';
import { kubeadmCluster } from '../../testing/apiserver/fixtures.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver/index.js';
import { connect } from './connection.js';
import { loadCluster } from './index.js';

/** Runs `body` with environment variables set (undefined: unset), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

describe('cluster connection', () => {
  let server: TestApiServer;
  let dir: string;
  before(async () => {
    server = await startTestApiServer({ ...kubeadmCluster(), tokens: { 'pod-token': { name: 'system:serviceaccount:kubeward:kubeward-scanner', groups: [] } } });
    dir = await mkdtemp(join(tmpdir(), 'kubeward-conn-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('inside a pod, uses the service account token, CA and KUBERNETES_SERVICE_HOST/PORT', async () => {
    const sa = join(dir, 'pod', 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
    await mkdir(sa, { recursive: true });
    await writeFile(join(sa, 'token'), 'pod-token');
    await writeFile(join(sa, 'ca.crt'), server.ca.pem);
    await writeFile(join(sa, 'namespace'), 'kubeward');
    const port = new URL(server.url).port;
    const load = await withEnv({ KUBECONFIG: undefined, HOME: join(dir, 'empty-home'), KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, () =>
      loadCluster({ inClusterRoot: join(dir, 'pod') }));
    assert.equal(load.context, 'inClusterContext');
    assert.equal(load.server, server.url);
    // no RBAC objects for this account in the cluster: only discovery and /version are allowed
    assert.ok(load.result.errors.length > 0 && load.result.errors.every((e) => /403 Forbidden/.test(e.message)));
    assert.equal(load.result.version?.text, 'v1.30.4');
    assert.equal(server.requests.at(-1)?.user, 'system:serviceaccount:kubeward:kubeward-scanner');
  });

  it('without kubeconfig or service account, says how to give one', async () => {
    await withEnv({ KUBECONFIG: undefined, HOME: join(dir, 'empty-home'), KUBERNETES_SERVICE_HOST: undefined }, async () => {
      await assert.rejects(connect({}, 1), (e: Error) => e instanceof InputUnavailableError && /no kubeconfig: give --kubeconfig FILE, set KUBECONFIG/.test(e.message));
    });
    await assert.rejects(connect({ kubeconfig: join(dir, 'missing') }, 1), /kubeconfig .*missing: no such file/);
  });

  it('refuses a server certificate its CA did not sign', async () => {
    const other = await startTestApiServer({ objects: [] });
    try {
      const kubeconfig = join(dir, 'wrong-ca');
      await server.writeKubeconfig(kubeconfig, { token: 'pod-token' });
      // the kubeconfig names `server`'s CA but points at `other`; not retried: it would fail the same way
      await writeFile(kubeconfig, (await readFile(kubeconfig, 'utf8')).replace(server.url, other.url));
      await assert.rejects(loadCluster({ kubeconfig }), (e: Error) => e instanceof InputUnavailableError && /certificate/i.test(e.message));
    } finally {
      await other.close();
    }
  });
});
