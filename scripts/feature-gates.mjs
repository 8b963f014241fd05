// Builds data/feature-gates.json from scripts/feature-gates.specs.txt, the versioned feature-gate
// specs transcribed from upstream Kubernetes:
//   - pkg/features/kube_features.go, defaultVersionedKubernetesFeatureGates, as of the v1.35
//     development cycle (newest spec version 1.35). It carries the versioned specs of the
//     apiserver (staging/src/k8s.io/apiserver/pkg/features), apiextensions, controller-manager
//     and zpages gates too.
//   - the scheduler gates' versioned list of the v1.37 development cycle (newer DRA, scheduling
//     and pod-resources gates, and their 1.36/1.37 stages).
//   - pkg/features/versioned_kube_features.go at commit 0021731de5897e81f1d576a134db15c7c301eeff
//     (v1.32 development), for the gates removed before v1.35 (AppArmor, CPUManager, ...) and the
//     early history of the apiserver gates graduated since.
//   - staging/src/k8s.io/apiserver/pkg/features/kube_features.go at commit
//     67a171a1422cc5861491aadd69e51ce718196434 (v1.31 development, unversioned FeatureSpecs), for
//     the few apiserver gates neither list has (ValidatingAdmissionPolicy, KMSv2, ServerSideApply,
//     ...); recorded from 1.31 only.
// Usage: node scripts/feature-gates.mjs   (rewrites data/feature-gates.json)

import { readFileSync, writeFileSync } from 'node:fs';

const STAGES = { A: 'alpha', B: 'beta', G: 'ga', D: 'deprecated' };
const root = new URL('../', import.meta.url);
const text = readFileSync(new URL('scripts/feature-gates.specs.txt', root), 'utf8');

const gates = {};
for (const [index, raw] of text.split('\n').entries()) {
  const line = raw.trim();
  if (!line || line.startsWith('#')) continue;
  const [name, ...specs] = line.split(/\s+/);
  if (gates[name]) throw new Error(`line ${index + 1}: ${name} listed twice`);
  gates[name] = specs.map((spec) => {
    const m = /^(\d+\.\d+):([ABGD])([+-])(L?)$/.exec(spec);
    if (!m) throw new Error(`line ${index + 1}: bad spec "${spec}"`);
    return { since: m[1], stage: STAGES[m[2]], default: m[3] === '+', ...(m[4] ? { lockToDefault: true } : {}) };
  });
}

const data = {
  description: 'Stage (alpha, beta, ga, deprecated) and default of each Kubernetes feature gate per minor version: the spec in force at version V is the last one whose "since" is <= V. Gates absent here, or asked about before their first spec, are unknown to kubeward.',
  source: {
    files: [
      'kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates, v1.35 development)',
      'kubernetes/kubernetes scheduler feature gates (defaultVersionedKubernetesFeatureGates, v1.37 development)',
      'kubernetes/kubernetes pkg/features/versioned_kube_features.go @ 0021731de5897e81f1d576a134db15c7c301eeff (v1.32 development)',
      'kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/features/kube_features.go @ 67a171a1422cc5861491aadd69e51ce718196434 (v1.31 development)',
    ],
    newestVersion: '1.37',
    transcribed: '2026-11-29',
  },
  gates: Object.fromEntries(Object.entries(gates).sort(([a], [b]) => a.localeCompare(b))),
};
// One gate per line keeps the file small and its diffs readable.
const { gates: sorted, ...head } = data;
const body = Object.entries(sorted).map(([name, specs]) => `  ${JSON.stringify(name)}: ${JSON.stringify(specs)}`).join(',\n');
const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
writeFileSync(new URL('data/feature-gates.json', root), `${headText},\n  "gates": {\n${body.replace(/^/gm, '  ')}\n  }\n}\n`);
console.log(`${Object.keys(gates).length} gates written to data/feature-gates.json`);
