// CIS 1.12 manual workload controls kubeward decides (5.2.7-5.2.12, 5.3.2, 5.4.1, 5.6.2, 5.6.4),
// broken one change at a time. kube-bench only warns on them; kubeward judges each by what the
// control asks a policy to keep out. Those the hardened cluster passes are broken on a copy of it.
// Their remediation asks them of "each namespace which has user workloads": kube-system's pods
// (static pods, kube-proxy, calico, coredns run as root, keep capabilities, mount host paths) pass
// them, so the hardened cluster passes every one. More cases run on small inputs.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cisControlCases, cisControls, cisManifestCases, editShopWeb, securityContext } from '../../src/testing/cis.js';
import { withTempTree } from '../../src/testing/cli.js';
import { REPO_ROOT } from '../../src/testing/index.js';

type Obj = Record<string, unknown>;

const WEB = editShopWeb;

cisControlCases('CIS 1.12 manual workload controls on the hardened cluster', [
  { control: '5.2.10', change: 'shop/web container with windowsOptions.hostProcess: true', mutate: WEB((_, c) => { securityContext(c).windowsOptions = { hostProcess: true }; }) },
  { control: '5.2.10', change: 'shop/web pod with windowsOptions.hostProcess: true', mutate: WEB((spec) => { securityContext(spec).windowsOptions = { hostProcess: true }; }) },
  { control: '5.2.12', change: 'shop/web container with hostPort 8080', mutate: WEB((_, c) => { c.ports = [{ containerPort: 8080, hostPort: 8080 }]; }) },
  { control: '5.2.12', change: 'shop/web container with hostPort: 0 (no host port)', mutate: WEB((_, c) => { c.ports = [{ containerPort: 8080, hostPort: 0 }]; }), expect: 'pass' },
  { control: '5.2.12', change: 'hostPort on coredns in kube-system (the platform\'s own namespace, not user workloads)', expect: 'pass', mutate: (t) => t.editObject('kube-system.yaml', 'Deployment', 'kube-system', 'coredns', (o) => {
    const container = ((((o.spec as Obj).template as Obj).spec as Obj).containers as Obj[])[0]!;
    container.ports = [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }];
  }) },
  { control: '5.2.7', change: 'shop/web pod and container without runAsNonRoot or runAsUser', mutate: WEB((spec, c) => {
    for (const context of [securityContext(spec), securityContext(c)]) {
      delete context.runAsNonRoot;
      delete context.runAsUser;
    }
  }) },
  { control: '5.2.8', change: 'shop/web container dropping nothing', mutate: WEB((_, c) => { delete securityContext(c).capabilities; }) },
  { control: '5.2.9', change: 'shop/web container adding NET_ADMIN', mutate: WEB((_, c) => { securityContext(c).capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }; }) },
  { control: '5.2.11', change: 'shop/web pod with a hostPath volume', mutate: WEB((spec) => { spec.volumes = [...((spec.volumes as Obj[] | undefined) ?? []), { name: 'logs', hostPath: { path: '/var/log' } }]; }) },
  { control: '5.6.2', change: 'shop/web pod and container without a seccomp profile', mutate: WEB((spec, c) => { delete securityContext(spec).seccompProfile; delete securityContext(c).seccompProfile; }) },

  { control: '5.3.2', change: 'namespace ci without its NetworkPolicies', mutate: (t) => t.editClusterFile('network.yaml', (text) => text.replace(/^- apiVersion: networking\.k8s\.io\/v1\n(?: .*\n)*?    namespace: ci\n(?: .*\n)*?(?=- |$)/gm, '')) },
  { control: '5.3.2', change: 'a new namespace without pods and without a NetworkPolicy (CIS asks every namespace)', mutate: (t) => t.addManifest('apiVersion: v1\nkind: Namespace\nmetadata: {name: staging}\n') },
  { control: '5.3.2', change: 'a new namespace whose only NetworkPolicy selects no pod', mutate: (t) => t.addManifest(`apiVersion: v1
kind: Namespace
metadata: {name: staging}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-db, namespace: staging}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}
`), expect: 'pass' },

  { control: '5.4.1', change: 'shop/web env from a secretKeyRef', mutate: WEB((_, c) => { c.env = [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-token', key: 'token' } } }]; }) },
  { control: '5.4.1', change: 'shop/web envFrom a Secret', mutate: WEB((_, c) => { c.envFrom = [{ secretRef: { name: 'web-token' } }]; }) },
  { control: '5.4.1', change: 'shop/web init container with a secretKeyRef', mutate: WEB((spec) => { spec.initContainers = [{ name: 'init', image: 'busybox:1.36', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'web-token', key: 'token' } } }] }]; }) },
  { control: '5.4.1', change: 'shop/web envFrom a ConfigMap', mutate: WEB((_, c) => { c.envFrom = [{ configMapRef: { name: 'web-config' } }]; }), expect: 'pass' },

  { control: '5.6.4', change: 'a ConfigMap that names no namespace (lands in default)', mutate: (t) => t.addManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: production}\n') },
  { control: '5.6.4', change: 'a Deployment in default', mutate: (t) => t.addManifest(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`) },
  { control: '5.6.4', change: 'the kubernetes Service, its EndpointSlice, the kube-root-ca.crt ConfigMap and a ResourceQuota in default', mutate: (t) => t.addManifest(`apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec: {ports: [{name: https, port: 443, targetPort: 6443}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: kubernetes, namespace: default, labels: {kubernetes.io/service-name: kubernetes}}
addressType: IPv4
endpoints: [{addresses: [10.0.0.10]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-root-ca.crt, namespace: default}
data: {ca.crt: "-----BEGIN CERTIFICATE-----"}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: nothing, namespace: default}
spec: {hard: {pods: "0"}}
`), expect: 'pass' },
]);

/** A pod in shop: `spec` goes under spec (indented two spaces), `container` under its container. */
const POD = (spec: string, container = '') => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
${spec}  containers:
  - name: app
    image: nginx:1.27
${container}`;
const RESTRICTED_POD = 'securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}';
const caps = (capabilities: string) => `    securityContext: {capabilities: ${capabilities}}\n`;

cisManifestCases('CIS 1.12 manual workload controls every kubeadm cluster fails, on small inputs', [
  { control: '5.2.7', change: 'runAsNonRoot: true on the pod', yaml: POD('  securityContext: {runAsNonRoot: true}\n'), expect: 'pass' },
  { control: '5.2.7', change: 'runAsUser: 1000 on the pod, no runAsNonRoot (CIS accepts MustRunAs without 0)', yaml: POD('  securityContext: {runAsUser: 1000}\n'), expect: 'pass' },
  { control: '5.2.7', change: 'neither runAsNonRoot nor runAsUser (the image decides)', yaml: POD(''), expect: 'fail' },
  { control: '5.2.7', change: 'the container overrides the pod\'s runAsNonRoot with false', yaml: POD('  securityContext: {runAsNonRoot: true}\n', '    securityContext: {runAsNonRoot: false}\n'), expect: 'fail' },
  { control: '5.2.7', change: 'the container overrides the pod\'s runAsUser with 0', yaml: POD('  securityContext: {runAsUser: 1000}\n', '    securityContext: {runAsUser: 0}\n'), expect: 'fail' },
  { control: '5.2.7', change: 'an init container without either, the regular one with runAsNonRoot', yaml: POD('  initContainers: [{name: init, image: busybox:1.36}]\n', '    securityContext: {runAsNonRoot: true}\n'), expect: 'fail' },

  { control: '5.2.8', change: 'drop [ALL]', yaml: POD('', caps('{drop: [ALL]}')), expect: 'pass' },
  { control: '5.2.8', change: 'drop [NET_RAW] only', yaml: POD('', caps('{drop: [NET_RAW]}')), expect: 'pass' },
  { control: '5.2.8', change: 'drop [net_raw] (the runtime upper-cases names)', yaml: POD('', caps('{drop: [net_raw]}')), expect: 'pass' },
  { control: '5.2.8', change: 'no capabilities (the runtime default set has NET_RAW)', yaml: POD(''), expect: 'fail' },
  { control: '5.2.8', change: 'drop [ALL], add [NET_RAW]', yaml: POD('', caps('{drop: [ALL], add: [NET_RAW]}')), expect: 'fail' },
  { control: '5.2.8', change: 'drop [ALL], add [ALL]', yaml: POD('', caps('{drop: [ALL], add: [ALL]}')), expect: 'fail' },
  { control: '5.2.8', change: 'drop [ALL, NET_RAW], add [NET_RAW] (single drops win)', yaml: POD('', caps('{drop: [ALL, NET_RAW], add: [NET_RAW]}')), expect: 'pass' },
  { control: '5.2.8', change: 'a Windows pod (no Linux capabilities)', yaml: POD('  os: {name: windows}\n'), expect: 'pass' },

  { control: '5.2.9', change: 'drop [ALL]', yaml: POD('', caps('{drop: [ALL]}')), expect: 'pass' },
  { control: '5.2.9', change: 'drop [NET_RAW] only (the rest of the default set stays)', yaml: POD('', caps('{drop: [NET_RAW]}')), expect: 'fail' },
  { control: '5.2.9', change: 'drop [ALL], add [NET_BIND_SERVICE] (Restricted allows it, CIS does not)', yaml: POD(`  ${RESTRICTED_POD}\n`, '    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n'), expect: 'fail' },
  { control: '5.2.9', change: 'drop [ALL] on the regular container, none on an ephemeral one', yaml: POD('  ephemeralContainers: [{name: debug, image: busybox:1.36}]\n', caps('{drop: [ALL]}')), expect: 'fail' },

  { control: '5.2.10', change: 'hostProcess: false', yaml: POD('  securityContext: {windowsOptions: {hostProcess: false}}\n'), expect: 'pass' },
  { control: '5.2.10', change: 'a HostProcess Windows pod', yaml: POD('  os: {name: windows}\n  hostNetwork: true\n  securityContext: {windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\SYSTEM"}}\n'), expect: 'fail' },

  { control: '5.2.11', change: 'an emptyDir volume', yaml: POD('  volumes: [{name: tmp, emptyDir: {}}]\n'), expect: 'pass' },
  { control: '5.2.11', change: 'a hostPath volume', yaml: POD('  volumes: [{name: logs, hostPath: {path: /var/log}}]\n'), expect: 'fail' },
  { control: '5.2.11', change: 'a hostPath volume in a CronJob template', yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          volumes: [{name: data, hostPath: {path: /data}}]
          containers: [{name: cleanup, image: busybox:1.36}]
`, expect: 'fail' },

  { control: '5.2.12', change: 'a hostPort', yaml: POD('', '    ports: [{containerPort: 80, hostPort: 80}]\n'), expect: 'fail' },

  { control: '5.6.2', change: 'RuntimeDefault on the pod', yaml: POD('  securityContext: {seccompProfile: {type: RuntimeDefault}}\n'), expect: 'pass' },
  { control: '5.6.2', change: 'Localhost on the container', yaml: POD('', '    securityContext: {seccompProfile: {type: Localhost, localhostProfile: profiles/app.json}}\n'), expect: 'pass' },
  { control: '5.6.2', change: 'no seccomp profile', yaml: POD(''), expect: 'fail' },
  { control: '5.6.2', change: 'RuntimeDefault on the pod, Unconfined on the container', yaml: POD('  securityContext: {seccompProfile: {type: RuntimeDefault}}\n', '    securityContext: {seccompProfile: {type: Unconfined}}\n'), expect: 'fail' },
  { control: '5.6.2', change: 'the legacy seccomp annotation only (ignored since 1.27)', yaml: POD('').replace('namespace: shop}', 'namespace: shop, annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}}'), expect: 'fail' },
  { control: '5.6.2', change: 'a Windows pod (no seccomp)', yaml: POD('  os: {name: windows}\n'), expect: 'pass' },
]);

describe('CIS 1.12 manual workload controls: the hardened cluster', () => {
  it('passes every manual workload control kubeward decides: kube-system runs the platform\'s own pods', async () => {
    const controls = await cisControls(join(REPO_ROOT, 'examples/hardened-cluster'));
    for (const id of ['5.2.7', '5.2.8', '5.2.9', '5.2.10', '5.2.11', '5.2.12', '5.3.2', '5.4.1', '5.6.2', '5.6.4']) assert.equal(controls.get(id)!.verdict, 'pass', id);
    // No objective rule decides "apply SecurityContext to your pods": it stays manual.
    assert.equal(controls.get('5.6.3')!.verdict, 'warn');
  });

  it('notes where CIS and Restricted judge a pod differently', async () => {
    // Meets Restricted with NET_BIND_SERVICE added; runs as UID 1000 without runAsNonRoot.
    const pods = `${POD(`  ${RESTRICTED_POD}\n`, '    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}\n')}---
${POD('  securityContext: {runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}\n', '    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n').replace('name: p,', 'name: q,')}`;
    await withTempTree({ 'pods.yaml': pods }, async (dir) => {
      const controls = await cisControls(dir);
      const notes = (id: string) => controls.get(id)!.evidence.map((e) => `${e.resource.name} ${e.outcome}: ${e.note ?? ''}`);
      assert.deepEqual(notes('5.2.9'), ['p fail: CIS counts every capability a container keeps or adds; Restricted allows adding NET_BIND_SERVICE after drop ALL']);
      assert.deepEqual(notes('5.2.7'), ['q pass: CIS accepts a non-zero runAsUser in place of runAsNonRoot: true; Restricted asks runAsNonRoot: true']);
      assert.equal(controls.get('5.2.7')!.verdict, 'pass');
    });
  });
});
