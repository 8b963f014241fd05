// The pod-privileges, kernel-modules (workload) and node-placement checks on the real install
// manifests of the real-world corpus. Expectations were read off those files.

import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { Inventory } from '../../inventory/inventory.js';
import { parseKubeVersion } from '../../inventory/version.js';
import { createContext, evaluateCheck } from '../../scan/run.js';
import { loadPaths } from '../../sources/files.js';
import { describeWithCorpus } from '../../testing/corpus.js';
import type { Check, CheckContext, FailResult } from '../types.js';
import containerCanLoadKernelModules from '../kernel-modules/container-can-load-kernel-modules.js';
import podToleratesControlPlaneOrAllTaints from '../node-placement/pod-tolerates-control-plane-or-all-taints.js';
import containerRuntimeSocketMounted from './container-runtime-socket-mounted.js';
import namespaceWithoutPodSecurityEnforcement from './namespace-without-pod-security-enforcement.js';
import podViolatesBaselinePodSecurity from './pod-violates-baseline-pod-security.js';
import podViolatesRestrictedPodSecurity from './pod-violates-restricted-pod-security.js';
import writableSensitiveHostPath from './writable-sensitive-host-path.js';

let ctx: CheckContext;

function failures(check: Check): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of evaluateCheck(check, ctx)) {
    if (r.status !== 'fail') continue;
    const key = `${r.subject.ref.kind} ${r.subject.ref.namespace ? `${r.subject.ref.namespace}/` : ''}${r.subject.ref.name}`;
    out.set(key, [...(out.get(key) ?? []), (r as FailResult).message]);
  }
  return out;
}

function passes(check: Check): string[] {
  return evaluateCheck(check, ctx).filter((r) => r.status === 'pass').map((r) => `${r.subject.ref.kind} ${r.subject.ref.name}`);
}

describeWithCorpus('real-world', 'real-world manifests', (realWorld) => {
  before(async () => {
    const load = await loadPaths([realWorld]);
    assert.deepEqual(load.errors, []);
    ctx = createContext(new Inventory(load.items), parseKubeVersion('v1.35.0'), new Date('2026-01-01T00:00:00Z'));
  });

  it('baseline: the CNI and MetalLB DaemonSets violate it, with the controller message', () => {
    const fails = failures(podViolatesBaselinePodSecurity);
    assert.deepEqual([...fails.keys()].sort(), ['DaemonSet kube-flannel/kube-flannel-ds', 'DaemonSet kube-system/calico-node', 'DaemonSet metallb-system/speaker']);
    const calico = fails.get('DaemonSet kube-system/calico-node')![0]!;
    assert.ok(calico.startsWith('violates PodSecurity "baseline:v1.35": host namespaces (hostNetwork=true), hostPath volumes (volumes "lib-modules", '), calico);
    assert.ok(calico.includes('privileged (containers "upgrade-ipam", "install-cni", "ebpf-bootstrap", "calico-node" must not set securityContext.privileged=true)'), calico);
    assert.ok(calico.endsWith("(policy version v1.35, the cluster's version)"), calico);
    const flannel = fails.get('DaemonSet kube-flannel/kube-flannel-ds')![0]!;
    assert.ok(flannel.startsWith('violates PodSecurity "baseline:v1.35": non-default capabilities (container "kube-flannel" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add), host namespaces (hostNetwork=true), hostPath volumes (volumes "run", "cni-plugin", "cni", "xtables-lock")'), flannel);
    // The speaker's probes target host 127.0.0.1: a baseline violation from policy 1.34.
    assert.match(fails.get('DaemonSet metallb-system/speaker')![0]!, /probe or lifecycle host \(container "speaker" uses probe or lifecycle host "127.0.0.1"\)/);
  });

  it('restricted: Argo CD, ingress-nginx and kube-state-metrics comply; the dashboard does not', () => {
    const fails = failures(podViolatesRestrictedPodSecurity);
    for (const name of ['argocd-server', 'argocd-repo-server', 'argocd-redis', 'argocd-dex-server', 'argocd-applicationset-controller', 'argocd-notifications-controller']) {
      assert.ok(passes(podViolatesRestrictedPodSecurity).includes(`Deployment ${name}`), name);
    }
    assert.ok(passes(podViolatesRestrictedPodSecurity).includes('StatefulSet argocd-application-controller'));
    assert.ok(passes(podViolatesRestrictedPodSecurity).includes('Deployment ingress-nginx-controller'));
    assert.ok(passes(podViolatesRestrictedPodSecurity).includes('Deployment kube-state-metrics'));
    assert.deepEqual(fails.get('Deployment kubernetes-dashboard/kubernetes-dashboard'), [
      'violates PodSecurity "restricted:v1.35": unrestricted capabilities (container "kubernetes-dashboard" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "kubernetes-dashboard" must set securityContext.runAsNonRoot=true) (policy version v1.35, the cluster\'s version)',
    ]);
    // Baseline violators are reported once, under the baseline check.
    assert.equal(fails.has('DaemonSet kube-system/calico-node'), false);
  });

  it('writable sensitive hostPaths: flannel writes the CNI binary and config directories (kube-system is not judged)', () => {
    const fails = failures(writableSensitiveHostPath);
    assert.deepEqual([...fails.keys()], ['DaemonSet kube-flannel/kube-flannel-ds']);
    assert.deepEqual(fails.get('DaemonSet kube-flannel/kube-flannel-ds'), [
      'hostPath volume "cni-plugin" (/opt/cni/bin) is mounted writable by container "install-cni-plugin" at /opt/cni/bin',
      'hostPath volume "cni" (/etc/cni/net.d, inside /etc) is mounted writable by container "install-cni" at /etc/cni/net.d',
    ]);
    assert.equal(failures(containerRuntimeSocketMounted).size, 0);
  });

  it('kernel modules: no workload outside kube-system can load them; flannel only adds NET_ADMIN/NET_RAW', () => {
    assert.equal(failures(containerCanLoadKernelModules).size, 0);
    const judged = passes(containerCanLoadKernelModules);
    assert.ok(judged.includes('DaemonSet kube-flannel-ds'));
    assert.ok(judged.includes('DaemonSet speaker'));
    assert.equal(judged.includes('DaemonSet calico-node'), false, 'calico-node runs in kube-system');
  });

  it('tolerations: flannel tolerates every NoSchedule taint; the dashboard and speaker tolerate the control-plane taints', () => {
    const fails = failures(podToleratesControlPlaneOrAllTaints);
    assert.deepEqual(fails.get('DaemonSet kube-flannel/kube-flannel-ds'), ['toleration 0 tolerates every NoSchedule taint, so the pods may run on control-plane nodes']);
    assert.ok(fails.has('Deployment kubernetes-dashboard/kubernetes-dashboard'));
    assert.equal(fails.get('DaemonSet metallb-system/speaker')!.length, 2);
    assert.equal([...fails.keys()].some((k) => k.includes('kube-system/')), false, 'system namespaces are not judged');
  });

  it('namespaces: flannel and MetalLB enforce privileged, the others have no label', () => {
    const fails = failures(namespaceWithoutPodSecurityEnforcement);
    assert.match(fails.get('Namespace kube-flannel')![0]!, /is labelled pod-security.kubernetes.io\/enforce=privileged/);
    assert.match(fails.get('Namespace metallb-system')![0]!, /is labelled pod-security.kubernetes.io\/enforce=privileged/);
    assert.match(fails.get('Namespace ingress-nginx')![0]!, /has no pod-security.kubernetes.io\/enforce label/);
    const notEvaluated = evaluateCheck(namespaceWithoutPodSecurityEnforcement, ctx).filter((r) => r.status === 'not-evaluated');
    assert.deepEqual(notEvaluated.map((r) => r.subject.ref.name), ['default'], 'Argo CD names no namespace and the input has no Namespace "default"');
  });
});
