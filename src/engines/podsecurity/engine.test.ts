import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodSpec } from '../../inventory/pod.js';
import { inventoryFromYaml } from '../../testing/index.js';
import {
  DEFAULT_REGISTRY, buildRegistry, denialMessage, describePolicy, evaluatePod, findPodSecurityConfiguration,
  isExemptNamespace, planFor, policyToEvaluate, parseVersion, type PodSecurityResult, type PssCheck,
} from './index.js';
import { compareStrings, goQuote } from './format.js';

const v = (text: string) => {
  const parsed = parseVersion(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

function message(level: 'baseline' | 'restricted', version: string, spec: PodSpec, annotations?: Record<string, string>): string {
  const result: PodSecurityResult = evaluatePod(level, v(version), annotations ? { annotations } : {}, spec);
  return result.allowed ? 'allowed' : denialMessage(level, v(version), result.violations);
}

describe('podsecurity messages (as upstream writes them)', () => {
  it('orders baseline checks before restricted ones, each by id, with the version as given', () => {
    const spec: PodSpec = { hostNetwork: true, containers: [{ name: 'x', securityContext: { privileged: true } }] };
    assert.equal(
      message('restricted', 'v1.30', spec),
      'violates PodSecurity "restricted:v1.30": host namespaces (hostNetwork=true), privileged (container "x" must not set securityContext.privileged=true), ' +
        'allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('capabilities_restricted lists every forbidden capability once, sorted (upstream test case)', () => {
    const spec: PodSpec = {
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['FOO', 'BAR'] } } },
        { name: 'b', securityContext: { capabilities: { add: ['BAR', 'BAZ'] } } },
        { name: 'c', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } } },
      ],
    };
    const result = evaluatePod('restricted', v('latest'), {}, spec);
    const caps = result.violations.find((x) => x.check === 'capabilities_restricted')!;
    assert.equal(caps.detail, 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add');
    // capabilities_restricted replaces capabilities_baseline at restricted.
    assert.equal(result.violations.some((x) => x.check === 'capabilities_baseline'), false);
    assert.ok(evaluatePod('baseline', v('latest'), {}, spec).violations.some((x) => x.check === 'capabilities_baseline'));
  });

  it('seLinuxOptions names types, user and role (upstream test case)', () => {
    const spec: PodSpec = {
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [
        { name: 'a', securityContext: { seLinuxOptions: { type: 'container_t' } } },
        { name: 'd', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } },
        { name: 'e', securityContext: { seLinuxOptions: { type: 'bar' } } },
        { name: 'f', securityContext: { seLinuxOptions: { user: 'bar' } } },
        { name: 'g', securityContext: { seLinuxOptions: { role: 'baz' } } },
      ],
    };
    const detail = evaluatePod('baseline', v('v1.31'), {}, spec).violations[0]!.detail;
    assert.equal(detail, 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set');
    // container_engine_t is allowed from 1.31 only.
    assert.match(evaluatePod('baseline', v('v1.30'), {}, spec).violations[0]!.detail, /containers "d", "e", "f", "g"/);
    // Upstream names user and role only beside a bad type; alone they leave the detail empty.
    const userOnly: PodSpec = { securityContext: { seLinuxOptions: { user: 'u', role: 'r' } }, containers: [{ name: 'a' }] };
    assert.equal(evaluatePod('baseline', v('latest'), {}, userOnly).violations[0]!.detail, 'pod set forbidden securityContext.seLinuxOptions: ');
  });

  it('AppArmor: fields and annotations, with Go quoting', () => {
    const spec: PodSpec = { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'x' }] };
    assert.equal(
      message('baseline', 'latest', spec, { 'container.apparmor.security.beta.kubernetes.io/x': 'unconfined' }),
      'violates PodSecurity "baseline:latest": forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/x="unconfined"")',
    );
  });

  it('hostPorts, restricted volumes and sysctls details', () => {
    const spec: PodSpec = {
      containers: [{ name: 'a', ports: [{ hostPort: 8080 }, { hostPort: 10 }] }, { name: 'b', ports: [{ hostPort: 8080 }] }],
      volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'n', nfs: { server: 'x' } }, { name: 'e' }, { name: 'i', image: { reference: 'x' } }],
      securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.ipv4.tcp_rmem' }] },
    };
    const byCheck = (level: 'baseline' | 'restricted', version: string) =>
      Object.fromEntries(evaluatePod(level, v(version), {}, spec).violations.map((x) => [x.check, x.detail]));
    const baseline = byCheck('baseline', 'v1.31');
    assert.equal(baseline.hostPorts, 'containers "a", "b" use hostPorts 10, 8080');
    assert.equal(baseline.hostPathVolumes, 'volume "h"');
    assert.equal(baseline.sysctls, 'kernel.msgmax, net.ipv4.tcp_rmem');
    assert.equal(byCheck('baseline', 'v1.32').sysctls, 'kernel.msgmax');
    const restricted = byCheck('restricted', 'latest');
    assert.equal(restricted.restrictedVolumes, 'volumes "h", "n" use restricted volume types "hostPath", "nfs"');
    assert.equal(restricted.hostPathVolumes, undefined, 'restrictedVolumes replaces hostPathVolumes');
  });

  it('hostUsers: false relaxes runAsNonRoot, runAsUser and baseline procMount from 1.35 only', () => {
    const spec: PodSpec = {
      hostUsers: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 0 },
      containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }],
    };
    const ids = (level: 'baseline' | 'restricted', version: string) => evaluatePod(level, v(version), {}, spec).violations.map((x) => x.check);
    assert.deepEqual(ids('restricted', 'v1.34'), ['procMount', 'runAsNonRoot', 'runAsUser']);
    assert.deepEqual(ids('restricted', 'v1.35'), ['procMount_restricted']);
    assert.deepEqual(ids('baseline', 'v1.34'), ['procMount']);
    assert.deepEqual(ids('baseline', 'v1.35'), []);
  });

  it('Windows pods skip the Linux-only restricted checks from 1.25', () => {
    const spec: PodSpec = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w' }] };
    assert.equal(evaluatePod('restricted', v('v1.25'), {}, spec).allowed, true);
    assert.deepEqual(evaluatePod('restricted', v('v1.24'), {}, spec).violations.map((x) => x.check), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  });

  it('versions above the newest change, and latest, evaluate as the newest', () => {
    assert.equal(DEFAULT_REGISTRY.maxMinor, 35);
    assert.equal(planFor('restricted', v('v1.99')), planFor('restricted', v('latest')));
    assert.deepEqual(planFor('privileged', v('latest')), []);
    assert.equal(message('baseline', 'v1.99', { hostPID: true }), 'violates PodSecurity "baseline:v1.99": host namespaces (hostPID=true)');
    // hostProbesAndHostLifecycle exists from 1.34.
    const probe: PodSpec = { containers: [{ name: 'p', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] };
    assert.equal(evaluatePod('baseline', v('v1.33'), {}, probe).allowed, true);
    assert.equal(message('baseline', 'v1.34', probe), 'violates PodSecurity "baseline:v1.34": probe or lifecycle host (container "p" uses probe or lifecycle host "10.0.0.1")');
  });

  it('seccomp annotations before 1.19, fields after', () => {
    const annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' };
    assert.equal(
      message('baseline', 'v1.18', { containers: [{ name: 'c' }] }, annotations),
      'violates PodSecurity "baseline:v1.18": seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")',
    );
    assert.equal(message('baseline', 'v1.19', { containers: [{ name: 'c' }] }, annotations), 'allowed');
  });

  it('reports field paths relative to the pod', () => {
    const result = evaluatePod('baseline', v('latest'), {}, { initContainers: [{ name: 'i' }], containers: [{ name: 'x', securityContext: { privileged: true } }] });
    assert.deepEqual(result.violations[0]!.fields, ['spec.containers[0].securityContext.privileged']);
  });

  it('Go quoting escapes like strconv.Quote', () => {
    assert.equal(goQuote('a"b\\c\n\u0001\u007f\u0085é'), '"a\\"b\\\\c\\n\\x01\\x7f\\u0085é"');
    assert.equal(goQuote('x\u200by\u{1F600}\u{E0001}'), '"x\\u200by\u{1F600}\\U000e0001"');
  });

  it('sorts strings in Go (UTF-8 byte) order', () => {
    assert.deepEqual(['b', 'B', '\uFF21', '\u{1F600}', 'a'].sort(compareStrings), ['B', 'a', 'b', '\uFF21', '\u{1F600}']);
  });
});

describe('podsecurity registry', () => {
  const check = (id: string, level: 'baseline' | 'restricted', minors: number[], overrides?: string[]): PssCheck => ({
    id, level, versions: minors.map((m) => ({ minimumMinor: m, checkPod: () => undefined, ...(overrides ? { overrides } : {}) })),
  });
  it('rejects duplicate ids, non-increasing versions and overrides from baseline checks', () => {
    assert.throws(() => buildRegistry([check('a', 'baseline', [0]), check('a', 'restricted', [1])]), /multiple checks/);
    assert.throws(() => buildRegistry([check('a', 'baseline', [3, 3])]), /strictly increasing/);
    assert.throws(() => buildRegistry([check('a', 'baseline', [0], ['b'])]), /only restricted/);
    assert.throws(() => buildRegistry([check('b', 'restricted', [0]), check('a', 'restricted', [0], ['b'])]), /overrides restricted/);
  });
  it('drops overridden baseline checks at restricted only from the override version', () => {
    const r = buildRegistry([check('base', 'baseline', [0]), check('strict', 'restricted', [2], ['base'])]);
    assert.deepEqual(r.restricted.map((p) => p.map((c) => c.id)), [['base'], ['base'], ['strict']]);
    assert.deepEqual(r.baseline.map((p) => p.map((c) => c.id)), [['base'], ['base'], ['base']]);
  });
});

describe('podsecurity namespace policy', () => {
  it('applies labels over defaults and replaces bad values as upstream does', () => {
    const resolved = policyToEvaluate({
      'pod-security.kubernetes.io/enforce': 'strict',
      'pod-security.kubernetes.io/enforce-version': 'v1.29',
      'pod-security.kubernetes.io/warn': 'nope',
      'pod-security.kubernetes.io/audit-version': '1.30',
    });
    assert.equal(describePolicy(resolved.policy), 'enforce=restricted:v1.29, audit=privileged:latest, warn=privileged:latest');
    assert.deepEqual(resolved.errors.map((e) => e.key), [
      'pod-security.kubernetes.io/enforce', 'pod-security.kubernetes.io/audit-version', 'pod-security.kubernetes.io/warn',
    ]);
    assert.deepEqual(resolved.fromLabel, { enforce: true, audit: false, warn: true });
  });

  it('reads the PodSecurity plugin of an AdmissionConfiguration', () => {
    const inventory = inventoryFromYaml(`apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: baseline, enforce-version: latest, warn: restricted}
    exemptions: {namespaces: [monitoring], runtimeClasses: [kata]}`);
    const config = findPodSecurityConfiguration(inventory)!;
    assert.equal(describePolicy(config.defaults), 'enforce=baseline:latest, audit=privileged:latest, warn=restricted:latest');
    assert.equal(isExemptNamespace(config, 'monitoring'), true);
    assert.equal(isExemptNamespace(config, 'shop'), false);
    assert.equal(describePolicy(policyToEvaluate({}, config.defaults).policy), 'enforce=baseline:latest, audit=privileged:latest, warn=restricted:latest');
  });
});
