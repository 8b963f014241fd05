import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseKubeVersion } from '../../inventory/version.js';
import { REPO_ROOT, runCheckOnYaml } from '../../testing/index.js';
import alphaFeatureGateEnabled from './alpha-feature-gate-enabled.js';
import { gateAt, parseGates } from './gates.js';
import { parseRuntimeConfig } from './runtime-config.js';

const v = (text: string) => parseKubeVersion(text)!;

describe('feature gate data', () => {
  const data = JSON.parse(readFileSync(join(REPO_ROOT, 'data/feature-gates.json'), 'utf8')) as { source: { files: string[] }; gates: Record<string, { since: string }[]> };

  it('records its sources and lists the gates of kube_features.go and the apiserver', () => {
    assert.ok(data.source.files.some((f) => f.includes('pkg/features/kube_features.go')));
    assert.ok(data.source.files.some((f) => f.includes('staging/src/k8s.io/apiserver/pkg/features/kube_features.go')));
    for (const gate of ['InPlacePodVerticalScaling', 'UserNamespacesSupport', 'StorageVersionAPI', 'KMSv1', 'AnonymousAuthConfigurableEndpoints', 'ValidatingAdmissionPolicy', 'CustomCPUCFSQuotaPeriod', 'AppArmor', 'CPUManager']) {
      assert.ok(data.gates[gate], `${gate} missing`);
    }
    assert.ok(Object.keys(data.gates).length >= 230);
  });

  it('keeps every gate\'s specs in version order', () => {
    const minor = (s: string) => Number(s.split('.')[1]) + 1000 * Number(s.split('.')[0]);
    for (const [name, specs] of Object.entries(data.gates)) {
      for (let i = 1; i < specs.length; i++) assert.ok(minor(specs[i - 1]!.since) <= minor(specs[i]!.since), name);
    }
  });
});

describe('gate stage at a version', () => {
  it('takes the last spec not after the version', () => {
    const at = (version: string) => {
      const lookup = gateAt('UserNamespacesSupport', v(version));
      return lookup.known ? `${lookup.spec.stage}:${lookup.spec.default}` : 'unknown';
    };
    assert.equal(at('v1.24.0'), 'unknown');
    assert.equal(at('v1.25.3'), 'alpha:false');
    assert.equal(at('v1.30.2'), 'beta:false');
    assert.equal(at('v1.33.0'), 'beta:true');
  });
  it('knows gates removed since, at the versions that had them', () => {
    const lookup = gateAt('AppArmor', v('v1.30.2'));
    assert.ok(lookup.known && lookup.spec.stage === 'beta' && lookup.spec.default);
  });
  it('says when the version is newer than the data', () => {
    const lookup = gateAt('StorageVersionAPI', v('v1.40.0'));
    assert.ok(lookup.known && lookup.asOf === '1.37' && lookup.spec.stage === 'alpha');
  });
  it('does not know gates it has no data for', () => {
    assert.equal(gateAt('NoSuchGate', v('v1.30.0')).known, false);
  });
});

describe('flag parsing', () => {
  it('parses --feature-gates with Go ParseBool values', () => {
    const { gates, invalid } = parseGates('A=true, B=False,C=1,D=yes,E');
    assert.deepEqual([...gates], [['A', true], ['B', false], ['C', true]]);
    assert.deepEqual(invalid, ['D=yes', 'E']);
  });
  it('parses --runtime-config keys, stages and bare keys', () => {
    const entries = parseRuntimeConfig('api/all=true,resource.k8s.io/v1alpha3,batch/v2beta1=false,v1=true');
    assert.deepEqual(entries.map((e) => [e.key, e.enabled, e.stage]), [
      ['api/all', true, undefined],
      ['resource.k8s.io/v1alpha3', true, 'alpha'],
      ['batch/v2beta1', false, 'beta'],
      ['v1', true, 'ga'],
    ]);
  });
});

describe('feature gate checks without a version or a component', () => {
  const pod = (flags: string, image = 'registry.k8s.io/kube-apiserver') => `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: ${image}
    command: [kube-apiserver, ${flags}]`;

  it('is not evaluated when the version is unknown', async () => {
    const results = await runCheckOnYaml(alphaFeatureGateEnabled, pod('--feature-gates=InPlacePodVerticalScaling=true'));
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
  });
  it('is not evaluated for a gate missing from the data', async () => {
    const results = await runCheckOnYaml(alphaFeatureGateEnabled, pod('--feature-gates=NoSuchGate=true'), 'v1.30.2');
    assert.deepEqual(results.map((r) => r.status), ['not-evaluated']);
  });
  it('reports one not-evaluated result when no component is in the input', async () => {
    const results = await runCheckOnYaml(alphaFeatureGateEnabled, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'not-evaluated');
  });
});
