// Upstream's unit-test vectors (kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/
// policy/check_*_test.go), transcribed case by case: each pod as YAML, the upstream function it
// calls (named by the policy version it applies at), and the reason and detail upstream expects.
// Each group names the commit of the test file it was read from. Pods go through the inventory
// as a scan reads them; the check function runs directly, as upstream's test calls it, and again
// inside the engine's evaluation at that level and version.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec } from '../../inventory/pod.js';
import type { ObjectMeta } from '../../inventory/types.js';
import { inventoryFromYaml } from '../../testing/index.js';
import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/app-armor-profile.js';
import { capabilitiesBaseline } from './checks/capabilities-baseline.js';
import { capabilitiesRestricted } from './checks/capabilities-restricted.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMount, procMountRestricted } from './checks/proc-mount.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRoot } from './checks/run-as-non-root.js';
import { runAsUser } from './checks/run-as-user.js';
import { seLinuxOptionsCheck } from './checks/se-linux-options.js';
import { seccompProfileBaseline } from './checks/seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './checks/seccomp-profile-restricted.js';
import { sysctlsCheck } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import { evaluatePod } from './evaluate.js';
import type { CheckPodFn, PssCheck } from './types.js';

interface Vector {
  /** Upstream's test case name. */
  name: string;
  /** Metadata and spec of the pod, as YAML (indentation is free). */
  pod: string;
  /** Undefined when upstream expects the pod to be allowed. */
  reason?: string;
  detail?: string;
  /** Field paths, where upstream's field-error variant of the test lists them. */
  fields?: string[];
}

interface Group {
  /** The upstream test file and the commit it was read at. */
  file: string;
  commit: string;
  /** The upstream function the cases call, and the check and policy minor version it is ours at. */
  fn: string;
  check: PssCheck;
  minor: number;
  vectors: Vector[];
}

/** The function a check runs at a policy minor version. */
function versionAt(check: PssCheck, minor: number): CheckPodFn {
  const version = [...check.versions].reverse().find((v) => v.minimumMinor <= minor);
  assert.ok(version, `${check.id} has no version at 1.${minor}`);
  return version.checkPod;
}

/** Lets vectors sit indented in the code: the first line loses its indentation, the rest their common one. */
function dedent(text: string): string {
  const [first = '', ...rest] = text.replace(/^\n/, '').trimEnd().split('\n');
  const indent = Math.min(...rest.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return [first.trimStart(), ...rest.map((l) => l.slice(indent))].join('\n');
}

/** The pod as a scan sees it: parsed from YAML and taken from the inventory. */
function podOf(yaml: string): { metadata: ObjectMeta; spec: PodSpec } {
  const pods = inventoryFromYaml(`apiVersion: v1\nkind: Pod\n${dedent(yaml)}\n`, 'upstream-vector.yaml').podSpecs();
  assert.equal(pods.length, 1);
  return { metadata: pods[0]!.podMetadata, spec: pods[0]!.spec };
}

const NAME = 'metadata: {name: p}';

const GROUPS: Group[] = [
  {
    file: 'check_allowPrivilegeEscalation_test.go', commit: '78fc8e44052f699bf598f84b697b41e5a328c9c5',
    fn: 'allowPrivilegeEscalation_1_25', check: allowPrivilegeEscalation, minor: 25,
    vectors: [
      {
        name: 'multiple containers',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {allowPrivilegeEscalation: true}}
            - {name: d, securityContext: {allowPrivilegeEscalation: false}}`,
        reason: 'allowPrivilegeEscalation != false',
        detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
      },
      {
        name: 'windows pod, admit without checking privilegeEscalation',
        pod: `${NAME}
          spec: {os: {name: windows}, containers: [{name: a}]}`,
      },
      {
        name: 'linux pod, reject if security context is not set',
        pod: `${NAME}
          spec: {os: {name: linux}, containers: [{name: a}]}`,
        reason: 'allowPrivilegeEscalation != false',
        detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
      },
    ],
  },
  {
    file: 'check_allowPrivilegeEscalation_test.go', commit: '78fc8e44052f699bf598f84b697b41e5a328c9c5',
    fn: 'allowPrivilegeEscalation_1_8', check: allowPrivilegeEscalation, minor: 8,
    vectors: [
      {
        name: 'multiple containers',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {allowPrivilegeEscalation: true}}
            - {name: d, securityContext: {allowPrivilegeEscalation: false}}`,
        reason: 'allowPrivilegeEscalation != false',
        detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
      },
    ],
  },
  {
    file: 'check_appArmorProfile_test.go', commit: 'd7ce957d8a8729e0e9c2e365288277d742491a5b',
    fn: 'appArmorProfile_1_0', check: appArmorProfile, minor: 0,
    vectors: [
      {
        name: 'container with default AppArmor + extra annotations',
        pod: `
          metadata:
            name: p
            annotations: {container.apparmor.security.beta.kubernetes.io/test: runtime/default, env: prod}
          spec: {}`,
      },
      {
        name: 'container with local AppArmor + extra annotations',
        pod: `
          metadata:
            name: p
            annotations: {container.apparmor.security.beta.kubernetes.io/test: localhost/sec-profile01, env: dev}
          spec: {}`,
      },
      {
        name: 'container with no AppArmor annotations',
        pod: `
          metadata: {name: p, annotations: {env: dev}}
          spec: {}`,
      },
      { name: 'container with no annotations', pod: `${NAME}\nspec: {}` },
      {
        name: 'pod with runtime default',
        pod: `${NAME}
          spec: {securityContext: {appArmorProfile: {type: RuntimeDefault}}}`,
      },
      {
        name: 'container with localhost profile',
        pod: `${NAME}
          spec: {containers: [{name: foo, securityContext: {appArmorProfile: {type: RuntimeDefault}}}]}`,
      },
      {
        name: 'unconfined pod',
        pod: `${NAME}
          spec: {securityContext: {appArmorProfile: {type: Unconfined}}}`,
        reason: 'forbidden AppArmor profile',
        detail: 'pod must not set AppArmor profile type to "Unconfined"',
      },
      {
        name: 'unconfined container',
        pod: `${NAME}
          spec:
            securityContext: {appArmorProfile: {type: RuntimeDefault}}
            containers: [{name: foo, securityContext: {appArmorProfile: {type: Unconfined}}}]`,
        reason: 'forbidden AppArmor profile',
        detail: 'container "foo" must not set AppArmor profile type to "Unconfined"',
      },
      {
        name: 'unconfined init container',
        pod: `${NAME}
          spec:
            securityContext: {appArmorProfile: {type: RuntimeDefault}}
            containers: [{name: foo}]
            initContainers: [{name: bar, securityContext: {appArmorProfile: {type: Unconfined}}}]`,
        reason: 'forbidden AppArmor profile',
        detail: 'container "bar" must not set AppArmor profile type to "Unconfined"',
      },
      {
        name: 'multiple containers',
        pod: `
          metadata:
            name: p
            annotations:
              container.apparmor.security.beta.kubernetes.io/: bogus
              container.apparmor.security.beta.kubernetes.io/a: ''
              container.apparmor.security.beta.kubernetes.io/b: runtime/default
              container.apparmor.security.beta.kubernetes.io/c: localhost/
              container.apparmor.security.beta.kubernetes.io/d: localhost/foo
              container.apparmor.security.beta.kubernetes.io/e: unconfined
              container.apparmor.security.beta.kubernetes.io/f: unknown
          spec: {}`,
        reason: 'forbidden AppArmor profiles',
        detail: 'annotations must not set AppArmor profile type to ' +
          '"container.apparmor.security.beta.kubernetes.io/="bogus"", ' +
          '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", ' +
          '"container.apparmor.security.beta.kubernetes.io/f="unknown""',
      },
    ],
  },
  {
    file: 'check_capabilities_baseline_test.go', commit: 'd7ce957d8a8729e0e9c2e365288277d742491a5b',
    fn: 'capabilitiesBaseline_1_0', check: capabilitiesBaseline, minor: 0,
    vectors: [
      {
        name: 'multiple containers',
        pod: `${NAME}
          spec:
            containers:
            - {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
            - {name: b, securityContext: {capabilities: {add: [BAR, BAZ]}}}`,
        reason: 'non-default capabilities',
        detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
      },
    ],
  },
  {
    file: 'check_capabilities_restricted_test.go', commit: 'f10dfc6e304be3928f77e47f21f2960d1795169e',
    fn: 'capabilitiesRestricted_1_22', check: capabilitiesRestricted, minor: 22,
    vectors: [
      {
        name: 'multiple containers',
        pod: `${NAME}
          spec:
            containers:
            - {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
            - {name: b, securityContext: {capabilities: {add: [BAR, BAZ]}}}
            - {name: c, securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN], drop: [ALL, FOO]}}}`,
        reason: 'unrestricted capabilities',
        detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; ' +
          'containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
      },
    ],
  },
  {
    file: 'check_hostNamespaces_test.go', commit: '89b74acb59c25bdaece19c02bf1daef308e54fc4 (field paths: f5a2724d5b7aabb5c598a68250844762f6b0d668)',
    fn: 'hostNamespaces_1_0', check: hostNamespaces, minor: 0,
    vectors: [
      {
        name: 'multiple host namespaces',
        pod: `${NAME}
          spec: {hostNetwork: true, hostIPC: true, hostPID: true}`,
        reason: 'host namespaces',
        detail: 'hostNetwork=true, hostPID=true, hostIPC=true',
        fields: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'],
      },
    ],
  },
  {
    file: 'check_hostPathVolumes_test.go', commit: '7fc9c57df50702c276dcdc36c1e8f652a923eb16',
    fn: 'hostPathVolumes_1_0', check: hostPathVolumes, minor: 0,
    vectors: [
      {
        name: 'host path volumes',
        pod: `${NAME}
          spec: {volumes: [{name: a, hostPath: {}}, {name: b, hostPath: {}}, {name: c, emptyDir: {}}]}`,
        reason: 'hostPath volumes',
        detail: 'volumes "a", "b"',
      },
    ],
  },
  {
    file: 'check_hostPorts_test.go', commit: 'f5a2724d5b7aabb5c598a68250844762f6b0d668',
    fn: 'hostPorts_1_0', check: hostPorts, minor: 0,
    vectors: [
      {
        name: 'one container, one host port',
        pod: `${NAME}
          spec:
            containers:
            - {name: a, ports: [{hostPort: 0}]}
            - {name: b, ports: [{hostPort: 0}, {hostPort: 20}]}`,
        reason: 'hostPort',
        detail: 'container "b" uses hostPort 20',
        fields: ['spec.containers[1].ports[1].hostPort'],
      },
      {
        name: 'multiple containers, multiple host port',
        pod: `${NAME}
          spec:
            containers:
            - {name: a, ports: [{hostPort: 0}]}
            - {name: b, ports: [{hostPort: 0}, {hostPort: 10}, {hostPort: 20}]}
            - {name: c, ports: [{hostPort: 0}, {hostPort: 10}, {hostPort: 30}]}`,
        reason: 'hostPort',
        detail: 'containers "b", "c" use hostPorts 10, 20, 30',
        fields: [
          'spec.containers[1].ports[1].hostPort', 'spec.containers[1].ports[2].hostPort',
          'spec.containers[2].ports[1].hostPort', 'spec.containers[2].ports[2].hostPort',
        ],
      },
    ],
  },
  {
    file: 'check_hostProbesAndhostLifecycle_test.go', commit: '5e377f9484190488bbbcb3ac9d24cc8be55e792f',
    fn: 'hostProbesAndHostLifecycleV1Dot34', check: hostProbesAndHostLifecycle, minor: 34,
    vectors: [
      {
        name: 'valid pod with unset hosts',
        pod: `${NAME}
          spec:
            containers:
            - name: a
              livenessProbe: {httpGet: {}}
              readinessProbe: {tcpSocket: {}}
              lifecycle: {postStart: {httpGet: {}}}`,
      },
      {
        name: 'invalid pod with local host IP as probe host',
        pod: `${NAME}
          spec:
            containers:
            - name: a
              livenessProbe: {httpGet: {host: 127.0.0.1}}
              readinessProbe: {tcpSocket: {host: '::1'}}
              startupProbe: {httpGet: {host: localhost}}`,
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
      },
      {
        name: 'invalid httpget host in liveness probe',
        pod: `${NAME}
          spec: {containers: [{name: a, livenessProbe: {httpGet: {host: invalid.host}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle host "invalid.host"',
      },
      {
        name: 'invalid tcpsocket host in readiness probe',
        pod: `${NAME}
          spec: {containers: [{name: b, readinessProbe: {tcpSocket: {host: invalid.host}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "b" uses probe or lifecycle host "invalid.host"',
      },
      {
        name: 'invalid httpget host in startup probe',
        pod: `${NAME}
          spec: {containers: [{name: c, startupProbe: {httpGet: {host: invalid.host}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "c" uses probe or lifecycle host "invalid.host"',
      },
      {
        name: 'invalid poststart tcpsocket host',
        pod: `${NAME}
          spec: {containers: [{name: d, lifecycle: {postStart: {tcpSocket: {host: invalid.host}}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "d" uses probe or lifecycle host "invalid.host"',
      },
      {
        name: 'invalid prestop httpget host',
        pod: `${NAME}
          spec: {containers: [{name: e, lifecycle: {preStop: {httpGet: {host: another.invalid.host}}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "e" uses probe or lifecycle host "another.invalid.host"',
      },
      {
        name: 'multiple containers with multiple invalid hosts',
        pod: `${NAME}
          spec:
            containers:
            - name: valid
            - {name: invalid1, livenessProbe: {httpGet: {host: a.com}}}
            - name: invalid2
              lifecycle: {preStop: {tcpSocket: {host: b.com}}}
              startupProbe: {httpGet: {host: a.com}}`,
        reason: 'probe or lifecycle host',
        detail: 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
      },
      {
        name: 'invalid ipv4 host in probe',
        pod: `${NAME}
          spec: {containers: [{name: a, livenessProbe: {httpGet: {host: 8.8.8.8}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle host "8.8.8.8"',
      },
      {
        name: 'invalid ipv6 host in probe',
        pod: `${NAME}
          spec: {containers: [{name: a, livenessProbe: {tcpSocket: {host: '2001:4860:4860::8888'}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle host "2001:4860:4860::8888"',
      },
      {
        name: 'invalid host in initcontainer',
        pod: `${NAME}
          spec: {initContainers: [{name: init, livenessProbe: {httpGet: {host: invalid.init.host}}}]}`,
        reason: 'probe or lifecycle host',
        detail: 'container "init" uses probe or lifecycle host "invalid.init.host"',
      },
    ],
  },
  {
    file: 'check_privileged_test.go', commit: 'abd60651f20b906e54ce2c89ad6d2b7790dba8a1',
    fn: 'privileged_1_0', check: privileged, minor: 0,
    vectors: [
      {
        name: 'privileged',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {privileged: false}}
            - {name: d, securityContext: {privileged: true}}
            - {name: e, securityContext: {privileged: true}}`,
        reason: 'privileged',
        detail: 'containers "d", "e" must not set securityContext.privileged=true',
      },
    ],
  },
  {
    file: 'check_procMount_test.go', commit: '9b1230e88478e693f3a3a9a19fdecd3ec524788b',
    fn: 'procMount_1_0', check: procMount, minor: 0,
    vectors: [
      {
        name: 'procMount',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {procMount: Default}}
            - {name: d, securityContext: {procMount: Unmasked}}
            - {name: e, securityContext: {procMount: other}}`,
        reason: 'procMount',
        detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
      },
    ],
  },
  {
    file: 'check_procMount_baseline_test.go', commit: '1dc8b4f20f8cd7581b3175390bcca93dbcd517e5',
    fn: 'procMount1_35baseline', check: procMount, minor: 35,
    vectors: [
      {
        name: 'procMount',
        pod: `${NAME}
          spec:
            hostUsers: true
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {procMount: Default}}
            - {name: d, securityContext: {procMount: Unmasked}}
            - {name: e, securityContext: {procMount: other}}`,
        reason: 'procMount',
        detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
      },
      {
        name: 'procMount with userns',
        pod: `${NAME}
          spec:
            hostUsers: false
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {procMount: Default}}
            - {name: d, securityContext: {procMount: Unmasked}}
            - {name: e, securityContext: {procMount: other}}`,
      },
    ],
  },
  {
    // Upstream runs procMount_1_0 with hostUsers true and false; the restricted check runs it from 1.35.
    file: 'check_procMount_restricted_test.go', commit: '0c9cbba9f88762ac3ec2f26f53f1216064a9fed3',
    fn: 'procMount_1_0 (procMount_restricted)', check: procMountRestricted, minor: 35,
    vectors: ['true', 'false'].map((hostUsers) => ({
      name: `procMount (hostUsers: ${hostUsers})`,
      pod: `${NAME}
          spec:
            hostUsers: ${hostUsers}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {procMount: Default}}
            - {name: d, securityContext: {procMount: Unmasked}}
            - {name: e, securityContext: {procMount: other}}`,
      reason: 'procMount',
      detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
    })),
  },
  {
    file: 'check_restrictedVolumes_test.go', commit: '030880a5dc5449403c6d1f0aa146a7dc21d6c6dc',
    fn: 'restrictedVolumes_1_0', check: restrictedVolumes, minor: 0,
    vectors: [
      {
        name: 'host path volumes',
        pod: `${NAME}
          spec:
            volumes:
            # allowed types
            - {name: a1, emptyDir: {}}
            - {name: a2, secret: {}}
            - {name: a3, persistentVolumeClaim: {}}
            - {name: a4, downwardAPI: {}}
            - {name: a5, configMap: {}}
            - {name: a6, projected: {}}
            - {name: a7, csi: {}}
            - {name: a8, ephemeral: {}}
            - {name: a9, image: {}}
            # known restricted types
            - {name: b1, hostPath: {}}
            - {name: b2, gcePersistentDisk: {}}
            - {name: b3, awsElasticBlockStore: {}}
            - {name: b4, gitRepo: {}}
            - {name: b5, nfs: {}}
            - {name: b6, iscsi: {}}
            - {name: b7, glusterfs: {}}
            - {name: b8, rbd: {}}
            - {name: b9, flexVolume: {}}
            - {name: b10, cinder: {}}
            - {name: b11, cephfs: {}}
            - {name: b12, flocker: {}}
            - {name: b13, fc: {}}
            - {name: b14, azureFile: {}}
            - {name: b15, vsphereVolume: {}}
            - {name: b16, quobyte: {}}
            - {name: b17, azureDisk: {}}
            - {name: b18, photonPersistentDisk: {}}
            - {name: b19, portworxVolume: {}}
            - {name: b20, scaleIO: {}}
            - {name: b21, storageos: {}}
            # unknown type
            - {name: c1}`,
        reason: 'restricted volume types',
        detail: 'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1" ' +
          'use restricted volume types "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
          '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
      },
    ],
  },
  {
    file: 'check_runAsNonRoot_test.go', commit: '008b3652959ca58af8be3fb5b6ecfe9ae7638282',
    fn: 'runAsNonRoot1_35', check: runAsNonRoot, minor: 35,
    vectors: [
      {
        name: 'no explicit runAsNonRoot',
        pod: `${NAME}
          spec: {containers: [{name: a}]}`,
        reason: 'runAsNonRoot != true',
        detail: 'pod or container "a" must set securityContext.runAsNonRoot=true',
      },
      {
        name: 'pod runAsNonRoot=false',
        pod: `${NAME}
          spec: {securityContext: {runAsNonRoot: false}, containers: [{name: a}]}`,
        reason: 'runAsNonRoot != true',
        detail: 'pod must not set securityContext.runAsNonRoot=false',
      },
      {
        name: 'containers runAsNonRoot=false',
        pod: `${NAME}
          spec:
            securityContext: {runAsNonRoot: true}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {runAsNonRoot: false}}
            - {name: d, securityContext: {runAsNonRoot: false}}
            - {name: e, securityContext: {runAsNonRoot: true}}
            - {name: f, securityContext: {runAsNonRoot: true}}`,
        reason: 'runAsNonRoot != true',
        detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
      },
      {
        name: 'pod nil, container fallthrough',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: d, securityContext: {runAsNonRoot: true}}
            - {name: e, securityContext: {runAsNonRoot: true}}`,
        reason: 'runAsNonRoot != true',
        detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
      },
      { name: 'host users false allowed', pod: `${NAME}\nspec: {hostUsers: false}` },
    ],
  },
  {
    file: 'check_runAsUser_test.go', commit: '0e39963bea7bba03be3bfcf41716de1f96812488 (field paths: b8ff6a459bc3f1b83a76e7dc7b5503b81d5ff238)',
    fn: 'runAsUser1_35', check: runAsUser, minor: 35,
    vectors: [
      {
        name: 'pod runAsUser=0',
        pod: `${NAME}
          spec: {securityContext: {runAsUser: 0}, containers: [{name: a}]}`,
        reason: 'runAsUser=0',
        detail: 'pod must not set runAsUser=0',
        fields: ['spec.securityContext.runAsUser'],
      },
      {
        name: 'pod runAsUser=non-zero',
        pod: `${NAME}
          spec: {securityContext: {runAsUser: 1000}, containers: [{name: a}]}`,
      },
      {
        name: 'pod runAsUser=nil',
        pod: `${NAME}
          spec: {securityContext: {}, containers: [{name: a}]}`,
      },
      {
        name: 'containers runAsUser=0',
        pod: `${NAME}
          spec:
            securityContext: {runAsUser: 1000}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {runAsUser: 0}}
            - {name: d, securityContext: {runAsUser: 0}}
            - {name: e, securityContext: {runAsUser: 1}}
            - {name: f, securityContext: {runAsUser: 1}}`,
        reason: 'runAsUser=0',
        detail: 'containers "c", "d" must not set runAsUser=0',
        fields: ['spec.containers[2].securityContext.runAsUser', 'spec.containers[3].securityContext.runAsUser'],
      },
      {
        name: 'containers runAsUser=non-zero',
        pod: `${NAME}
          spec:
            containers:
            - {name: c, securityContext: {runAsUser: 1}}
            - {name: d, securityContext: {runAsUser: 2}}
            - {name: e, securityContext: {runAsUser: 3}}
            - {name: f, securityContext: {runAsUser: 4}}`,
      },
      { name: 'UserNamespacesPodSecurityStandards enabled without HostUsers', pod: `${NAME}\nspec: {hostUsers: false}` },
      {
        name: 'UserNamespacesPodSecurityStandards enabled with HostUsers',
        pod: `${NAME}
          spec: {securityContext: {runAsUser: 0}, containers: [{name: a}], hostUsers: true}`,
        reason: 'runAsUser=0',
        detail: 'pod must not set runAsUser=0',
      },
    ],
  },
  {
    file: 'check_seLinuxOptions_test.go', commit: 'b15a9909cc24883d31f93e53d62b8e728b71741c',
    fn: 'seLinuxOptions_1_0', check: seLinuxOptionsCheck, minor: 0,
    vectors: [
      {
        name: 'invalid pod and containers',
        pod: `${NAME}
          spec:
            securityContext: {seLinuxOptions: {type: foo, user: bar, role: baz}}
            containers:
            - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
            - {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
            - {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
            - {name: d, securityContext: {seLinuxOptions: {type: bar}}}
            - {name: e, securityContext: {seLinuxOptions: {user: bar}}}
            - {name: f, securityContext: {seLinuxOptions: {role: baz}}}`,
        reason: 'seLinuxOptions',
        detail: 'pod and containers "d", "e", "f" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
      },
      {
        name: 'invalid pod',
        pod: `${NAME}
          spec:
            securityContext: {seLinuxOptions: {type: foo, user: bar, role: baz}}
            containers:
            - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
            - {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
            - {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}`,
        reason: 'seLinuxOptions',
        detail: 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set',
      },
      {
        name: 'invalid containers',
        pod: `${NAME}
          spec:
            securityContext: {seLinuxOptions: {}}
            containers:
            - {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
            - {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
            - {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
            - {name: d, securityContext: {seLinuxOptions: {type: bar}}}
            - {name: e, securityContext: {seLinuxOptions: {user: bar}}}
            - {name: f, securityContext: {seLinuxOptions: {role: baz}}}`,
        reason: 'seLinuxOptions',
        detail: 'containers "d", "e", "f" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
      },
    ],
  },
  {
    file: 'check_seccompProfile_baseline_test.go', commit: 'da0c8de94aa4a85b8f664d1204f74ac11e70f092',
    fn: 'seccompProfileBaseline_1_0', check: seccompProfileBaseline, minor: 0,
    vectors: [
      {
        name: 'pod seccomp invalid',
        pod: `
          metadata: {name: p, annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}
          spec: {}`,
        reason: 'seccompProfile',
        detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
        fields: ['metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]'],
      },
      {
        name: 'containers seccomp invalid',
        pod: `
          metadata:
            name: p
            annotations:
              container.seccomp.security.alpha.kubernetes.io/a: unconfined
              container.seccomp.security.alpha.kubernetes.io/b: unknown
          spec: {containers: [{name: a}, {name: b}, {name: c}]}`,
        reason: 'seccompProfile',
        detail: 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown"',
        fields: ['metadata.annotations[container.seccomp.security.alpha.kubernetes.io/a]', 'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/b]'],
      },
      {
        name: 'pod and containers seccomp invalid',
        pod: `
          metadata:
            name: p
            annotations:
              seccomp.security.alpha.kubernetes.io/pod: unconfined
              container.seccomp.security.alpha.kubernetes.io/a: unconfined
              container.seccomp.security.alpha.kubernetes.io/b: unknown
          spec: {containers: [{name: a}, {name: b}, {name: c}]}`,
        reason: 'seccompProfile',
        detail: 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", container.seccomp.security.alpha.kubernetes.io/b="unknown", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
        fields: [
          'metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]',
          'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/a]',
          'metadata.annotations[container.seccomp.security.alpha.kubernetes.io/b]',
        ],
      },
    ],
  },
  {
    file: 'check_seccompProfile_baseline_test.go', commit: 'da0c8de94aa4a85b8f664d1204f74ac11e70f092',
    fn: 'seccompProfileBaseline_1_19', check: seccompProfileBaseline, minor: 19,
    vectors: [
      {
        name: 'pod seccomp invalid',
        pod: `${NAME}
          spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a}]}`,
        reason: 'seccompProfile',
        detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
        fields: ['spec.securityContext.seccompProfile.type'],
      },
      {
        name: 'containers seccomp invalid',
        pod: `${NAME}
          spec:
            securityContext: {seccompProfile: {type: RuntimeDefault}}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            - {name: f, securityContext: {seccompProfile: {type: RuntimeDefault}}}`,
        reason: 'seccompProfile',
        detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
        fields: ['spec.containers[2].securityContext.seccompProfile.type', 'spec.containers[3].securityContext.seccompProfile.type'],
      },
      {
        name: 'pod and containers seccomp invalid',
        pod: `${NAME}
          spec:
            securityContext: {seccompProfile: {type: Unconfined}}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            - {name: f, securityContext: {seccompProfile: {type: RuntimeDefault}}}`,
        reason: 'seccompProfile',
        detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
        fields: [
          'spec.securityContext.seccompProfile.type',
          'spec.containers[2].securityContext.seccompProfile.type', 'spec.containers[3].securityContext.seccompProfile.type',
        ],
      },
    ],
  },
  ...([[25, 'seccompProfileRestricted_1_25'], [19, 'seccompProfileRestricted_1_19']] as const).map(([minor, fn]): Group => ({
    file: 'check_seccompProfile_restricted_test.go', commit: '95f08499d652a6211121d8af35f470609217c730',
    fn, check: seccompProfileRestricted, minor,
    vectors: [
      {
        name: 'no explicit seccomp',
        pod: `${NAME}
          spec: {containers: [{name: a}]}`,
        reason: 'seccompProfile',
        detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      },
      // Only the 1.25 function exempts Windows pods; upstream tests these two cases there.
      ...(minor === 25
        ? [
          { name: 'no explicit seccomp, windows Pod', pod: `${NAME}\nspec: {os: {name: windows}, containers: [{name: a}]}` },
          {
            name: 'no explicit seccomp, linux pod',
            pod: `${NAME}\nspec: {os: {name: linux}, containers: [{name: a}]}`,
            reason: 'seccompProfile',
            detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
          },
        ]
        : []),
      {
        name: 'pod seccomp invalid',
        pod: `${NAME}
          spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a}]}`,
        reason: 'seccompProfile',
        detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
      },
      {
        name: 'containers seccomp invalid',
        pod: `${NAME}
          spec:
            securityContext: {seccompProfile: {type: RuntimeDefault}}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: d, securityContext: {seccompProfile: {type: Unconfined}}}
            - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            - {name: f, securityContext: {seccompProfile: {type: RuntimeDefault}}}`,
        reason: 'seccompProfile',
        detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
      },
      {
        name: 'pod nil, container fallthrough',
        pod: `${NAME}
          spec:
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: d, securityContext: {seccompProfile: {type: RuntimeDefault}}}
            - {name: e, securityContext: {seccompProfile: {type: RuntimeDefault}}}`,
        reason: 'seccompProfile',
        detail: 'pod or containers "a", "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      },
    ],
  })),
  {
    file: 'check_sysctls_test.go', commit: '025f2834a128798cef30018a5e6a6ae82b5ad885',
    fn: 'sysctls_1_0', check: sysctlsCheck, minor: 0,
    vectors: [
      {
        name: 'forbidden sysctls',
        pod: `${NAME}
          spec: {securityContext: {sysctls: [{name: a}, {name: b}]}}`,
        reason: 'forbidden sysctls',
        detail: 'a, b',
      },
      {
        name: 'new supported sysctls not supported',
        pod: `${NAME}
          spec: {securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: 1024-4999}]}}`,
        reason: 'forbidden sysctls',
        detail: 'net.ipv4.ip_local_reserved_ports',
      },
    ],
  },
  {
    file: 'check_sysctls_test.go', commit: '025f2834a128798cef30018a5e6a6ae82b5ad885',
    fn: 'sysctls_1_27', check: sysctlsCheck, minor: 27,
    vectors: [
      {
        name: 'forbidden sysctls',
        pod: `${NAME}
          spec: {securityContext: {sysctls: [{name: a}, {name: b}]}}`,
        reason: 'forbidden sysctls',
        detail: 'a, b',
      },
      {
        name: 'new supported sysctls',
        pod: `${NAME}
          spec: {securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: 1024-4999}]}}`,
      },
    ],
  },
  {
    file: 'check_windowsHostProcess_test.go', commit: 'b8ff6a459bc3f1b83a76e7dc7b5503b81d5ff238',
    fn: 'windowsHostProcess_1_0', check: windowsHostProcess, minor: 0,
    vectors: [
      {
        name: 'host process',
        pod: `${NAME}
          spec:
            securityContext: {windowsOptions: {hostProcess: true}}
            containers:
            - name: a
            - {name: b, securityContext: {}}
            - {name: c, securityContext: {windowsOptions: {}}}
            - {name: d, securityContext: {windowsOptions: {hostProcess: false}}}
            - {name: e, securityContext: {windowsOptions: {hostProcess: true}}}
            - {name: f, securityContext: {windowsOptions: {hostProcess: true}}}`,
        reason: 'hostProcess',
        detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
        fields: [
          'spec.securityContext.windowsOptions.hostProcess',
          'spec.containers[4].securityContext.windowsOptions.hostProcess', 'spec.containers[5].securityContext.windowsOptions.hostProcess',
        ],
      },
    ],
  },
];

const version = (minor: number) => ({ latest: false, minor });

describe('Pod Security checks against upstream unit-test vectors', () => {
  for (const group of GROUPS) {
    describe(`${group.file} ${group.fn}`, () => {
      for (const vector of group.vectors) {
        it(vector.name, () => {
          const { metadata, spec } = podOf(vector.pod);
          const result = versionAt(group.check, group.minor)(metadata, spec);
          if (vector.reason === undefined) {
            assert.equal(result, undefined, `upstream allows this pod; got ${JSON.stringify(result)}`);
            return;
          }
          assert.ok(result, 'upstream denies this pod');
          assert.equal(result.reason, vector.reason);
          assert.equal(result.detail, vector.detail);
          if (vector.fields) assert.deepEqual([...result.fields].sort(), [...vector.fields].sort());
        });
      }
    });
  }

  it('covers every check of the catalogue', () => {
    const tested = new Set(GROUPS.map((g) => g.check.id));
    const all = [
      allowPrivilegeEscalation, appArmorProfile, capabilitiesBaseline, capabilitiesRestricted, hostNamespaces, hostPathVolumes, hostPorts,
      hostProbesAndHostLifecycle, privileged, procMount, procMountRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seLinuxOptionsCheck,
      seccompProfileBaseline, seccompProfileRestricted, sysctlsCheck, windowsHostProcess,
    ];
    assert.deepEqual(all.map((c) => c.id).filter((id) => !tested.has(id)), []);
  });

  it('the engine gives the same verdicts at each level and version', () => {
    let compared = 0;
    for (const group of GROUPS) {
      for (const vector of group.vectors) {
        if (group.check === restrictedVolumes) continue; // the next test
        const { metadata, spec } = podOf(vector.pod);
        const result = evaluatePod(group.check.level, version(group.minor), metadata, spec);
        const found = result.violations.find((v) => v.check === group.check.id);
        const expected = vector.reason === undefined ? undefined : { reason: vector.reason, detail: vector.detail };
        assert.deepEqual(found && { reason: found.reason, detail: found.detail }, expected, `${group.fn}: ${vector.name}`);
        compared++;
      }
    }
    assert.equal(compared, 73);
  });

  it('the engine defaults a volume with no source to emptyDir first, as the API server does before admission', () => {
    const group = GROUPS.find((g) => g.check === restrictedVolumes)!;
    const { metadata, spec } = podOf(group.vectors[0]!.pod);
    const found = evaluatePod('restricted', version(0), metadata, spec).violations.find((v) => v.check === 'restrictedVolumes')!;
    // The same pod, less "c1" and its "unknown" type.
    assert.equal(found.detail, group.vectors[0]!.detail!.replace(', "c1"', '').replace('"unknown", ', ''));
  });

  it('hostProbesAndHostLifecycle applies from 1.34 and at latest (upstream TestHostProbesAndHostLifecycleEmulation, no emulation)', () => {
    const { metadata, spec } = podOf(`${NAME}\nspec: {containers: [{startupProbe: {httpGet: {host: localhost}}}]}`);
    assert.equal(evaluatePod('baseline', { latest: true, minor: 0 }, metadata, spec).allowed, false);
    assert.equal(evaluatePod('baseline', version(34), metadata, spec).allowed, false);
    assert.equal(evaluatePod('baseline', version(33), metadata, spec).allowed, true);
  });
});
