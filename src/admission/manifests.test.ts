// `kubeward webhook manifests`: what it prints, and that kubeward's own scan of it finds nothing
// at medium or above.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { kubeward, tempTree } from '../testing/cli.js';
import { parseConfig } from './config.js';
import { webhookManifests } from './manifests.js';
import { objectsFromYaml } from './testing.js';

interface Webhook {
  name: string;
  failurePolicy: string;
  admissionReviewVersions: string[];
  sideEffects: string;
  timeoutSeconds: number;
  rules: { apiGroups: string[]; resources: string[]; operations: string[] }[];
  namespaceSelector: { matchExpressions: { key: string; operator: string; values: string[] }[] };
  matchConditions: { name: string; expression: string }[];
  clientConfig: { service: { name: string; namespace: string; path: string } };
}

describe('webhook manifests', () => {
  it('kubeward scan of the printed manifests has no failure at medium or above', () => {
    const printed = kubeward(['webhook', 'manifests', '--namespace', 'guard']);
    assert.equal(printed.status, 0, printed.stderr);
    const tree = tempTree({ 'webhook.yaml': printed.stdout });
    try {
      const scan = kubeward(['scan', join(tree.dir, 'webhook.yaml'), '--format', 'json', '--fail-on', 'medium']);
      const report = JSON.parse(scan.stdout) as { findings: { status: string; severity: string; check: string }[] };
      const bad = report.findings.filter((f) => f.status === 'fail' && ['medium', 'high', 'critical'].includes(f.severity));
      assert.deepEqual(bad, []);
      assert.equal(scan.status, 0, scan.stderr);
    } finally {
      tree.cleanup();
    }
  });

  it('runs highly available, restricted, with list/watch-only RBAC', () => {
    const objects = objectsFromYaml(kubeward(['webhook', 'manifests', '-n', 'guard', '--image', 'registry.example/kubeward:1']).stdout);
    const kinds = objects.map((o) => o.kind).sort();
    assert.deepEqual(kinds, ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'ResourceQuota', 'Service', 'ServiceAccount', 'ValidatingWebhookConfiguration']);
    const deployment = objects.find((o) => o.kind === 'Deployment')!.spec as { replicas: number; template: { spec: { topologySpreadConstraints: unknown[]; containers: { image: string; resources: unknown; securityContext: Record<string, unknown> }[] } } };
    assert.equal(deployment.replicas, 3);
    assert.equal(deployment.template.spec.topologySpreadConstraints.length, 2);
    assert.equal(deployment.template.spec.containers[0]!.image, 'registry.example/kubeward:1');
    assert.equal(deployment.template.spec.containers[0]!.securityContext.readOnlyRootFilesystem, true);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget')!.spec as { minAvailable: number };
    assert.equal(pdb.minAvailable, 2);
    const role = objects.find((o) => o.kind === 'ClusterRole') as unknown as { rules: { resources: string[]; verbs: string[] }[] };
    for (const rule of role.rules) assert.deepEqual(rule.verbs, ['list', 'watch']);
    assert.ok(!role.rules.some((r) => r.resources.includes('secrets')), 'the webhook never reads Secrets');
  });

  it('fails closed for enforcing rules and open for warn-only ones, skipping kube-system, itself and system components', () => {
    const config = parseConfig('apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\ntimeoutSeconds: 5\nactions: {network-access: warn, pod-privileges: warn, kernel-modules: warn, cloud-metadata: warn, node-placement: warn}\n', 'c.yaml');
    const vwc = webhookManifests({ namespace: 'guard', image: 'x', config }).find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
    const webhooks = vwc.webhooks as Webhook[];
    const enforce = webhooks.find((w) => w.failurePolicy === 'Fail')!;
    const warn = webhooks.find((w) => w.failurePolicy === 'Ignore')!;
    const resources = (w: Webhook) => w.rules.flatMap((r) => r.resources);
    assert.ok(resources(enforce).includes('clusterrolebindings'), 'RBAC escalation enforces by default');
    assert.ok(resources(warn).includes('pods') && resources(warn).includes('networkpolicies') && resources(warn).includes('services'));
    assert.ok(!resources(enforce).includes('pods'));
    for (const w of webhooks) {
      assert.deepEqual(w.admissionReviewVersions, ['v1']);
      assert.equal(w.sideEffects, 'None');
      assert.equal(w.timeoutSeconds, 5);
      assert.deepEqual(w.namespaceSelector.matchExpressions[0]!.values, ['kube-system', 'guard']);
      assert.deepEqual(w.clientConfig.service, { name: 'kubeward-webhook', namespace: 'guard', path: '/validate', port: 443 });
      for (const r of w.rules) assert.deepEqual(r.operations, ['CREATE', 'UPDATE']);
      const run = plan(celEnv({ funcs: strings }), parse(w.matchConditions[0]!.expression));
      const asUser = (username: string) => {
        const result = run({ request: new Map([['userInfo', new Map([['username', username]])]]) } as never);
        assert.ok(!isCelError(result), String(result));
        return result;
      };
      assert.equal(asUser('alice'), true);
      assert.equal(asUser('system:serviceaccount:ci:deployer'), true);
      for (const system of ['system:node:worker-1', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:serviceaccount:kube-system:replicaset-controller']) assert.equal(asUser(system), false, system);
    }
  });

  it('takes a CA bundle instead of cert-manager injection; bad flags are usage errors', () => {
    const tree = tempTree({ 'ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'bad.pem': 'hello' });
    try {
      const objects = objectsFromYaml(kubeward(['webhook', 'manifests', '--ca-bundle', join(tree.dir, 'ca.pem')]).stdout);
      const vwc = objects.find((o) => o.kind === 'ValidatingWebhookConfiguration')!;
      assert.equal(vwc.metadata?.annotations, undefined);
      assert.ok((vwc.webhooks as { clientConfig: { caBundle: string } }[]).every((w) => Buffer.from(w.clientConfig.caBundle, 'base64').toString().includes('BEGIN CERTIFICATE')));
      const bad = kubeward(['webhook', 'manifests', '--ca-bundle', join(tree.dir, 'bad.pem')]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /bad\.pem: not a PEM certificate/);
      assert.equal(kubeward(['webhook', 'manifests', '--replicas', '0']).status, 2);
    } finally {
      tree.cleanup();
    }
  });
});
