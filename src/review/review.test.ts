// kubeward review on real install manifests (the real-world corpus): facts checked by hand
// against the files.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { buildInventory } from '../scan/run.js';
import { loadPaths } from '../sources/files.js';
import { corpus, describeWithCorpus } from '../testing/corpus.js';

const REAL_WORLD = corpus('real-world').path;
import { formatReview } from './format.js';
import { reviewIntegration, type IntegrationReview } from './review.js';

async function review(dir: string, namespace?: string): Promise<IntegrationReview> {
  const load = await loadPaths([join(REAL_WORLD, dir)]);
  assert.deepEqual(load.errors, []);
  return reviewIntegration(buildInventory(load, namespace));
}

const account = (r: IntegrationReview, ns: string, name: string) => {
  const sa = r.serviceAccounts.find((s) => s.serviceAccount.namespace === ns && s.serviceAccount.name === name);
  assert.ok(sa, `no ServiceAccount ${ns}/${name}`);
  return sa;
};

describeWithCorpus('real-world', 'kubeward review (real-world manifests)', () => {
  it('argo-cd: the application controller holds "*" on "*" cluster-wide; the server patches webhooks', async () => {
    const r = await review('argo-cd', 'argocd');
    assert.equal(r.risk, 'critical');
    const controller = account(r, 'argocd', 'argocd-application-controller');
    assert.deepEqual(controller.permissions[0]!.rules.find((p) => p.resources.includes('*')), { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [] });
    assert.match(controller.can[0]!, /cluster-admin/);
    assert.deepEqual(controller.escalation.map((e) => e.target), ['cluster-admin', 'nodes', 'secrets']);
    // argocd-server: delete/get/patch on */* includes patching MutatingWebhookConfigurations.
    assert.match(account(r, 'argocd', 'argocd-server').escalation[0]!.path, /\[mutating-webhook\] cluster-admin$/);
    assert.deepEqual(r.customResourceDefinitions.map((c) => c.name).sort(), ['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']);
    assert.ok(r.reasons[0]!.startsWith('[critical]'));
  });

  it('calico: calico-node runs privileged with host networking in kube-system', async () => {
    const r = await review('calico');
    assert.equal(r.risk, 'critical');
    const node = r.workloads.find((w) => w.ref.kind === 'DaemonSet' && w.ref.name === 'calico-node');
    assert.ok(node);
    assert.equal(node.serviceAccount, 'calico-node');
    assert.match(node.hostAccess, /privileged/);
    assert.match(node.hostAccess, /hostNetwork/);
    assert.equal(r.customResourceDefinitions.length, 23);
    // ServiceAccount 3, DaemonSet, Deployment, PodDisruptionBudget, ConfigMap: all in kube-system.
    assert.equal(r.kubeSystemObjects.length, 7);
  });

  it('metallb: six validating webhooks, failurePolicy Fail, on its own resources only', async () => {
    const r = await review('metallb');
    assert.equal(r.webhooks.length, 6);
    assert.ok(r.webhooks.every((w) => w.failurePolicy === 'Fail' && w.ownResourcesOnly && w.ref.name === 'metallb-webhook-configuration'));
    const speaker = r.workloads.find((w) => w.ref.name === 'speaker');
    assert.ok(speaker);
    assert.match(speaker.hostAccess, /NET_RAW/);
    assert.match(speaker.hostAccess, /hostNetwork/);
  });

  it('ingress-nginx: the controller lists every Secret; the admission job rewrites any ValidatingWebhookConfiguration', async () => {
    const r = await review('ingress-nginx');
    assert.equal(r.risk, 'critical');
    assert.ok(account(r, 'ingress-nginx', 'ingress-nginx').can.includes('reads every Secret of the cluster'));
    assert.match(account(r, 'ingress-nginx', 'ingress-nginx-admission').escalation[0]!.path, /\[validating-webhook\] secrets/);
    const hook = r.webhooks.find((w) => w.webhook === 'validate.nginx.ingress.kubernetes.io');
    assert.ok(hook);
    assert.equal(hook.scope, 'every namespace, kube-system included');
    assert.match(hook.sees, /CREATE\/UPDATE ingresses/);
  });

  it('kube-state-metrics: read-only cluster-wide, no namespaced alternative offered', async () => {
    const r = await review('kube-state-metrics');
    const ksm = account(r, 'kube-system', 'kube-state-metrics');
    assert.deepEqual(ksm.alternatives, []);
    assert.ok(ksm.can.includes('reads every Secret of the cluster'));
  });

  it('local-path-provisioner: creates PersistentVolumes (hostPath: the node filesystem)', async () => {
    const r = await review('local-path-provisioner');
    const sa = account(r, 'local-path-storage', 'local-path-provisioner-service-account');
    assert.ok(sa.escalation.some((e) => e.target === 'nodes' && e.path.includes('[persistent-volume]')));
  });

  it('formats as text and JSON', async () => {
    const r = await review('flannel');
    const text = formatReview(r, 'text');
    assert.match(text, /^Risk: (CRITICAL|HIGH|MEDIUM|LOW)\n/);
    assert.match(text, /Pods with host access \(1\)/);
    assert.equal(JSON.parse(formatReview(r, 'json')).kind, 'IntegrationReview');
  });

  it('offers a namespaced alternative for namespaced write grants made cluster-wide', async () => {
    const r = await review('argo-cd', 'argocd');
    const alt = account(r, 'argocd', 'argocd-applicationset-controller').alternatives;
    assert.equal(alt.length, 1);
    assert.match(alt[0]!, /ClusterRoleBinding argocd-applicationset-controller grants ClusterRole argocd-applicationset-controller in every namespace/);
  });
});
