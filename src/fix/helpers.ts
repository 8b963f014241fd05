// Building blocks of the checks' fixes: locating what a failure is about, editing pod specs,
// component flags and kubelet config fields, node files and new namespace objects. Every pod edit
// is judged by the Pod Security engine before it is planned; the framework re-scans the rest.

import type { FailResult } from '../checks/types.js';
import { leftAsNodeComponent, nodeComponent } from '../checks/pod-privileges/host-paths.js';
import type { ComponentRun, KubeletSettings } from '../engines/config/index.js';
import { effectivePolicyTypes } from '../engines/netpol/index.js';
import type { NetworkPolicySpec } from '../engines/netpol/model.js';
import { evaluatePod, type Level, type PolicyVersion } from '../engines/podsecurity/index.js';
import { nodePathOf, type HostSnapshot } from '../inventory/host.js';
import type { PodSpecRef } from '../inventory/inventory.js';
import { containersOf, type Container, type PodSpec } from '../inventory/pod.js';
import { POD_TEMPLATE_PATHS } from '../inventory/kinds.js';
import { selectorMatches, type LabelSelector } from '../inventory/labels.js';
import { objectKey, valueAtPath, type Item, type K8sObject, type ResourceRef } from '../inventory/types.js';
import type { FieldPath, FixContext } from './types.js';

/** "spec.template.spec.containers[0].command[3]" or 'metadata.labels["a.b/c"]' as path keys. */
export function fieldPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]!);
  }
  return out;
}

/** An object's identity as a map key. */
export function refKey(ref: ResourceRef): string {
  return objectKey(ref.kind, ref.namespace, ref.name);
}

/** The failures by the object they name, to find which pods or namespaces fail. */
export function failuresByRef(failures: readonly FailResult[]): Map<string, FailResult> {
  return new Map(failures.map((f) => [refKey(f.subject.ref), f]));
}

/** Each failing pod spec (Pod or workload template) with its failure. */
export function failingPods(ctx: FixContext, failures: readonly FailResult[]): { pod: PodSpecRef; failure: FailResult }[] {
  const byRef = failuresByRef(failures);
  const out: { pod: PodSpecRef; failure: FailResult }[] = [];
  for (const pod of ctx.check.inventory.podSpecs()) {
    const failure = byRef.get(refKey(pod.item.ref));
    if (failure) out.push({ pod, failure });
  }
  return out;
}

/** The namespaces that namespace-level failures name. */
export function failingNamespaces(failures: readonly FailResult[]): { namespace: string; failure: FailResult }[] {
  return failures.filter((f) => f.subject.ref.kind === 'Namespace').map((f) => ({ namespace: f.subject.ref.name, failure: f }));
}

// ---- pods -------------------------------------------------------------------------------------

/** A pod's spec with the edits planned so far (read only), to judge what it will be. */
export function plannedSpec(ctx: FixContext, pod: PodSpecRef): PodSpec {
  return (valueAtPath(ctx.planned(pod.item), fieldPath(pod.path)) as PodSpec | undefined) ?? pod.spec;
}

/** A pod spec being changed: `spec` is a copy that the edits are applied to, to judge them first. */
export class PodChange {
  readonly spec: PodSpec;
  private readonly ops: { path: FieldPath; value?: unknown; remove?: true }[] = [];

  constructor(private readonly ctx: FixContext, readonly pod: PodSpecRef) {
    this.spec = structuredClone(plannedSpec(ctx, pod));
  }

  get changed(): boolean {
    return this.ops.length > 0;
  }

  /** Sets a field of the pod spec (path relative to it). */
  set(path: FieldPath, value: unknown): void {
    if (JSON.stringify(valueAtPath(this.spec, path)) === JSON.stringify(value)) return;
    let node = this.spec as unknown as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      if (node[key] === undefined || node[key] === null) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
    node[path[path.length - 1]!] = structuredClone(value);
    this.ops.push({ path, value });
  }

  remove(path: FieldPath): void {
    const parent = valueAtPath(this.spec, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
    const key = path[path.length - 1]!;
    if (!parent || typeof parent !== 'object' || !(key in parent)) return;
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete parent[key];
    this.ops.push({ path, remove: true });
  }

  /** Every container with its path relative to the pod spec. */
  containers(): { container: Container; path: (string | number)[] }[] {
    const out: { container: Container; path: (string | number)[] }[] = [];
    for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
      (this.spec[field] ?? []).forEach((container, i) => out.push({ container, path: [field, i] }));
    }
    return out;
  }

  /** The Pod Security verdict of the changed spec. */
  judge(level: Level, version: PolicyVersion): { allowed: boolean; reasons: string } {
    const result = evaluatePod(level, version, this.pod.podMetadata, this.spec);
    return { allowed: result.allowed, reasons: result.violations.map((v) => v.reason).join(', ') };
  }

  /**
   * Plans the edits on the object's file, and on the objects it controls that the input holds as
   * copies of its template (a Deployment's ReplicaSets and their Pods): they are what the change
   * will make of them, and left as they are they would differ from it and be judged on their own.
   */
  commit(): void {
    if (this.ops.length === 0) return;
    for (const { item, path } of [{ item: this.pod.item, path: fieldPath(this.pod.path) }, ...controlledCopies(this.ctx, this.pod.item)]) {
      const edit = this.ctx.edit(item);
      for (const op of this.ops) {
        if (op.remove) edit.remove([...path, ...op.path]);
        else edit.set([...path, ...op.path], op.value);
      }
    }
  }
}

/** The objects an object controls, directly or through others (ownerReferences with controller: true). */
function controlledCopies(ctx: FixContext, owner: Item): { item: Item; path: (string | number)[] }[] {
  const byOwner = ctx.check.shared('fix:controlled', () => {
    const out = new Map<string, Item[]>();
    for (const item of ctx.check.inventory.items) {
      const ref = item.object.metadata?.ownerReferences?.find((o) => o.controller);
      if (!ref?.kind || !ref.name || !POD_TEMPLATE_PATHS[item.ref.kind]) continue;
      const k = objectKey(ref.kind, item.ref.namespace, ref.name);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  });
  // Only copies the inventory reports through their owner: one it judges on its own already differs.
  const reported = ctx.check.shared('fix:reported-pod-items', () => new Set(ctx.check.inventory.podSpecs().map((p) => p.item)));
  const out: { item: Item; path: (string | number)[] }[] = [];
  const visit = (item: Item) => {
    for (const child of byOwner.get(refKey(item.ref)) ?? []) {
      if (reported.has(child)) continue;
      out.push({ item: child, path: POD_TEMPLATE_PATHS[child.ref.kind]! });
      visit(child);
    }
  };
  visit(owner);
  return out;
}

/** Capabilities the Baseline standard allows containers to add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const normalise = (c: unknown) => String(c).toUpperCase().replace(/^CAP_/, '');

/** Only capabilities that pass `keep` stay in capabilities.add. */
export function filterAddedCapabilities(change: PodChange, keep: (capability: string) => boolean): void {
  for (const { container, path } of change.containers()) {
    const add = container.securityContext?.capabilities?.add;
    if (!Array.isArray(add)) continue;
    const kept = add.filter((c) => keep(normalise(c)));
    if (kept.length === add.length) continue;
    if (kept.length === 0) change.remove([...path, 'securityContext', 'capabilities', 'add']);
    else change.set([...path, 'securityContext', 'capabilities', 'add'], kept);
  }
}

/** The Baseline standard's changes: host namespaces, privileged, capabilities, host ports, profiles. */
function toBaseline(change: PodChange): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (change.spec[field] === true) change.remove([field]);
  const podSeccomp = change.spec.securityContext?.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') change.set(['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' });
  const sysctls = change.spec.securityContext?.sysctls;
  if (Array.isArray(sysctls) && sysctls.length > 0) {
    const safe = sysctls.filter((s) => SAFE_SYSCTLS.has(String(s.name)));
    if (safe.length === 0) change.remove(['securityContext', 'sysctls']);
    else if (safe.length !== sysctls.length) change.set(['securityContext', 'sysctls'], safe);
  }
  for (const { container, path } of change.containers()) {
    const sc = container.securityContext;
    if (sc?.privileged === true) change.remove([...path, 'securityContext', 'privileged']);
    if (sc?.seccompProfile?.type === 'Unconfined') change.set([...path, 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' });
    if (sc?.appArmorProfile?.type === 'Unconfined') change.set([...path, 'securityContext', 'appArmorProfile'], { type: 'RuntimeDefault' });
    if (sc?.procMount !== undefined && sc.procMount !== 'Default') change.remove([...path, 'securityContext', 'procMount']);
    if (sc?.windowsOptions?.hostProcess === true) change.remove([...path, 'securityContext', 'windowsOptions', 'hostProcess']);
    (container.ports ?? []).forEach((port, i) => {
      if (port.hostPort !== undefined && port.hostPort !== 0) change.remove([...path, 'ports', i, 'hostPort']);
    });
  }
  filterAddedCapabilities(change, (c) => BASELINE_CAPABILITIES.has(c));
}

const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

/** The Restricted standard's securityContext on the pod and every container. */
function toRestricted(change: PodChange): void {
  toBaseline(change);
  const podSc = change.spec.securityContext;
  if (podSc?.runAsUser === 0) change.remove(['securityContext', 'runAsUser']);
  if (podSc?.runAsNonRoot !== true) change.set(['securityContext', 'runAsNonRoot'], true);
  const seccomp = podSc?.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') change.set(['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' });
  for (const { container, path } of change.containers()) {
    const sc = container.securityContext;
    if (sc?.runAsUser === 0) change.remove([...path, 'securityContext', 'runAsUser']);
    if (sc?.runAsNonRoot === false) change.set([...path, 'securityContext', 'runAsNonRoot'], true);
    if (sc?.allowPrivilegeEscalation !== false) change.set([...path, 'securityContext', 'allowPrivilegeEscalation'], false);
    const drop = sc?.capabilities?.drop;
    if (!Array.isArray(drop) || !drop.some((c) => normalise(c) === 'ALL')) change.set([...path, 'securityContext', 'capabilities', 'drop'], [...(Array.isArray(drop) ? drop : []), 'ALL']);
  }
  filterAddedCapabilities(change, (c) => c === 'NET_BIND_SERVICE');
}

// ---- component flags --------------------------------------------------------------------------

/**
 * Sets (value) or removes (undefined) a flag of a component that runs as a pod (a static pod
 * manifest, a pod of a dump): replaced where it is written, else appended. False when the run
 * is not a pod (a process, a systemd unit): the caller leaves the finding to a person.
 */
export function setFlag(ctx: FixContext, run: ComponentRun, flag: string, value: string | undefined): boolean {
  if (!run.pod) return false;
  const edit = ctx.edit(run.pod.item);
  const base = fieldPath(run.pod.containerPath);
  const container = valueAtPath(edit.object, base) as Container | undefined;
  if (!container) return false;
  for (const field of ['command', 'args'] as const) {
    const list = (container[field] ?? []).map(String);
    const at = list.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
    if (at < 0) continue;
    const separate = list[at] === `--${flag}` && list[at + 1] !== undefined && !list[at + 1]!.startsWith('--');
    if (value === undefined) {
      const next = list.filter((_, i) => i !== at && !(separate && i === at + 1));
      edit.set([...base, field], next);
    } else {
      const next = [...list.slice(0, at), `--${flag}=${value}`, ...list.slice(at + (separate ? 2 : 1))];
      edit.set([...base, field], next);
    }
    return true;
  }
  if (value === undefined) return true;
  const field = container.command?.length || !container.args?.length ? 'command' : 'args';
  edit.set([...base, field], [...(container[field] ?? []).map(String), `--${flag}=${value}`]);
  return true;
}

/** Adds a hostPath volume and its read-only mount to a component's pod (a file its flags name). */
export function mountHostFile(ctx: FixContext, run: ComponentRun, name: string, path: string, type: 'File' | 'DirectoryOrCreate' = 'File', readOnly = true): void {
  if (!run.pod) return;
  const edit = ctx.edit(run.pod.item);
  const container = fieldPath(run.pod.containerPath);
  const podSpec = container.slice(0, -2);
  const volumes = (valueAtPath(edit.object, [...podSpec, 'volumes']) ?? []) as { name?: string; hostPath?: { path?: string } }[];
  const mounts = (valueAtPath(edit.object, [...container, 'volumeMounts']) ?? []) as { mountPath?: string }[];
  if (!mounts.some((m) => m.mountPath === path)) edit.set([...container, 'volumeMounts'], [...mounts, { mountPath: path, name, ...(readOnly ? { readOnly: true } : {}) }]);
  if (!volumes.some((v) => v.hostPath?.path === path)) edit.set([...podSpec, 'volumes'], [...volumes, { hostPath: { path, type }, name }]);
}

// ---- kubelet configuration --------------------------------------------------------------------

/** The KubeletConfiguration file a kubelet reads (its --config on the node, or the file it was read from). */
export function kubeletConfigItem(ctx: FixContext, kubelet: KubeletSettings): Item | undefined {
  const items = ctx.check.inventory.ofKind('KubeletConfiguration');
  if (kubelet.source === 'config-file') return items.find((i) => i.location.file === kubelet.location.file);
  if (kubelet.source !== 'node') return undefined;
  const config = kubelet.run?.flags.get('config')?.value;
  const host = kubelet.run?.host;
  if (!config || !host) return undefined;
  const file = `${host.root.replace(/\/+$/, '')}${config.startsWith('/') ? '' : '/'}${config}`;
  return items.find((i) => i.location.file === file);
}

/**
 * Sets a KubeletConfiguration field in the kubelet's config file, and takes the flag that
 * overrides it off the command line file where it is written. False when there is no file to
 * edit (a live kubelet's /configz, a kubelet without --config).
 */
export function setKubeletField(ctx: FixContext, kubelet: KubeletSettings, field: string, value: unknown): boolean {
  const item = kubeletConfigItem(ctx, kubelet);
  if (!item) return false;
  const setting = kubelet.get(field);
  if (setting.origin.kind === 'flag') {
    const host = kubelet.run?.host;
    const origin = setting.origin;
    const root = host?.root.replace(/\/+$/, '');
    const nodePath = root !== undefined && origin.location.file.startsWith(root) ? origin.location.file.slice(root.length) : undefined;
    if (!host || !nodePath) return false;
    ctx.writeNodeFile(host, nodePath, (text) => (text === undefined ? undefined : { content: removeFlagOnLine(text, origin.location.line, origin.flag) }));
  }
  ctx.edit(item).set(field.split('.'), value);
  return true;
}

/** A command-line file (env file, systemd unit) with one flag taken off a line. */
function removeFlagOnLine(text: string, line: number | undefined, flag: string): string {
  const pattern = new RegExp(`\\s*--${flag.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(?:=\\S*|\\s+(?!--)[^\\s"]+)?(?=[\\s"]|$)`);
  return text.split('\n').map((l, i) => (line === undefined || i + 1 === line ? l.replace(pattern, '') : l)).join('\n');
}

// ---- nodes --------------------------------------------------------------------------------------

/** The node root a file was read from, and the file's path on the node. */
export function nodeFileOf(ctx: FixContext, file: string): { host: HostSnapshot; path: string } | undefined {
  for (const host of ctx.check.inventory.hosts) {
    const path = nodePathOf(host, file);
    if (path !== undefined) return { host, path };
  }
  return undefined;
}

// ---- namespaces ---------------------------------------------------------------------------------

/** A new namespaced object for kubeward-fixes.yaml, labelled as kubeward's. */
export function namespacedObject(apiVersion: string, kind: string, namespace: string, name: string, body: Record<string, unknown>): K8sObject {
  return { apiVersion, kind, metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeward' } }, ...body };
}

/**
 * A hostNetwork pod that, moved off the host network, no NetworkPolicy of its namespace would
 * select while the namespace has some: it would be the one open pod among isolated ones.
 */
export function openOffHostNetwork(ctx: FixContext, pod: PodSpecRef): boolean {
  if (pod.spec.hostNetwork !== true) return false;
  const policies = ctx.check.inventory.inNamespace(pod.namespace, 'NetworkPolicy').map((p) => (p.object.spec ?? {}) as NetworkPolicySpec);
  const selects = (spec: NetworkPolicySpec) => selectorMatches((spec.podSelector ?? {}) as LabelSelector, pod.podMetadata.labels ?? {});
  return (['ingress', 'egress'] as const).some((direction) => {
    const isolating = policies.filter((spec) => effectivePolicyTypes(spec)[direction]);
    return isolating.length > 0 && !isolating.some(selects);
  });
}

export const OPEN_OFF_HOST_NETWORK = 'no NetworkPolicy of its namespace selects this pod: off the host network it would be open where its neighbours are isolated; a person writes its policy first';

/**
 * Brings each failing pod to a Pod Security level: applied only when the engine then admits it;
 * otherwise (a node component's hostPath volumes, a volume type restricted forbids) the finding
 * stays with why. At baseline the hostPath volumes of pods that are not node components become
 * emptyDirs.
 */
export function hardenPods(ctx: FixContext, failures: readonly FailResult[], level: 'baseline' | 'restricted', version: PolicyVersion): void {
  for (const { pod, failure } of failingPods(ctx, failures)) {
    if (openOffHostNetwork(ctx, pod)) {
      ctx.manual(failure, OPEN_OFF_HOST_NETWORK);
      continue;
    }
    const component = nodeComponent(ctx.check.inventory, pod);
    // A node component that uses the node (the control plane's static pods, kube-proxy, a CNI
    // agent) stops working without it, and etcd or kube-apiserver down is the cluster down: even
    // --unsafe-fixes leaves them to a person.
    if (component && usesTheNode(plannedSpec(ctx, pod))) {
      ctx.manual(failure, leftAsNodeComponent(component));
      continue;
    }
    const change = new PodChange(ctx, pod);
    if (level === 'restricted') toRestricted(change);
    else toBaseline(change);
    if (level === 'baseline' && !component) replaceHostPathVolumes(change);
    const verdict = change.judge(level, version);
    if (!verdict.allowed) {
      ctx.manual(failure, `after the securityContext changes the pod still violates ${level} (${verdict.reasons}): a person has to replace what it needs`);
      continue;
    }
    change.commit();
  }
}

/** The pod shares the node's namespaces, mounts its files or runs privileged. */
function usesTheNode(spec: PodSpec): boolean {
  return Boolean(spec.hostNetwork || spec.hostPID || spec.hostIPC || (spec.volumes ?? []).some((v) => v?.hostPath) ||
    containersOf(spec).some(({ container }) => container?.securityContext?.privileged));
}

/**
 * Replaces hostPath volumes (all, or those named) with an emptyDir of the same name, so every
 * volumeMount stays valid and the container sees an empty directory instead of the node's files.
 */
export function replaceHostPathVolumes(change: PodChange, names?: ReadonlySet<string>): void {
  const replaced = new Set<string>();
  (change.spec.volumes ?? []).forEach((volume, i) => {
    if (!volume?.hostPath || (names && !names.has(volume.name ?? ''))) return;
    change.remove(['volumes', i, 'hostPath']);
    change.set(['volumes', i, 'emptyDir'], {});
    replaced.add(volume.name ?? '');
  });
  // Propagation is of mounts the node makes under its directory, which an emptyDir does not have;
  // Bidirectional would also be refused once the container is no longer privileged.
  for (const { container, path } of change.containers()) {
    (container.volumeMounts ?? []).forEach((mount, m) => {
      if (mount && replaced.has(mount.name ?? '') && 'mountPropagation' in mount) change.remove([...path, 'volumeMounts', m, 'mountPropagation']);
    });
  }
}
