// CIS 1.12 controls of the controller manager (1.3), the scheduler (1.4), profiling (1.2.15),
// etcd (2.x; and the API server's etcd client flags 1.2.23, 1.2.26) and kube-proxy (4.3.1),
// broken one change at a time on a copy of the hardened cluster. The verdicts are kube-bench's
// (flags and ETCD_* variables as it reads them), where kubeward's own findings may be stricter.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { componentPodYaml } from '../../src/checks/component-support.js';
import componentProfilingEnabled from '../../src/checks/api-tls/component-profiling-enabled.js';
import componentServesOnAllInterfaces from '../../src/checks/api-tls/component-serves-on-all-interfaces.js';
import kubeProxyMetricsExposed from '../../src/checks/api-tls/kube-proxy-metrics-exposed.js';
import etcdClientCertAuthDisabled from '../../src/checks/etcd-access/etcd-client-cert-auth-disabled.js';
import etcdPeerCertAuthDisabled from '../../src/checks/etcd-access/etcd-peer-cert-auth-disabled.js';
import controllerManagerTerminatedPodGcUnset from '../../src/checks/resource-quota/controller-manager-terminated-pod-gc-unset.js';
import type { Check, CheckResult } from '../../src/checks/types.js';
import { cisControlCases, type CisTree } from '../../src/testing/cis.js';
import { runCheckOnYaml } from '../../src/testing/index.js';

const ETCD_MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
const ETCD_CA = '/etc/kubernetes/pki/etcd/ca.crt';
const CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';
const SCHEDULER_CONFIG = '/etc/kubernetes/scheduler-config.yaml';

const flag = (component: string, name: string, value: string | undefined) => (t: CisTree) => t.setFlag(component, name, value);

/** Sets ETCD_* variables in etcd's container (kube-bench reads them where the flag is absent). */
function etcdEnv(vars: Record<string, string>, removeFlags: string[] = []) {
  return (t: CisTree) => {
    for (const f of removeFlags) t.setFlag('etcd', f, undefined);
    const env = Object.entries(vars).map(([name, value]) => `    - name: ${name}\n      value: "${value}"\n`).join('');
    t.editNodeFile(ETCD_MANIFEST, (text) => text.replace(/^ {4}name: etcd\n/m, (line) => `${line}    env:\n${env}`));
  };
}

/** kube-scheduler with --config naming a KubeSchedulerConfiguration (kube-scheduler then ignores --profiling). */
function schedulerConfig(enableProfiling: boolean, keepProfilingFlag: boolean) {
  return (t: CisTree) => {
    t.writeNodeFile(SCHEDULER_CONFIG, `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
enableProfiling: ${enableProfiling}
`);
    t.setFlag('kube-scheduler', 'config', SCHEDULER_CONFIG);
    if (!keepProfilingFlag) t.setFlag('kube-scheduler', 'profiling', undefined);
  };
}

/** Sets metricsBindAddress in the kube-system/kube-proxy ConfigMap (undefined: removes it). */
function proxyMetrics(address: string | undefined) {
  return (t: CisTree) => t.editClusterFile('kube-system.yaml', (text) => text.replace(/^( +)metricsBindAddress: 127\.0\.0\.1:10249\n/m, (_, indent: string) => (address === undefined ? '' : `${indent}metricsBindAddress: ${address}\n`)));
}

cisControlCases('CIS 1.12 control plane: profiling, controller manager, scheduler, etcd, kube-proxy', [
  { control: '1.2.15', change: 'kube-apiserver --profiling=true', mutate: flag('kube-apiserver', 'profiling', 'true') },
  { control: '1.2.15', change: 'kube-apiserver --profiling removed (default true)', mutate: flag('kube-apiserver', 'profiling', undefined) },
  { control: '1.2.15', change: 'kube-apiserver --profiling=False (kube-bench compares booleans case-insensitively)', mutate: flag('kube-apiserver', 'profiling', 'False'), expect: 'pass' },

  { control: '1.2.23', change: 'kube-apiserver --etcd-certfile removed', mutate: flag('kube-apiserver', 'etcd-certfile', undefined) },
  { control: '1.2.23', change: 'kube-apiserver --etcd-keyfile removed', mutate: flag('kube-apiserver', 'etcd-keyfile', undefined) },
  { control: '1.2.26', change: 'kube-apiserver --etcd-cafile removed', mutate: flag('kube-apiserver', 'etcd-cafile', undefined) },
  { control: '1.2.26', change: 'kube-apiserver --etcd-servers over http:// (not what 1.2.26 asks)', mutate: flag('kube-apiserver', 'etcd-servers', 'http://127.0.0.1:2379'), expect: 'pass' },

  { control: '1.3.1', change: '--terminated-pod-gc-threshold removed', mutate: flag('kube-controller-manager', 'terminated-pod-gc-threshold', undefined) },
  { control: '1.3.1', change: '--terminated-pod-gc-threshold=0 (kube-bench takes any value; kubeward fails it)', mutate: flag('kube-controller-manager', 'terminated-pod-gc-threshold', '0'), expect: 'pass' },

  { control: '1.3.2', change: 'kube-controller-manager --profiling=true', mutate: flag('kube-controller-manager', 'profiling', 'true') },
  { control: '1.3.2', change: 'kube-controller-manager --profiling removed (default true)', mutate: flag('kube-controller-manager', 'profiling', undefined) },

  { control: '1.3.3', change: '--use-service-account-credentials=false', mutate: flag('kube-controller-manager', 'use-service-account-credentials', 'false') },
  { control: '1.3.3', change: '--use-service-account-credentials removed (kube-bench requires the flag; the default is false)', mutate: flag('kube-controller-manager', 'use-service-account-credentials', undefined) },

  { control: '1.3.4', change: '--service-account-private-key-file removed', mutate: flag('kube-controller-manager', 'service-account-private-key-file', undefined) },
  { control: '1.3.5', change: '--root-ca-file removed', mutate: flag('kube-controller-manager', 'root-ca-file', undefined) },

  { control: '1.3.7', change: 'kube-controller-manager --bind-address=0.0.0.0', mutate: flag('kube-controller-manager', 'bind-address', '0.0.0.0') },
  { control: '1.3.7', change: 'kube-controller-manager --bind-address=::1 (kube-bench: eq 127.0.0.1)', mutate: flag('kube-controller-manager', 'bind-address', '::1') },
  { control: '1.3.7', change: 'kube-controller-manager --bind-address removed (kube-bench passes it; kubeward does not)', mutate: flag('kube-controller-manager', 'bind-address', undefined), expect: 'pass' },

  { control: '1.4.1', change: 'kube-scheduler --profiling=true', mutate: flag('kube-scheduler', 'profiling', 'true') },
  { control: '1.4.1', change: 'kube-scheduler --profiling removed (default true)', mutate: flag('kube-scheduler', 'profiling', undefined) },
  { control: '1.4.1', change: 'kube-scheduler --config with enableProfiling: false, no --profiling (kube-bench reads the flag only)', mutate: schedulerConfig(false, false) },
  { control: '1.4.1', change: 'kube-scheduler --config with enableProfiling: true, --profiling=false (ignored by the scheduler; kube-bench passes it)', mutate: schedulerConfig(true, true), expect: 'pass' },

  { control: '1.4.2', change: 'kube-scheduler --bind-address=0.0.0.0', mutate: flag('kube-scheduler', 'bind-address', '0.0.0.0') },
  { control: '1.4.2', change: 'kube-scheduler --bind-address=localhost (kube-bench: eq 127.0.0.1)', mutate: flag('kube-scheduler', 'bind-address', 'localhost') },
  { control: '1.4.2', change: 'kube-scheduler --bind-address removed (kube-bench passes it; kubeward does not)', mutate: flag('kube-scheduler', 'bind-address', undefined), expect: 'pass' },

  { control: '2.1', change: 'etcd --cert-file removed', mutate: flag('etcd', 'cert-file', undefined) },
  { control: '2.1', change: 'etcd --key-file removed', mutate: flag('etcd', 'key-file', undefined) },
  { control: '2.1', change: 'etcd --cert-file moved to ETCD_CERT_FILE', mutate: etcdEnv({ ETCD_CERT_FILE: '/etc/kubernetes/pki/etcd/server.crt' }, ['cert-file']), expect: 'pass' },

  { control: '2.2', change: 'etcd --client-cert-auth=false', mutate: flag('etcd', 'client-cert-auth', 'false') },
  { control: '2.2', change: 'etcd --client-cert-auth removed (default false)', mutate: flag('etcd', 'client-cert-auth', undefined) },
  { control: '2.2', change: 'etcd ETCD_CLIENT_CERT_AUTH=false in place of the flag', mutate: etcdEnv({ ETCD_CLIENT_CERT_AUTH: 'false' }, ['client-cert-auth']) },
  { control: '2.2', change: 'etcd --trusted-ca-file removed (2.2 asks only for --client-cert-auth)', mutate: flag('etcd', 'trusted-ca-file', undefined), expect: 'pass' },

  { control: '2.3', change: 'etcd --auto-tls=true', mutate: flag('etcd', 'auto-tls', 'true') },
  { control: '2.3', change: 'etcd ETCD_AUTO_TLS=true', mutate: etcdEnv({ ETCD_AUTO_TLS: 'true' }) },
  { control: '2.3', change: 'etcd --auto-tls=false', mutate: flag('etcd', 'auto-tls', 'false'), expect: 'pass' },

  { control: '2.4', change: 'etcd --peer-cert-file removed', mutate: flag('etcd', 'peer-cert-file', undefined) },
  { control: '2.4', change: 'etcd --peer-key-file removed', mutate: flag('etcd', 'peer-key-file', undefined) },

  { control: '2.5', change: 'etcd --peer-client-cert-auth=false', mutate: flag('etcd', 'peer-client-cert-auth', 'false') },
  { control: '2.5', change: 'etcd --peer-client-cert-auth removed (default false)', mutate: flag('etcd', 'peer-client-cert-auth', undefined) },
  { control: '2.5', change: 'etcd --peer-trusted-ca-file removed (2.5 asks only for --peer-client-cert-auth)', mutate: flag('etcd', 'peer-trusted-ca-file', undefined), expect: 'pass' },

  { control: '2.6', change: 'etcd --peer-auto-tls=true', mutate: flag('etcd', 'peer-auto-tls', 'true') },
  { control: '2.6', change: 'etcd ETCD_PEER_AUTO_TLS=true', mutate: etcdEnv({ ETCD_PEER_AUTO_TLS: 'true' }) },

  { control: '2.7', change: 'etcd --trusted-ca-file names the cluster CA', mutate: flag('etcd', 'trusted-ca-file', CLUSTER_CA) },
  { control: '2.7', change: 'etcd --trusted-ca-file removed', mutate: flag('etcd', 'trusted-ca-file', undefined) },
  { control: '2.7', change: 'etcd/ca.crt holds a copy of the cluster CA', mutate: (t) => t.writeNodeFile(ETCD_CA, readFileSync(join(t.nodeRoot, CLUSTER_CA), 'utf8'), 0o644) },
  {
    control: '2.7',
    change: 'etcd/ca.crt is a new certificate of the cluster CA\'s key',
    mutate: (t) => {
      execFileSync('openssl', ['req', '-x509', '-new', '-key', join(t.nodeRoot, 'etc/kubernetes/pki/ca.key'), '-subj', '/CN=etcd-ca', '-days', '3650', '-out', join(t.nodeRoot, ETCD_CA)], { stdio: 'ignore' });
    },
  },
  { control: '2.7', change: 'etcd/ca.crt missing from the node root', mutate: (t) => t.removeNodeFile(ETCD_CA), expect: 'not-evaluated' },

  { control: '4.3.1', change: 'kube-proxy metricsBindAddress: 0.0.0.0:10249', mutate: proxyMetrics('0.0.0.0:10249') },
  { control: '4.3.1', change: 'kube-proxy metricsBindAddress: localhost:10249 (kube-bench: has 127.0.0.1)', mutate: proxyMetrics('localhost:10249') },
  { control: '4.3.1', change: 'kube-proxy metricsBindAddress left to its default 127.0.0.1:10249', mutate: proxyMetrics(undefined), expect: 'pass' },
]);

/** Each result as "status cis-map note" for compact assertions. */
async function judged(check: Check, yaml: string): Promise<string[]> {
  const results: CheckResult[] = await runCheckOnYaml(check, yaml);
  return results.map((r) => `${r.status} ${JSON.stringify(r.cis?.['1.12'] ?? null)}${r.cisNote ? ' noted' : ''}`);
}

describe('where kubeward and kube-bench judge differently, the result says which CIS verdict applies', () => {
  it('an unset --bind-address fails in kubeward and passes CIS 1.3.7, with a note', async () => {
    assert.deepEqual(await judged(componentServesOnAllInterfaces, componentPodYaml('kube-controller-manager', [])), ['fail {"1.3.7":"pass"} noted']);
  });

  it('--bind-address=::1 passes in kubeward and fails CIS 1.4.2, with a note; 127.0.0.1 passes both', async () => {
    assert.deepEqual(await judged(componentServesOnAllInterfaces, componentPodYaml('kube-scheduler', ['--bind-address=::1'])), ['pass {"1.4.2":"fail"} noted']);
    assert.deepEqual(await judged(componentServesOnAllInterfaces, componentPodYaml('kube-scheduler', ['--bind-address=127.0.0.1'])), ['pass {"1.4.2":"pass"}']);
  });

  it('the insecure --port is no CIS 1.12 control', async () => {
    assert.deepEqual(await judged(componentServesOnAllInterfaces, componentPodYaml('kube-scheduler', ['--port=10251', '--bind-address=127.0.0.1'], 'registry.k8s.io/kube-scheduler:v1.22.0')), ['fail {}', 'pass {"1.4.2":"pass"}']);
  });

  it('profiling is judged per component: each result bears on its own control', async () => {
    const yaml = `${componentPodYaml('kube-apiserver', ['--profiling=false'])}\n---\n${componentPodYaml('kube-controller-manager', [])}`;
    assert.deepEqual((await judged(componentProfilingEnabled, yaml)).sort(), ['fail {"1.3.2":"fail"}', 'pass {"1.2.15":"pass"}']);
  });

  it('kube-scheduler with --config: kubeward reads enableProfiling, CIS 1.4.1 the ignored --profiling flag', async () => {
    const yaml = `${componentPodYaml('kube-scheduler', ['--config=/etc/kubernetes/scheduler-config.yaml', '--profiling=false'])}
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
enableProfiling: true`;
    assert.deepEqual(await judged(componentProfilingEnabled, yaml), ['fail {"1.4.1":"pass"} noted']);
  });

  it('kube-proxy metrics on localhost pass in kubeward and fail CIS 4.3.1 (has 127.0.0.1)', async () => {
    const proxy = (address: string) => `apiVersion: v1
kind: Pod
metadata: {name: kube-proxy-x, namespace: kube-system, labels: {k8s-app: kube-proxy}}
spec:
  containers:
  - name: kube-proxy
    image: registry.k8s.io/kube-proxy:v1.30.2
    command: [/usr/local/bin/kube-proxy, --metrics-bind-address=${address}]`;
    assert.deepEqual(await judged(kubeProxyMetricsExposed, proxy('localhost:10249')), ['pass {"4.3.1":"fail"} noted']);
    assert.deepEqual(await judged(kubeProxyMetricsExposed, proxy('0.0.0.0:10249')), ['fail {"4.3.1":"fail"}']);
  });

  it('a terminated pod GC threshold of 0 fails in kubeward and passes CIS 1.3.1', async () => {
    assert.deepEqual(await judged(controllerManagerTerminatedPodGcUnset, componentPodYaml('kube-controller-manager', ['--terminated-pod-gc-threshold=0'])), ['fail {"1.3.1":"pass"} noted']);
  });

  it('etcd\'s peer settings are two results, one per control (2.4, 2.5)', async () => {
    assert.deepEqual(await judged(etcdPeerCertAuthDisabled, componentPodYaml('etcd', ['--peer-client-cert-auth=true', '--peer-cert-file=/p.crt'])), ['fail {"2.4":"fail"}', 'fail {"2.5":"pass"} noted']);
  });

  it('etcd with --config-file: kube-bench reads only flags and variables, which etcd then ignores', async () => {
    assert.deepEqual(await judged(etcdClientCertAuthDisabled, componentPodYaml('etcd', ['--config-file=/etc/etcd/etcd.yaml', '--client-cert-auth=true'])), ['not-evaluated {"2.2":"pass"} noted']);
  });
});
