import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from '../../testing/index.js';
import kubeletVersionSkewUnsupported from './kubelet-version-skew-unsupported.js';
import kubernetesVersionEndOfLife from './kubernetes-version-end-of-life.js';
import kubernetesVersionWithKnownCve from './kubernetes-version-with-known-cve.js';
import { CLUSTER_EXAMPLE, NODE_EXAMPLE } from './versions.js';

describe('security-updates', () => {
  it('is not evaluated without any version', async () => {
    const results = await runExample(kubernetesVersionEndOfLife, { description: 'no version', yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}' });
    assert.deepEqual(results.map((r) => [r.status, r.status === 'not-evaluated' ? r.reason : '']), [
      ['not-evaluated', 'the Kubernetes version is unknown: give --k8s-version, or include the kube-apiserver static pod'],
    ]);
  });

  it('does not take a version inferred from the oldest kubelet for the API server', async () => {
    // No API server in the input: the scan infers v1.31.14 from the oldest node; the skew cannot be judged.
    const results = await runExample(kubeletVersionSkewUnsupported, { description: 'nodes only', yaml: `${NODE_EXAMPLE('a', 'v1.31.14')}\n---\n${NODE_EXAMPLE('b', 'v1.35.9')}` });
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated', 'not-evaluated']);
    assert.match(results[0]!.status === 'not-evaluated' ? results[0]!.reason : '', /equals the oldest kubelet's/);
  });

  it('judges each node on its own version and OS', async () => {
    const yaml = CLUSTER_EXAMPLE('v1.35.9', ['linux-1', 'v1.32.0', 'linux'], ['win-1', 'v1.32.0', 'windows']);
    const results = await runExample(kubernetesVersionWithKnownCve, { description: 'mixed', yaml });
    const failures = results.filter((r) => r.status === 'fail').map((r) => `${r.subject.ref.name}: ${r.status === 'fail' ? r.message.split(':')[0] : ''}`);
    assert.deepEqual(failures, [
      'linux-1: kubelet on linux-1 (kubelet v1.32.0) is affected by CVE-2025-0426',
      'win-1: kubelet on win-1 (kubelet v1.32.0) is affected by CVE-2025-0426',
      'win-1: kubelet on win-1 (kubelet v1.32.0) is affected by CVE-2024-9042',
    ]);
    assert.deepEqual(results.filter((r) => r.status === 'pass').map((r) => `${r.subject.ref.kind} ${r.subject.ref.name}`), ['Pod kube-apiserver-cp-1']);
  });
});
