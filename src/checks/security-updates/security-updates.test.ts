import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from '../../testing/index.js';
import kubeletVersionSkewUnsupported from './kubelet-version-skew-unsupported.js';
import kubernetesVersionEndOfLife from './kubernetes-version-end-of-life.js';
import kubernetesVersionWithKnownCve from './kubernetes-version-with-known-cve.js';
import { API_SERVER_EXAMPLE, CLUSTER_EXAMPLE, NODE_EXAMPLE, STORAGE_CLASS_EXAMPLE } from './versions.js';

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

  describe('conditional CVEs', () => {
    const PORTWORX = 'kubernetes.io/portworx-volume';
    /** The failure message of each CVE the check reports, by CVE id. */
    const cveFindings = async (yaml: string, k8sVersion?: string) => {
      const results = await runExample(kubernetesVersionWithKnownCve, { description: 'test', yaml, ...(k8sVersion ? { k8sVersion } : {}) });
      assert.ok(results.length > 0);
      return new Map(results.flatMap((r) => (r.status === 'fail' ? [[/CVE-\d+-\d+/.exec(r.message)![0], r.message] as const] : [])));
    };
    const stream = (...documents: string[]) => documents.join('\n---\n');

    it('leaves out the Portworx CVE when the StorageClasses read from the cluster use no Portworx', async () => {
      const found = await cveFindings(stream(
        API_SERVER_EXAMPLE('v1.32.9'),
        STORAGE_CLASS_EXAMPLE('standard', 'rancher.io/local-path', '0b7e4c1a-3f55-4d2e-9c1b-7a8d2e6f4b90'),
        STORAGE_CLASS_EXAMPLE('ebs', 'ebs.csi.aws.com', '9a4f2c61-1d3b-4e8a-b0c7-5e2f8d1a6c34'),
      ));
      assert.deepEqual([...found.keys()], []);
    });

    it('reports the Portworx CVE as met when a StorageClass uses the in-tree provisioner', async () => {
      const found = await cveFindings(stream(
        API_SERVER_EXAMPLE('v1.32.9'),
        STORAGE_CLASS_EXAMPLE('standard', 'rancher.io/local-path', '0b7e4c1a-3f55-4d2e-9c1b-7a8d2e6f4b90'),
        STORAGE_CLASS_EXAMPLE('px-fast', PORTWORX, 'c3e9a0b2-7f14-4b6d-8e25-1a9c0d3f7e58'),
      ));
      assert.deepEqual([...found.keys()], ['CVE-2025-13281']);
      assert.match(found.get('CVE-2025-13281')!, /; met: StorageClass px-fast uses kubernetes\.io\/portworx-volume\./);
    });

    it('keeps the Portworx CVE when the StorageClasses are written by hand: a manifest folder does not show the cluster', async () => {
      const found = await cveFindings(stream(API_SERVER_EXAMPLE('v1.32.9'), STORAGE_CLASS_EXAMPLE('standard', 'rancher.io/local-path')));
      assert.match(found.get('CVE-2025-13281')!, /could not be checked from the input: the input holds no StorageClass read from the cluster \(add the output of kubectl get storageclasses -o yaml;/);
    });

    it('decides the DynamicResourceAllocation CVE from the API server\'s gates and the version\'s defaults', async () => {
      // 1.33.1: DynamicResourceAllocation is beta and off by default.
      const withFlags = (...flags: string[]) => cveFindings(stream(API_SERVER_EXAMPLE('v1.33.1', flags), STORAGE_CLASS_EXAMPLE('standard', 'rancher.io/local-path', '0b7e4c1a-3f55-4d2e-9c1b-7a8d2e6f4b90')));
      assert.deepEqual([...(await withFlags()).keys()], ['CVE-2025-5187']);
      assert.deepEqual([...(await withFlags('--feature-gates=AllBeta=true,DynamicResourceAllocation=false')).keys()], ['CVE-2025-5187']);
      const on = await withFlags('--feature-gates=DynamicResourceAllocation=true');
      assert.deepEqual([...on.keys()], ['CVE-2025-5187', 'CVE-2025-4563']);
      assert.match(on.get('CVE-2025-4563')!, /; met: Pod kube-system\/kube-apiserver-cp-1 enables feature gate DynamicResourceAllocation \(--feature-gates at .+:\d+ \(spec\.containers\[0\]\.command\[\d+\]\)\)\./);
      const allBeta = await withFlags('--feature-gates=AllBeta=true');
      assert.match(allBeta.get('CVE-2025-4563')!, /enables feature gate DynamicResourceAllocation \(AllBeta=true, --feature-gates at /);
    });

    it('says what is missing when the input holds no API server to read the gates of', async () => {
      const found = await cveFindings(NODE_EXAMPLE('worker-1', 'v1.35.9'), 'v1.33.1');
      assert.match(found.get('CVE-2025-4563')!, /; could not be checked from the input: no kube-apiserver static pod or process in the input/);
    });

    it('decides the ImagePolicyWebhook CVE from the API server\'s admission plugins', async () => {
      const plugins = (list: string) => cveFindings(API_SERVER_EXAMPLE('v1.27.2', [`--enable-admission-plugins=${list}`]));
      assert.equal((await plugins('NodeRestriction')).has('CVE-2023-2727'), false);
      const on = await plugins('NodeRestriction,ImagePolicyWebhook');
      assert.match(on.get('CVE-2023-2727')!, /; met: Pod kube-system\/kube-apiserver-cp-1 runs admission plugin ImagePolicyWebhook \(--enable-admission-plugins at /);
    });

    it('decides the mountable-secrets CVE from the ServiceAccounts read from the cluster', async () => {
      const serviceAccount = (name: string, annotations: string, uid = '') => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: shop${uid ? `\n  uid: ${uid}` : ''}
  annotations: {${annotations}}`;
      const namespace = (name: string, uid: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, uid: ${uid}}`;
      const apiServer = API_SERVER_EXAMPLE('v1.26.5');
      const shop = namespace('shop', '7c6b5a49-3827-4165-9483-726150493827');
      const listed = await cveFindings(stream(apiServer, shop, serviceAccount('default', '', '1f0e2d3c-4b5a-4698-8776-5a4b3c2d1e0f')));
      assert.equal(listed.has('CVE-2023-2728'), false);
      const enforced = await cveFindings(stream(apiServer, serviceAccount('builder', '"kubernetes.io/enforce-mountable-secrets": "true"', '2e1f3d4c-5b6a-4798-9887-6b5c4d3e2f10')));
      assert.match(enforced.get('CVE-2023-2728')!, /; met: ServiceAccount shop\/builder sets kubernetes\.io\/enforce-mountable-secrets: "true"\./);
      // A dump of some namespaces' ServiceAccounts: namespace ci has none in the input, though every namespace has one.
      const someNamespaces = await cveFindings(stream(apiServer, shop, namespace('ci', '8d7c6b5a-4938-4276-a594-837261504938'), serviceAccount('default', '', '1f0e2d3c-4b5a-4698-8776-5a4b3c2d1e0f')));
      assert.match(someNamespaces.get('CVE-2023-2728')!, /could not be checked from the input: the input holds no ServiceAccount of namespace ci, and every namespace has one/);
      const withoutNamespaces = await cveFindings(stream(apiServer, serviceAccount('default', '', '1f0e2d3c-4b5a-4698-8776-5a4b3c2d1e0f')));
      assert.match(withoutNamespaces.get('CVE-2023-2728')!, /could not be checked from the input: the input holds no Namespace read from the cluster \(add the output of kubectl get namespaces -o yaml;/);
      const handWritten = await cveFindings(stream(apiServer, serviceAccount('default', '')));
      assert.match(handWritten.get('CVE-2023-2728')!, /could not be checked from the input: the input holds no ServiceAccount read from the cluster \(add the output of kubectl get serviceaccounts -A -o yaml;/);
    });
  });
});
