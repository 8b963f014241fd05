// A real etcd server for tests (Debian package etcd-server): started on 127.0.0.1 with free
// ports and a temporary data dir, with mutual TLS (certificates from ./certs.ts) or without
// client-certificate authentication; stopped by killing its process group. Used by tests and
// benchmarks only.

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdGateway } from '../sources/etcd.js';
import { CertFactory, type GeneratedCert } from './certs.js';

export interface EtcdTlsFiles {
  ca: GeneratedCert;
  server: GeneratedCert;
  client: GeneratedCert;
}

export interface StartEtcdOptions {
  /** Serve TLS with these certificates; plain http when absent. */
  tls?: { ca: GeneratedCert; server: GeneratedCert };
  /** --client-cert-auth (requires tls). */
  clientCertAuth?: boolean;
}

export class EtcdServer {
  private stderr = '';
  private constructor(
    readonly endpoint: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {}

  /** Starts etcd and waits until it answers (up to 20 s each try). */
  static async start(options: StartEtcdOptions = {}, readyClient?: { cert: GeneratedCert; ca: GeneratedCert }): Promise<EtcdServer> {
    // A free port can be taken by another process before etcd binds it: try again on new ports.
    for (let attempt = 1; ; attempt++) {
      try {
        return await EtcdServer.startOnce(options, readyClient);
      } catch (e) {
        if (attempt === 3 || !/address already in use/.test((e as Error).message)) throw e;
      }
    }
  }

  private static async startOnce(options: StartEtcdOptions, readyClient?: { cert: GeneratedCert; ca: GeneratedCert }): Promise<EtcdServer> {
    const [clientPort, peerPort] = await freePorts(2);
    const dataDir = await mkdtemp(join(tmpdir(), 'kubeward-etcd-'));
    const scheme = options.tls ? 'https' : 'http';
    const endpoint = `${scheme}://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const args = [
      '--name', 'test', '--data-dir', dataDir,
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `test=${peer}`,
      '--log-level', 'warn', '--logger', 'zap',
      ...(options.tls ? ['--cert-file', options.tls.server.certPath, '--key-file', options.tls.server.keyPath] : []),
      ...(options.clientCertAuth && options.tls ? ['--client-cert-auth', '--trusted-ca-file', options.tls.ca.certPath] : []),
    ];
    // Its own process group, so stop() kills etcd and anything it started.
    const child = spawn('etcd', args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const server = new EtcdServer(endpoint, child, dataDir);
    // Should the test process end without calling stop() (a crash, a cancelled run), etcd goes too.
    const onExit = (): void => server.killNow();
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    child.stderr!.on('data', (c: Buffer) => {
      server.stderr = (server.stderr + c.toString()).slice(-4000);
    });
    try {
      await server.waitReady(readyClient);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  /** A gateway client; pass the client certificate for a server with --client-cert-auth. */
  gateway(tls?: { ca: GeneratedCert; client?: GeneratedCert }): EtcdGateway {
    if (!tls) return new EtcdGateway(this.endpoint);
    return new EtcdGateway(this.endpoint, {
      ca: tls.ca.pem,
      ...(tls.client ? { cert: tls.client.pem, key: tls.client.keyPem } : {}),
    });
  }

  private async waitReady(client?: { cert: GeneratedCert; ca: GeneratedCert }): Promise<void> {
    const gateway = this.gateway(client ? { ca: client.ca, client: client.cert } : undefined);
    const deadline = Date.now() + 20_000;
    try {
      for (;;) {
        if (this.child.exitCode !== null) throw new Error(`etcd exited with ${this.child.exitCode}: ${this.stderr}`);
        try {
          const reply = await gateway.post('/v3/kv/range', { key: Buffer.from('/').toString('base64'), count_only: true });
          if (reply.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`etcd did not become ready within 20 s: ${this.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      gateway.close();
    }
  }

  private killNow(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Kills etcd's process group and removes its data dir; safe to call twice. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
      const exited = new Promise((r) => this.child.once('exit', r));
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** A CA, an etcd serving certificate for 127.0.0.1 and a client certificate, in a CertFactory. */
export async function etcdTlsFiles(certs: CertFactory): Promise<EtcdTlsFiles> {
  const ca = await certs.ca('etcd-ca');
  const server = await certs.leaf(ca, 'etcd-server', { usage: ['serverAuth', 'clientAuth'] });
  const client = await certs.leaf(ca, 'kube-apiserver-etcd-client', { usage: ['clientAuth'], altNames: [] });
  return { ca, server, client };
}

/** Writes raw values (bytes exactly as given) with transactions of up to 128 puts (etcd's --max-txn-ops). */
export async function putRaw(gateway: EtcdGateway, entries: Iterable<[string, Uint8Array]>): Promise<void> {
  let batch: unknown[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const reply = await gateway.post('/v3/kv/txn', { success: batch });
    if (!reply.ok) throw new Error(`txn failed: ${reply.error.message}`);
    batch = [];
  };
  for (const [key, value] of entries) {
    batch.push({ requestPut: { key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64') } });
    if (batch.length === 128) await flush();
  }
  await flush();
}

/**
 * A value as kube-apiserver's identity provider stores it: "k8s\0", then a runtime.Unknown
 * protobuf with typeMeta {v1, Secret} and `raw` bytes (here a short text under 128 bytes).
 */
export function plaintextProtobuf(raw: string): Buffer {
  const body = Buffer.from(raw);
  if (body.length >= 128) throw new Error('plaintextProtobuf: raw must be under 128 bytes');
  const typeMeta = Buffer.from('\n\x02v1\x12\x06Secret', 'latin1');
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, body.length]), body]);
}

/** A value as an encryption provider stores it: its prefix followed by ciphertext (here a fixed byte pattern). */
export function encryptedForm(prefix: string, size = 64): Buffer {
  const ciphertext = Buffer.alloc(size);
  for (let i = 0; i < size; i++) ciphertext[i] = (i * 131 + 7) & 0xff;
  return Buffer.concat([Buffer.from(prefix), ciphertext]);
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
