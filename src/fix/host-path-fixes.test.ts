// The hostPath fixes beyond the framework's contract (fix.test.ts): a replaced volume becomes an
// emptyDir of the same name and every mount of it stays; node components (the system namespaces,
// CNI agents) keep their hostPath volumes with the reason; the namespace is labelled once its pods
// pass; a second run changes nothing.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { withInputFile } from '../testing/cli.js';
import { planFixes, writeFixes } from './run.js';
import { fixed, left } from './testing.js';

const NOW = new Date('2026-06-01T00:00:00Z');

interface PodSpecJs {
  volumes: Record<string, unknown>[];
  containers: { volumeMounts: Record<string, unknown>[] }[];
}

/** The documents of a written file, by kind. */
async function documents(file: string): Promise<Map<string, Record<string, any>>> {
  return new Map(parseAllDocuments(await readFile(file, 'utf8')).map((d) => d.toJS()).filter(Boolean).map((o) => [o.kind, o]));
}

const CLEANUP = `apiVersion: v1
kind: Namespace
metadata: {name: batch}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: image-cleanup, namespace: batch}
spec:
  schedule: 0 4 * * 0
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: prune
            image: docker:27.0-cli
            volumeMounts:
            - {name: docker-sock, mountPath: /var/run/docker.sock}
            - {name: cache, mountPath: /cache}
          volumes:
          - name: docker-sock
            hostPath: {path: /var/run/docker.sock, type: Socket}
          - name: cache
            hostPath: {path: /var/cache/prune}
`;

const AGENT = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: ops}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers:
      - name: agent
        image: example/agent:1.0
        securityContext: {privileged: true}
        volumeMounts:
        - {name: hostfs, mountPath: /hostfs, mountPropagation: Bidirectional}
        - {name: kubelet, mountPath: /host/kubelet}
      volumes:
      - name: hostfs
        hostPath: {path: /}
      - name: kubelet
        hostPath: {path: /var/lib/kubelet}
`;

describe('container-runtime-socket-mounted: the socket volume becomes an emptyDir of the same name', () => {
  it('replaces only the volume the finding names; every mount stays; unsafe, with what breaks', async () => {
    await withInputFile(CLEANUP, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['container-runtime-socket-mounted'] });
      assert.equal(fixed(outcome, 'container-runtime-socket-mounted').length, 1);
      assert.deepEqual(outcome.introduced, []);
      assert.deepEqual(outcome.changes.map((c) => c.safety), ['unsafe']);
      assert.match(outcome.changes[0]!.risks!.join(' '), /can no longer talk to the container runtime/);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const spec = (await documents(file)).get('CronJob')!.spec.jobTemplate.spec.template.spec as PodSpecJs;
      assert.deepEqual(spec.volumes, [{ name: 'docker-sock', emptyDir: {} }, { name: 'cache', hostPath: { path: '/var/cache/prune' } }]);
      assert.deepEqual(spec.containers[0]!.volumeMounts, [{ name: 'docker-sock', mountPath: '/var/run/docker.sock' }, { name: 'cache', mountPath: '/cache' }]);
      const again = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['container-runtime-socket-mounted'] });
      assert.deepEqual(again.changes, [], 'a second fix changes nothing');
    });
  });

  it('without --unsafe-fixes nothing changes and the finding says what would break', async () => {
    await withInputFile(CLEANUP, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: false, now: NOW, only: ['container-runtime-socket-mounted'] });
      assert.deepEqual(outcome.changes, []);
      const [why] = left(outcome, 'container-runtime-socket-mounted');
      assert.match(why!.why, /^unsafe fix, applied only with --unsafe-fixes: the container can no longer talk to the container runtime/);
    });
  });
});

describe('pod-violates-baseline-pod-security: hostPath volumes become emptyDirs where the pod is then admitted', () => {
  it('replaces every hostPath volume, drops the propagation an emptyDir cannot have, and the pod passes baseline', async () => {
    await withInputFile(AGENT, async (file) => {
      // The section, not the check alone: a pod that passes baseline is judged against restricted, whose fix follows.
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-privileges'] });
      assert.equal(fixed(outcome, 'pod-violates-baseline-pod-security').length, 1);
      assert.deepEqual(outcome.introduced, []);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const spec = (await documents(file)).get('DaemonSet')!.spec.template.spec as PodSpecJs;
      assert.deepEqual(spec.volumes, [{ name: 'hostfs', emptyDir: {} }, { name: 'kubelet', emptyDir: {} }]);
      assert.deepEqual(spec.containers[0]!.volumeMounts, [{ name: 'hostfs', mountPath: '/hostfs' }, { name: 'kubelet', mountPath: '/host/kubelet' }]);
      const again = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-privileges'] });
      assert.equal(again.before.findings.filter((f) => f.check === 'pod-violates-baseline-pod-security' && f.status === 'fail').length, 0);
      assert.deepEqual(again.changes, [], 'a second fix changes nothing');
    });
  });

  it('the namespace is labelled once the job passes baseline, in the same run', async () => {
    await withInputFile(CLEANUP, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-privileges'] });
      assert.equal(fixed(outcome, 'namespace-without-pod-security-enforcement').length, 1);
      assert.deepEqual(left(outcome, 'pod-violates-baseline-pod-security'), []);
      assert.deepEqual(await writeFixes(outcome.changes), []);
      const labels = (await documents(file)).get('Namespace')!.metadata.labels;
      assert.ok(['baseline', 'restricted'].includes(labels['pod-security.kubernetes.io/enforce']));
    });
  });
});

describe('node components keep their hostPath volumes, with the reason', () => {
  const KUBE_PROXY = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-proxy, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-proxy}}
  template:
    metadata: {labels: {k8s-app: kube-proxy}}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.30.2
        volumeMounts:
        - {name: xtables-lock, mountPath: /run/xtables.lock}
        - {name: run, mountPath: /host/run, readOnly: true}
      volumes:
      - name: xtables-lock
        hostPath: {path: /run/xtables.lock, type: FileOrCreate}
      - name: run
        hostPath: {path: /run}
`;

  const FLANNEL = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel-ds, namespace: kube-flannel}
spec:
  selector: {matchLabels: {app: flannel}}
  template:
    metadata: {labels: {app: flannel}}
    spec:
      containers:
      - name: kube-flannel
        image: ghcr.io/flannel-io/flannel:v0.25.5
        volumeMounts:
        - {name: cni-plugin, mountPath: /opt/cni/bin}
        - {name: cni, mountPath: /etc/cni/net.d}
      volumes:
      - name: cni-plugin
        hostPath: {path: /opt/cni/bin}
      - name: cni
        hostPath: {path: /etc/cni/net.d}
`;

  it('a kube-system pod is not changed; its baseline and socket findings stay with why', async () => {
    await withInputFile(KUBE_PROXY, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-privileges'] });
      assert.deepEqual(outcome.changes, []);
      for (const check of ['pod-violates-baseline-pod-security', 'container-runtime-socket-mounted']) {
        const [finding] = left(outcome, check);
        assert.match(finding!.why, /^it runs in the system namespace kube-system, .*: it needs the node \(its files, network or privileges\), so fix leaves it as it is; exempt its namespace from Pod Security enforcement/, check);
      }
    });
  });

  it('a CNI agent in a namespace of its own is not changed either', async () => {
    await withInputFile(FLANNEL, async (file) => {
      const outcome = await planFixes({ paths: [file], unsafe: true, now: NOW, only: ['pod-privileges'] });
      assert.deepEqual(outcome.changes, []);
      for (const check of ['pod-violates-baseline-pod-security', 'writable-sensitive-host-path']) {
        const found = left(outcome, check);
        assert.ok(found.length > 0, check);
        for (const r of found) assert.match(r.why, /^it is a CNI agent \(it mounts the node's \/opt\/cni\/bin\): it needs the node \(its files, network or privileges\), so fix leaves it as it is/, check);
      }
    });
  });
});
