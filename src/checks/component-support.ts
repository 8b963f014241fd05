// Shared plumbing for the checks of component settings (control plane, etcd, kubelet, nodes):
// effective settings built once per scan, one explicit not-evaluated result when the input
// shows no such component, and subjects that point at the line where a value was set.

import {
  apiServerSettings, controllerManagerSettings, describeOrigin, etcdSettings, findReferencedFile, kubeletSettings, kubeProxySettings, locationOf, schedulerSettings,
  type ComponentRun, type ComponentSettings, type KubeletSettings, type KubeProxySettings, type Setting,
} from '../engines/config/index.js';
import type { Cis112ControlId } from '../frameworks/cis-1.12.js';
import type { HostSnapshot } from '../inventory/host.js';
import type { Item } from '../inventory/types.js';
import { Inventory } from '../inventory/inventory.js';
import { fail, notEvaluated, pass } from './define.js';
import type { CheckContext, CheckResult, CisOutcomes, Subject } from './types.js';

/** The scope the cluster source names when it could not read kubelets' /configz. */
const KUBELET_CONFIG_GAP = 'kubelet-config';

type FlagComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

const BUILDERS = {
  'kube-apiserver': apiServerSettings,
  'kube-controller-manager': controllerManagerSettings,
  'kube-scheduler': schedulerSettings,
  etcd: etcdSettings,
} as const;

/** Why a component's checks could not run: the source's own reason, or what to scan instead. */
export function absentReason(ctx: CheckContext, component: string): string {
  const gap = ctx.inventory.gap(component);
  if (gap) return gap;
  if (component === 'etcd') return 'no etcd static pod or process in the input (external or managed etcd?); scan the etcd node with --node-root';
  if (component === 'kubelet') return ctx.inventory.gap(KUBELET_CONFIG_GAP) ?? 'no kubelet configuration in the input; scan a node with --node-root, or the cluster with --cluster to read each kubelet\'s /configz';
  if (component === 'kube-proxy') return 'no kube-proxy DaemonSet, pod or process in the input; scan with --node-root or --cluster';
  return `no ${component} static pod or process in the input; scan with --node-root or --cluster`;
}

function componentSubject(component: string): Subject {
  return { ref: { kind: 'Component', name: component } };
}

/** The effective settings of every run of a component, built once per scan. */
export function runsOf(ctx: CheckContext, component: FlagComponent): ComponentSettings[] {
  return ctx.shared(`config:${component}`, () => BUILDERS[component](ctx.inventory, ctx.k8sVersion));
}

export function kubeletsOf(ctx: CheckContext): KubeletSettings[] {
  return ctx.shared('config:kubelet', () => kubeletSettings(ctx.inventory, ctx.k8sVersion));
}

/** The settings of every run of a component, or one not-evaluated result saying none was found. */
export function* forEachRun(ctx: CheckContext, component: FlagComponent, judge: (s: ComponentSettings) => Iterable<CheckResult>): Iterable<CheckResult> {
  const runs = runsOf(ctx, component);
  if (runs.length === 0) {
    yield notEvaluated(componentSubject(component), absentReason(ctx, component));
    return;
  }
  for (const settings of runs) yield* judge(settings);
}

export interface ApiServerConfigFile {
  settings: ComponentSettings;
  /** The flag that names the file. */
  flag: Setting;
  file: Item;
}

/**
 * The config file of `kind` that a kube-apiserver flag names, for every API server that sets the
 * flag (one that does not is another check's finding). A file not in the input, or of another
 * API group than `apiGroup`, cannot be judged: not-evaluated with the reason.
 */
export function* forEachApiServerConfigFile(
  ctx: CheckContext,
  flagName: string,
  kind: string,
  apiGroup: string,
  judge: (file: ApiServerConfigFile) => Iterable<CheckResult>,
): Iterable<CheckResult> {
  yield* forEachRun(ctx, 'kube-apiserver', function* (settings) {
    const flag = settings.get(flagName);
    if (!flag.value) return;
    const found = findReferencedFile(ctx.inventory, kind, flag.value);
    if (!found.found) {
      yield notEvaluated(runSubject(settings.run, flag), found.reason);
      return;
    }
    const apiVersion = found.item.object.apiVersion ?? '';
    if (!apiVersion.startsWith(`${apiGroup}/`)) {
      yield notEvaluated(runSubject(settings.run, flag), `${flag.value} holds a ${apiVersion} ${kind}, not a ${apiGroup} ${kind}`);
      return;
    }
    yield* judge({ settings, flag, file: found.item });
  });
}

/**
 * For checks over several components: every run of those present, silently skipping absent ones
 * (a worker node has no scheduler); one not-evaluated result, with the first component's reason,
 * when none is present at all.
 */
export function* forEachRunOf(
  ctx: CheckContext,
  components: readonly FlagComponent[],
  judge: (s: ComponentSettings) => Iterable<CheckResult>,
  judgeKubelet?: (k: KubeletSettings) => Iterable<CheckResult>,
): Iterable<CheckResult> {
  const runs = components.flatMap((c) => runsOf(ctx, c));
  const kubelets = judgeKubelet ? kubeletsOf(ctx) : [];
  if (runs.length + kubelets.length === 0) {
    yield notEvaluated(componentSubject(components[0]!), absentReason(ctx, components[0]!));
    return;
  }
  for (const settings of runs) yield* judge(settings);
  if (judgeKubelet) for (const kubelet of kubelets) yield* judgeKubelet(kubelet);
}

export function* forEachKubelet(ctx: CheckContext, judge: (s: KubeletSettings) => Iterable<CheckResult>): Iterable<CheckResult> {
  const kubelets = kubeletsOf(ctx);
  if (kubelets.length === 0) {
    yield notEvaluated(componentSubject('kubelet'), absentReason(ctx, 'kubelet'));
    return;
  }
  for (const settings of kubelets) yield* judge(settings);
  // Some nodes' /configz could not be read: the kubelets seen are judged, the others are not.
  const partial = ctx.inventory.gap(KUBELET_CONFIG_GAP);
  if (partial) yield notEvaluated(componentSubject('kubelet'), partial);
}

export function kubeProxiesOf(ctx: CheckContext): KubeProxySettings[] {
  return ctx.shared('config:kube-proxy', () => kubeProxySettings(ctx.inventory, ctx.k8sVersion));
}

export function* forEachKubeProxy(ctx: CheckContext, judge: (s: KubeProxySettings) => Iterable<CheckResult>): Iterable<CheckResult> {
  const proxies = kubeProxiesOf(ctx);
  if (proxies.length === 0) {
    yield notEvaluated(componentSubject('kube-proxy'), absentReason(ctx, 'kube-proxy'));
    return;
  }
  for (const settings of proxies) yield* judge(settings);
}

/** Node roots in the input, or one not-evaluated result when there are none. */
export function* forEachHost(ctx: CheckContext, judge: (host: HostSnapshot) => Iterable<CheckResult>): Iterable<CheckResult> {
  if (ctx.inventory.hosts.length === 0) {
    yield notEvaluated({ ref: { kind: 'Node', name: '(no node root)' } }, 'no node filesystem in the input; scan a node with --node-root DIR (or run kubeward node on it)');
    return;
  }
  for (const host of ctx.inventory.hosts) yield* judge(host);
}

/** The run as a finding subject, located where a setting was written (or at the run). */
export function runSubject(run: ComponentRun, setting?: Setting): Subject {
  return { ref: run.ref, location: (setting && locationOf(setting.origin)) ?? run.location };
}

export function kubeletSubject(kubelet: KubeletSettings, setting?: Setting): Subject {
  return { ref: kubelet.ref, location: (setting && locationOf(setting.origin)) ?? kubelet.location };
}

/** The field a finding points at: the flag or config field that set the value; none for a default. */
export function settingField(setting: Setting): { field?: string } {
  return setting.origin.kind === 'default' ? {} : { field: setting.origin.field };
}

/** " (--flag at file:line)" or " (default (v1.30))": where a judged value came from. */
export function from(setting: Setting): string {
  return ` (${describeOrigin(setting.origin)})`;
}

/** A comma-separated flag value as a list. */
/**
 * The authorizers a kube-apiserver runs: those of the AuthorizationConfiguration that
 * --authorization-config names (undefined `modes` when that file is not in the input, with the
 * reason), else --authorization-mode's list.
 */
export function authorizerChain(inventory: Inventory, s: ComponentSettings):
  | { modes: string[]; config: Item; setting: Setting }
  | { modes: string[]; config?: undefined; setting: Setting }
  | { modes?: undefined; missing: string; setting: Setting } {
  const configPath = s.get('authorization-config');
  if (!configPath.value) {
    const mode = s.get('authorization-mode');
    return { modes: listOf(mode), setting: mode };
  }
  const file = findReferencedFile(inventory, 'AuthorizationConfiguration', configPath.value);
  if (!file.found) return { missing: file.reason, setting: configPath };
  return { modes: ((file.item.object as { authorizers?: { type?: string }[] }).authorizers ?? []).map((a) => a.type ?? ''), config: file.item, setting: configPath };
}

export function listOf(setting: Setting): string[] {
  return (setting.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** The host part of "host:port", "[v6]:port" or a bare address. */
export function hostOfAddress(address: string): string {
  const bracket = /^\[([^\]]+)\]/.exec(address);
  if (bracket) return bracket[1]!;
  const colons = address.split(':').length - 1;
  return colons === 1 ? address.split(':')[0]! : address;
}

/** A static pod of a component as YAML, for check examples. */
export function componentPodYaml(component: string, flags: string[], image = component === 'etcd' ? 'registry.k8s.io/etcd:3.5.12-0' : `registry.k8s.io/${component}:v1.30.2`): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${component}-cp1, namespace: kube-system, labels: {component: ${component}}}
spec:
  containers:
  - name: ${component}
    image: ${image}
    command:
${[component, ...flags].map((f) => `    - ${f}`).join('\n')}`;
}

/** The flags of a well-configured kubeadm API server, for passing examples. */
export const KUBEADM_API_SERVER_FLAGS = [
  '--advertise-address=10.0.0.10', '--allow-privileged=true', '--authorization-mode=Node,RBAC',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--etcd-servers=https://127.0.0.1:2379',
  '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
  '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt',
  '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  '--anonymous-auth=false',
];

/** An inventory holding one node root built in memory, for check examples about node files. */
export function hostInventory(host: Partial<HostSnapshot> & { name?: string }): Inventory {
  return new Inventory([], {
    hosts: [{ name: 'node-1', root: '/host', files: [], certificates: [], modprobeRules: [], processes: [], configFiles: [], users: {}, ...host }],
  });
}

/**
 * How CIS (kube-bench's audit) judges a kubelet setting, when that differs from kubeward's own
 * verdict: `passes` sees the setting with its origin (kube-bench only reads what the command line
 * and config file write, never the defaults); `note` says why the verdicts differ.
 */
export interface KubeletCisView {
  control: Cis112ControlId;
  passes: (setting: Setting) => boolean;
  note: (setting: Setting) => string;
}

/** Whether a kubelet setting is written where kube-bench reads it (a flag or a config file), not left to a default. */
export function isWritten(setting: Setting): boolean {
  return setting.origin.kind !== 'default';
}

/** A kubelet result with the CIS verdict attached when CIS judges the setting otherwise. */
function withCisView(result: CheckResult, setting: Setting, cis: KubeletCisView | undefined): CheckResult {
  if (!cis || result.status === 'not-evaluated') return result;
  const passes = cis.passes(setting);
  if (passes === (result.status === 'pass')) return result;
  return { ...result, cis: { '1.12': { [cis.control]: passes ? 'pass' : 'fail' } }, cisNote: cis.note(setting) };
}

/** A result's verdict on one CIS control, with `note` (why) when it differs from kubeward's verdict. */
export function cisVerdict(control: Cis112ControlId, cisPasses: boolean, kubewardPasses: boolean, note: string): { cis: CisOutcomes; cisNote?: string } {
  return { cis: { '1.12': { [control]: cisPasses ? 'pass' : 'fail' } }, ...(cisPasses === kubewardPasses ? {} : { cisNote: note }) };
}

/** Judges one KubeletConfiguration field of a kubelet: pass, fail with its origin, or not-evaluated. */
export function judgeKubeletField(
  k: KubeletSettings,
  field: string,
  secure: (value: string | undefined) => boolean,
  problem: (value: string | undefined) => string,
  cis?: KubeletCisView,
): CheckResult {
  const setting = k.get(field);
  const subject = kubeletSubject(k, setting);
  if (setting.unresolved) return notEvaluated(subject, setting.unresolved);
  if (secure(setting.value)) return withCisView(pass(subject), setting, cis);
  return withCisView(fail(subject, `kubelet on ${k.node}: ${problem(setting.value)}${from(setting)}`, { field: setting.origin.kind === 'default' ? field : setting.origin.field }), setting, cis);
}

/** A KubeletConfiguration file as YAML, for check examples. */
export function kubeletConfigYaml(body: string): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
${body}`;
}
