// The fixes of default ServiceAccounts, kube-proxy's metrics address, EventRateLimit, exposed
// Services and allow-all ingress rules, beyond the framework's contract (fix.test.ts): which are
// safe and which need --unsafe-fixes, what the written files hold, the embedded YAML of a
// ConfigMap kept byte for byte, and reachability before and after, asked of the NetworkPolicy engine.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { CheckExample } from '../checks/types.js';
import { NetpolGraph } from '../engines/netpol/index.js';
import { Inventory } from '../inventory/inventory.js';
import { loadPaths } from '../sources/files.js';
import { mergeLoadResults } from '../sources/types.js';
import { setEmbeddedYamlField } from './kube-proxy.js';
import { withInputFile } from '../testing/cli.js';
import { planFixes, writeFixes } from './run.js';
import { failingExample as example, fixed, left, yamlOf } from './testing.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('default-serviceaccount-automounts-token: safe only when the RBAC engine finds no grant beyond system:authenticated', () => {
  it('an account bound only to a discovery role is fixed by the safe fixes', async () => {
    await withInputFile(yamlOf(example('default-serviceaccount-automounts-token', 'bound only to')), async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: ['default-serviceaccount-automounts-token'] });
      assert.equal(fixed(outcome, 'default-serviceaccount-automounts-token').length, 1);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['safe']);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const sa = (await readFile(file, 'utf8')).split('---')[0]!;
      assert.equal(parse(sa).automountServiceAccountToken, false);
    });
  });

  it('an account a RoleBinding grants more is left by the safe fixes, with the grant and what breaks, and changed with --unsafe-fixes', async () => {
    await withInputFile(yamlOf(example('default-serviceaccount-automounts-token', 'a RoleBinding grants')), async (file) => {
      const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: ['default-serviceaccount-automounts-token'] });
      assert.deepEqual(safe.changes, []);
      const [why] = left(safe, 'default-serviceaccount-automounts-token');
      assert.match(why!.why, /^unsafe fix, applied only with --unsafe-fixes: pods of namespace batch that name no ServiceAccount .* Role job-runner in batch \(RoleBinding job-runner\)/);
      const unsafe = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['default-serviceaccount-automounts-token'] });
      assert.equal(fixed(unsafe, 'default-serviceaccount-automounts-token').length, 1);
      assert.equal(unsafe.changes[0]!.safety, 'unsafe');
      assert.match(unsafe.changes[0]!.risks!.join('\n'), /lose the API access/);
    });
  });

  it('the pod-level fix decides the same way: a grant through a User subject naming the account keeps its token', async () => {
    // boundServiceAccounts (the check) does not see a User subject; the RBAC engine does.
    const yaml = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: read-config, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-read-config, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-config}
subjects: [{kind: User, name: "system:serviceaccount:shop:web", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: web
  containers: [{name: web, image: nginx:1.27}]`;
    await withInputFile(yaml, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['service-account-token-automounted'] });
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, 'service-account-token-automounted')[0]!.why, /ServiceAccount shop\/web has RBAC grants \(Role read-config in shop \(RoleBinding web-read-config\)\)/);
    });
  });
});

describe('kube-proxy-metrics-exposed: the YAML inside the ConfigMap string', () => {
  it('rewrites only the field\'s line, keeping its quotes and comment, or appends the field', () => {
    const text = '# kube-proxy\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmetricsBindAddress: "0.0.0.0:10249"  # all\nmode: iptables\n';
    assert.equal(setEmbeddedYamlField(text, 'metricsBindAddress', '127.0.0.1:10249'), text.replace('"0.0.0.0:10249"', '"127.0.0.1:10249"'));
    const without = 'kind: KubeProxyConfiguration\nmode: ipvs';
    assert.equal(setEmbeddedYamlField(without, 'metricsBindAddress', '127.0.0.1:10249'), `${without}\nmetricsBindAddress: 127.0.0.1:10249\n`);
    // A nested key of the same name is not the top-level field: the line is not touched.
    const nested = 'kind: KubeProxyConfiguration\nwinkernel:\n  metricsBindAddress: 0.0.0.0:1\n';
    assert.deepEqual(parse(setEmbeddedYamlField(nested, 'metricsBindAddress', '127.0.0.1:10249')!), { kind: 'KubeProxyConfiguration', winkernel: { metricsBindAddress: '0.0.0.0:1' }, metricsBindAddress: '127.0.0.1:10249' });
    assert.equal(setEmbeddedYamlField('[not, a, map]', 'metricsBindAddress', '127.0.0.1:10249'), undefined);
  });

  it('on the failing example: one line of the embedded text changes, the rest of the file is as it was', async () => {
    const yaml = yamlOf(example('kube-proxy-metrics-exposed', 0));
    await withInputFile(yaml, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['kube-proxy-metrics-exposed'] });
      assert.equal(fixed(outcome, 'kube-proxy-metrics-exposed').length, 1);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const after = await readFile(file, 'utf8');
      const changed = after.split('\n').filter((line, i) => line !== yaml.split('\n')[i]);
      assert.deepEqual(changed, ['    metricsBindAddress: "127.0.0.1:10249"  # all interfaces']);
      assert.equal(after.split('\n').length, yaml.split('\n').length);
    });
  });
});

describe('apiserver-event-rate-limit-disabled: the plugin only with its configuration', () => {
  for (const [description, configFile] of [['a kubeadm static pod', '/etc/kubernetes/admission-config.yaml'], ['an AdmissionConfiguration the API server already reads', '/etc/kubernetes/admission.yaml']] as const) {
    it(`${description}: fixed, and the file the API server reads holds EventRateLimit's limits`, async () => {
      const spec = example('apiserver-event-rate-limit-disabled', description) as Exclude<CheckExample, string>;
      const inventory = await spec.build!();
      // The framework test's materialisation, reused: a node root on disk.
      const dir = await mkdtemp(join(tmpdir(), 'kubeward-erl-'));
      try {
        const root = join(dir, 'node');
        const host = inventory.hosts[0]!;
        await mkdir(join(root, 'etc/kubernetes/manifests'), { recursive: true });
        for (const item of inventory.items) await writeFile(join(root, item.location.file.slice(host.root.length)), stringify(item.object));
        await writeFile(join(root, '.kubeward-stat.tsv'), `${host.files.map((f) => `${f.path}\t${f.mode.toString(8)}\t0\t0`).join('\n')}\n`);
        const outcome = await planFixes({ paths: [], nodeRoots: [root], unsafe: true, now: NOW, only: ['apiserver-event-rate-limit-disabled'] });
        assert.equal(fixed(outcome, 'apiserver-event-rate-limit-disabled').length, 1, JSON.stringify(outcome.remaining.map((r) => r.why)));
        assert.deepEqual(outcome.introduced, []);
        assert.ok(outcome.changes.every((c) => c.safety === 'unsafe'));
        assert.deepEqual(await writeFixes(outcome.changes), []);
        const manifest = await readFile(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8');
        assert.match(manifest, /--enable-admission-plugins=NodeRestriction,EventRateLimit/);
        assert.match(manifest, new RegExp(`--admission-control-config-file=${configFile}`));
        const config = parse(await readFile(join(root, configFile), 'utf8')) as { plugins: { name: string; configuration?: { limits?: unknown[] } }[] };
        assert.deepEqual(config.plugins.find((p) => p.name === 'EventRateLimit')!.configuration!.limits, [{ type: 'Namespace', qps: 50, burst: 100, cacheSize: 2000 }, { type: 'User', qps: 10, burst: 50 }]);
        if (configFile === '/etc/kubernetes/admission.yaml') assert.ok(config.plugins.some((p) => p.name === 'PodSecurity'), 'the existing entries stay');
        else assert.match(manifest, /mountPath: \/etc\/kubernetes\/admission-config.yaml/);
        const again = await planFixes({ paths: [], nodeRoots: [root], unsafe: true, now: NOW });
        assert.equal(again.before.findings.filter((f) => f.check === 'apiserver-event-rate-limit-disabled' && f.status === 'fail').length, 0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  it('a pod outside a node root: the plugin is not enabled without its configuration', async () => {
    await withInputFile(yamlOf(example('apiserver-event-rate-limit-disabled', 0)), async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['apiserver-event-rate-limit-disabled'] });
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, 'apiserver-event-rate-limit-disabled')[0]!.why, /not a static pod of a node root/);
    });
  });
});

describe('allow-all-rule-undoes-default-deny and namespace-reachable-from-every-namespace: the NetworkPolicy engine before and after', () => {
  const cluster = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {kubernetes.io/metadata.name: other}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: api, image: api:1, ports: [{containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other}
spec: {containers: [{name: client, image: curl:8}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-ingress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
  - {}
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: monitor}}}]
    ports: [{port: 9090}]
`;

  async function reach(file: string) {
    const load = mergeLoadResults([await loadPaths([file])]);
    const graph = new NetpolGraph(new Inventory(load.items));
    const at = (id: string) => ({ endpoint: graph.findEndpoint(id)! });
    return {
      withinShop: graph.reach(at('shop/web'), at('shop/api'), 9090, 'TCP').allowed,
      fromOther: graph.reach(at('other/client'), at('shop/api'), 9090, 'TCP').allowed,
      fromOtherToWeb: graph.reach(at('other/client'), at('shop/web'), 8080, 'TCP').allowed,
    };
  }

  for (const only of ['allow-all-rule-undoes-default-deny', 'namespace-reachable-from-every-namespace']) {
    it(`${only}: the default deny holds again for other namespaces, traffic inside the namespace stays`, async () => {
      await withInputFile(cluster, async (file) => {
        assert.deepEqual(await reach(file), { withinShop: true, fromOther: true, fromOtherToWeb: true });
        const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: [only] });
        assert.deepEqual(safe.changes, [], 'unsafe: nothing without --unsafe-fixes');
        const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: [only] });
        assert.equal(fixed(outcome, only).length, 1);
        assert.deepEqual(outcome.introduced, []);
        assert.deepEqual(await writeFixes(outcome.changes), []);
        assert.deepEqual(await reach(file), { withinShop: true, fromOther: false, fromOtherToWeb: false });
        const policy = (await readFile(file, 'utf8')).split('---').map((d) => parse(d)).find((o) => o?.metadata?.name === 'allow-all-ingress');
        // The allow-all rule is narrowed; the rule for monitoring pods of any namespace is someone's choice and stays.
        assert.deepEqual(policy.spec.ingress, [{ from: [{ podSelector: {} }] }, { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'monitor' } } }], ports: [{ port: 9090 }] }]);
      });
    });
  }

  it('an allow-all egress rule is left to a person, with why', async () => {
    await withInputFile(yamlOf(example('allow-all-rule-undoes-default-deny', 'egress to 0.0.0.0/0')), async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['allow-all-rule-undoes-default-deny'] });
      assert.deepEqual(outcome.changes, []);
      assert.match(left(outcome, 'allow-all-rule-undoes-default-deny')[0]!.why, /allow-all egress rule/);
    });
  });
});

describe('service-exposed-outside-cluster: ClusterIP without the fields only exposed Services may have', () => {
  it('a LoadBalancer with source ranges and node ports becomes a ClusterIP Service the API server would accept', async () => {
    const yaml = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  loadBalancerSourceRanges: [203.0.113.0/24]
  externalTrafficPolicy: Local
  healthCheckNodePort: 32000
  ports: [{name: https, port: 443, targetPort: 8443, nodePort: 31443}]
`;
    await withInputFile(yaml, async (file) => {
      const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: ['service-exposed-outside-cluster'] });
      assert.deepEqual(safe.changes, []);
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['service-exposed-outside-cluster'] });
      assert.match(outcome.changes[0]!.risks!.join(), /clients outside the cluster/);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      assert.deepEqual(parse(await readFile(file, 'utf8')).spec, { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
    });
  });
});

describe('pod-sets-node-name: the same node, through the scheduler', () => {
  it('nodeName becomes a nodeSelector on the Node\'s own kubernetes.io/hostname label; the selector it had stays', async () => {
    await withInputFile(yamlOf(example('pod-sets-node-name', 'a CronJob pinned')), async (file) => {
      const safe = await planFixes({ paths: [file], unsafe: false, now: NOW, only: ['pod-sets-node-name'] });
      assert.deepEqual(safe.changes, []);
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-sets-node-name'] });
      assert.equal(fixed(outcome, 'pod-sets-node-name').length, 1);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const cronJob = (await readFile(file, 'utf8')).split('\n---\n').map((d) => parse(d)).find((o) => o.kind === 'CronJob');
      const spec = cronJob.spec.jobTemplate.spec.template.spec;
      assert.equal(spec.nodeName, undefined);
      assert.deepEqual(spec.nodeSelector, { 'workload-class': 'batch', 'kubernetes.io/hostname': 'ip-10-0-1-7' });
    });
  });
});
