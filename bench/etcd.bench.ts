// verify-encryption of 20,000 stored values against a local etcd with mutual TLS (target < 10 s).

import { CertFactory } from '../src/testing/certs.js';
import { EtcdServer, encryptedForm, etcdTlsFiles, plaintextProtobuf, putRaw } from '../src/testing/etcd.js';
import { verifyEncryption } from '../src/sources/etcd.js';

const KEYS = 20_000;
const VALUE_BYTES = 1_024;

export async function run(): Promise<void> {
  const certs = await CertFactory.create();
  let server: EtcdServer | undefined;
  try {
    const tls = await etcdTlsFiles(certs);
    server = await EtcdServer.start({ tls: { ca: tls.ca, server: tls.server }, clientCertAuth: true }, { ca: tls.ca, cert: tls.client });
    const gateway = server.gateway({ ca: tls.ca, client: tls.client });
    try {
      const loadStart = performance.now();
      // One Secret in ten plaintext, the rest encrypted under two keys; 20% of the keys are ConfigMaps.
      await putRaw(gateway, (function* () {
        for (let i = 0; i < KEYS; i++) {
          const resource = i % 5 === 0 ? 'configmaps' : 'secrets';
          const value = i % 10 === 1 ? plaintextProtobuf(`value-${i}`) : encryptedForm(i % 2 ? 'k8s:enc:aescbc:v1:key1:' : 'k8s:enc:kms:v2:vault:', VALUE_BYTES);
          yield [`/registry/${resource}/ns-${i % 50}/obj-${i}`, value] as [string, Buffer];
        }
      })());
      const loadMs = performance.now() - loadStart;
      const rssBefore = process.memoryUsage().rss;
      const start = performance.now();
      const result = await verifyEncryption(gateway, { resources: ['secrets', 'configmaps'], batchSize: 200 });
      const ms = performance.now() - start;
      if (result.summary.total !== KEYS) throw new Error(`read ${result.summary.total} keys, expected ${KEYS}`);
      console.log(`etcd verify-encryption: ${KEYS} keys (${VALUE_BYTES} B values, mTLS, batches of 200)`);
      console.log(`  load (txn puts):      ${(loadMs / 1000).toFixed(2)} s`);
      console.log(`  verify-encryption:    ${(ms / 1000).toFixed(2)} s  (${Math.round(KEYS / (ms / 1000))} keys/s; target < 10 s)`);
      console.log(`  plaintext Secrets:    ${result.summary.plaintextSecrets}, encrypted: ${result.summary.encrypted}`);
      console.log(`  RSS growth:           ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(1)} MB`);
    } finally {
      gateway.close();
    }
  } finally {
    await server?.stop();
    await certs.remove();
  }
}
