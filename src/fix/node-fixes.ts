// Fixes of node files: modes and owners, kubelet configuration fields, control-plane and etcd
// flags, the modprobe blacklist, the audit policy and the EncryptionConfiguration.

import { randomBytes } from 'node:crypto';
import { kubeletsOf, runsOf } from '../checks/component-support.js';
import type { CheckFix, FailResult } from '../checks/types.js';
import type { ComponentSettings, KubeletSettings } from '../engines/config/index.js';
import type { HostSnapshot } from '../inventory/host.js';
import { valueAtPath, type Item } from '../inventory/types.js';
import { gateAt } from '../checks/feature-stages/gates.js';
import type { KubeVersion } from '../inventory/version.js';
import { failuresByRef, fieldPath, kubeletConfigItem, mountHostFile, nodeFileOf, refKey, setFlag, setKubeletField } from './helpers.js';
import { yamlLibrary } from '../yaml.js';
import type { FixContext } from './types.js';

type FlagComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

/**
 * Each failing file to the mode its check's remediation names (bits beyond it cleared, none
 * added) and, when another user owns it, to root.
 */
function fixPermissions(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const failure of failures) {
    const target = failure.subject.location && nodeFileOf(ctx, failure.subject.location.file);
    // A remediation without chmod (an owner-only rule) keeps the mode.
    const max = /chmod (\d{3,4}) /.exec(failure.remediation ?? '')?.[1] ?? '7777';
    if (!target) continue;
    const file = target.host.files.find((f) => f.path === target.path);
    if (!file) continue;
    const mode = file.mode & 0o7777 & Number.parseInt(max, 8);
    ctx.chmod(target.host, target.path, mode, /owned by uid/.test(failure.message) ? { uid: 0, gid: 0 } : undefined);
  }
}

/** The fix of the file-permission checks (credentials, kubelet, etcd, static pod manifests). */
export const PERMISSIONS_FIX: CheckFix = {
  safety: 'safe',
  summary: 'chmod each file to the mode this check allows (clearing the extra bits, adding none) and chown it to root when another user owns it; a copied node root\'s .kubeward-stat.tsv records the new modes',
  plan: fixPermissions,
};

/** A configuration file that only root may read (EncryptionConfiguration). */
export function restrictToRoot(ctx: FixContext, items: readonly Item[]): void {
  for (const item of items) {
    const target = nodeFileOf(ctx, item.location.file);
    const file = target && target.host.files.find((f) => f.path === target.path);
    if (!target || !file) continue;
    ctx.chmod(target.host, target.path, file.mode & 0o700, file.uid !== 0 ? { uid: 0, gid: 0 } : undefined);
  }
}

/** The kubelets whose findings failed. */
function failingKubelets(ctx: FixContext, failures: readonly FailResult[]): { kubelet: KubeletSettings; failure: FailResult }[] {
  const byRef = failuresByRef(failures);
  return kubeletsOf(ctx.check).flatMap((kubelet) => {
    const failure = byRef.get(refKey(kubelet.ref));
    return failure ? [{ kubelet, failure }] : [];
  });
}

/** Sets one KubeletConfiguration field on every failing kubelet (and takes an overriding flag off). */
export function kubeletField(field: string, value: string | number | boolean | ((k: KubeletSettings, ctx: FixContext) => unknown)) {
  return (ctx: FixContext, failures: readonly FailResult[]): void => {
    for (const { kubelet, failure } of failingKubelets(ctx, failures)) {
      const wanted = typeof value === 'function' ? value(kubelet, ctx) : value;
      if (wanted === undefined) continue;
      if (!setKubeletField(ctx, kubelet, field, wanted)) {
        ctx.manual(failure, kubelet.source === 'configz'
          ? `read from the live kubelet on ${kubelet.node}: set ${field}: ${JSON.stringify(wanted)} in that node's kubelet config file (kubeward fix --node-root on the node)`
          : `no kubelet config file (--config) to set ${field} in: add one, or set the flag on the kubelet's command line`);
      }
    }
  };
}

/** The cluster CA kubeadm writes: the kubelet's client CA where the node has it. */
const CLUSTER_CA = '/etc/kubernetes/pki/ca.crt';

/**
 * The kubelet's client CA: the cluster CA when the node root shows it (safe); for a config file
 * read without its node, kubeadm's path (unsafe: the kubelet does not start without that file).
 */
export function kubeletClientCa(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { kubelet, failure } of failingKubelets(ctx, failures)) {
    const host = kubelet.run?.host ?? nodeFileOf(ctx, kubelet.location.file)?.host;
    const set = () => {
      if (!setKubeletField(ctx, kubelet, 'authentication.x509.clientCAFile', CLUSTER_CA)) ctx.manual(failure, 'no kubelet config file (--config) to set authentication.x509.clientCAFile in');
    };
    if (host?.files.some((f) => f.path === CLUSTER_CA)) set();
    else if (host) ctx.manual(failure, `${CLUSTER_CA} is not on node ${host.name}: copy the cluster CA there, then set authentication.x509.clientCAFile`);
    else {
      ctx.withSafety('unsafe', `the kubelet does not start unless ${CLUSTER_CA} (kubeadm's cluster CA) is on its node`, set, failure);
    }
  }
}

/** The runs of components whose findings failed. */
function failingRuns(ctx: FixContext, failures: readonly FailResult[], components: readonly FlagComponent[]): { settings: ComponentSettings; failure: FailResult }[] {
  const byRef = failuresByRef(failures);
  return components.flatMap((c) => runsOf(ctx.check, c)).flatMap((settings) => {
    const failure = byRef.get(refKey(settings.run.ref));
    return failure ? [{ settings, failure }] : [];
  });
}

/**
 * Sets (a string) or removes (undefined) one flag on every failing run; `value` may decide from
 * the run's settings, and returns null to leave the finding to a person with `why`.
 */
export function flag(components: readonly FlagComponent[], name: string, value: string | undefined | ((s: ComponentSettings, ctx: FixContext) => string | undefined | null), why = 'this run cannot be changed automatically') {
  return (ctx: FixContext, failures: readonly FailResult[]): void => {
    for (const { settings, failure } of failingRuns(ctx, failures, components)) {
      const wanted = typeof value === 'function' ? value(settings, ctx) : value;
      if (wanted === null) {
        ctx.manual(failure, why);
        continue;
      }
      if (!setFlag(ctx, settings.run, name, wanted)) ctx.manual(failure, `${settings.run.component} does not run as a pod here (a process or a systemd unit): set --${name}${wanted === undefined ? ' off' : `=${wanted}`} where it is started`);
    }
  };
}

// ---- modprobe -------------------------------------------------------------------------------

const BLACKLIST_FILE = '/etc/modprobe.d/kubeward-blacklist.conf';

/** install MODULE /bin/false (and blacklist): the module cannot be loaded, on demand or by name. */
export function blockModules(ctx: FixContext, modules: (host: HostSnapshot) => readonly string[]): void {
  for (const host of ctx.check.inventory.hosts) {
    const wanted = modules(host);
    if (wanted.length === 0) continue;
    ctx.writeNodeFile(host, BLACKLIST_FILE, (current) => {
      const lines = (current ?? '# Written by kubeward fix: kernel modules the guide says to keep from loading.\n').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
      for (const module of wanted) {
        if (!lines.includes(`blacklist ${module}`)) lines.push(`blacklist ${module}`);
        if (!lines.includes(`install ${module} /bin/false`)) lines.push(`install ${module} /bin/false`);
      }
      return { content: `${lines.join('\n')}\n`, mode: 0o644 };
    });
  }
}

// ---- encryption at rest ----------------------------------------------------------------------

interface Provider { [name: string]: unknown }
interface ResourceEntry { resources?: string[]; providers?: Provider[] }

/** A new secretbox key (32 bytes from node:crypto, registered as generated) named kubeward-YYYYMMDD. */
function secretboxKey(ctx: FixContext): { name: string; secret: string } {
  const secret = randomBytes(32).toString('base64');
  ctx.generated(secret);
  return { name: `kubeward-${ctx.check.now.toISOString().slice(0, 10).replace(/-/g, '')}`, secret };
}

/**
 * The EncryptionConfiguration's resources with a new secretbox key first for each resource given,
 * every existing provider kept after it (what is stored today stays readable) and identity last
 * (plaintext written before stays readable). The key comes from node:crypto; it is registered as
 * generated, so no output shows it.
 */
function encryptWith(ctx: FixContext, item: Item, resources: readonly string[]): void {
  const edit = ctx.edit(item);
  const entries = structuredClone(((edit.object as { resources?: ResourceEntry[] }).resources) ?? []);
  const key = secretboxKey(ctx);
  for (const resource of resources) {
    let entry = entries.find((e) => e.resources?.includes(resource));
    if (!entry) entries.push((entry = { resources: [resource], providers: [{ identity: {} }] }));
    const providers = entry.providers ?? [];
    // A key this fix added in an earlier round is kept as the first: one new key per run.
    if (JSON.stringify(providers[0] ?? {}).includes('"kubeward-')) continue;
    const identity = providers.filter((p) => 'identity' in p);
    const others = providers.filter((p) => !('identity' in p));
    entry.providers = [{ secretbox: { keys: [{ ...key }] } }, ...others, ...(identity.length ? identity : [{ identity: {} }])];
  }
  edit.set(['resources'], entries);
}

/** Plans encryption for the failing EncryptionConfigurations (Secrets and ConfigMaps). */
function encryptSecretsAndConfigMaps(ctx: FixContext, failures: readonly FailResult[]): void {
  const failing = new Set(failures.map((f) => refKey(f.subject.ref)));
  for (const item of ctx.check.inventory.ofKind('EncryptionConfiguration')) {
    if (failing.has(refKey(item.ref))) encryptWith(ctx, item, ['secrets', 'configmaps']);
  }
}

export const REWRITE_STORED = 'restart kube-apiserver on every control-plane node, then rewrite what is stored so it is encrypted with the new key: kubectl get secrets,configmaps -A -o json | kubectl replace -f -';

/** The fix of the checks that find Secrets or ConfigMaps written unencrypted. */
export const ENCRYPT_SECRETS_AND_CONFIGMAPS_FIX: CheckFix = {
  safety: 'safe',
  summary: 'adds a secretbox provider with a key generated by node:crypto (shown as <generated 32-byte key>) first for Secrets and ConfigMaps; the existing providers stay after it so what is stored today stays readable, identity last',
  followUp: REWRITE_STORED,
  plan: encryptSecretsAndConfigMaps,
};

// ---- audit -----------------------------------------------------------------------------------

/** The audit rules the fix sets: credentials at Metadata, noise dropped, writes with their request, the rest at Metadata. */
const AUDIT_RULES = [
  { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'] },
  { level: 'None', resources: [{ group: '', resources: ['events'] }] },
  { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
  {
    level: 'Metadata',
    resources: [
      { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      { group: 'certificates.k8s.io', resources: ['certificatesigningrequests'] },
    ],
  },
  { level: 'Request', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
  { level: 'Metadata' },
];

/** Replaces the rules of each failing audit Policy (its other fields and comments stay). */
function rewriteAuditPolicies(ctx: FixContext, failures: readonly FailResult[]): void {
  const failing = new Set(failures.map((f) => refKey(f.subject.ref)));
  for (const item of ctx.check.inventory.ofKind('Policy')) {
    if (!failing.has(refKey(item.ref)) || !String(item.object.apiVersion ?? '').startsWith('audit.k8s.io/')) continue;
    const edit = ctx.edit(item);
    edit.set(['rules'], AUDIT_RULES);
    if (!Array.isArray((edit.object as { omitStages?: unknown }).omitStages)) edit.set(['omitStages'], ['RequestReceived']);
  }
}

/** The fix of the audit policy checks: the rules replaced with AUDIT_RULES. */
export const AUDIT_POLICY_FIX: CheckFix = {
  safety: 'safe',
  summary: 'replaces the audit policy\'s rules: Secrets, ConfigMaps, token and certificate requests at Metadata (no bodies), events, kube-proxy watches and health checks not logged, writes at Request, everything else at Metadata (a catch-all last)',
  followUp: 'restart kube-apiserver (move its static pod manifest out of /etc/kubernetes/manifests and back) so it reads the new audit policy',
  plan: rewriteAuditPolicies,
};

// ---- API server authentication and authorization ----------------------------------------------

const HEALTH_PATHS = ['/livez', '/readyz', '/healthz'];
/** AuthenticationConfiguration's anonymous: allowed only to the health endpoints. */
const HEALTH_ONLY = { enabled: true, conditions: HEALTH_PATHS.map((path) => ({ path })) };
const AUTHN_CONFIG = '/etc/kubernetes/authentication-config.yaml';

/**
 * Anonymous requests only to the health endpoints. Before 1.32 the only switch is
 * --anonymous-auth=false, which fails kubeadm's unauthenticated liveness probes and restarts the
 * API server in a loop: left to a person. From 1.32 an AuthenticationConfiguration allows
 * anonymous requests to /livez, /readyz and /healthz only.
 */
export function anonymousOnlyToHealth(ctx: FixContext, failures: readonly FailResult[]): void {
  const version = ctx.check.k8sVersion;
  // An AuthenticationConfiguration that lets anonymous requests reach more: its conditions narrowed.
  const configs = new Set(failures.filter((f) => f.subject.ref.kind === 'AuthenticationConfiguration').map((f) => refKey(f.subject.ref)));
  for (const item of ctx.check.inventory.ofKind('AuthenticationConfiguration')) {
    if (configs.has(refKey(item.ref))) ctx.edit(item).set(['anonymous'], HEALTH_ONLY);
  }
  for (const { settings, failure } of failingRuns(ctx, failures, ['kube-apiserver'])) {
    if (!version) {
      ctx.manual(failure, 'the cluster version is unknown (give --k8s-version): before 1.32 turning anonymous auth off breaks kubeadm\'s liveness probes, from 1.32 an AuthenticationConfiguration can keep them');
      continue;
    }
    if (version.major === 1 && version.minor < 32) {
      ctx.manual(failure, `Kubernetes ${version.text}: --anonymous-auth=false makes kubeadm's unauthenticated liveness, readiness and startup probes (/livez, /readyz) fail, so the API server restarts in a loop; upgrade to 1.32+ (anonymous auth limited to health endpoints by AuthenticationConfiguration) or change the probes first`);
      continue;
    }
    const host = settings.run.host;
    const configured = settings.get('authentication-config').value;
    if (configured) {
      const item = ctx.check.inventory.ofKind('AuthenticationConfiguration').find((i) => i.location.file.endsWith(configured));
      if (!item) {
        ctx.manual(failure, `its AuthenticationConfiguration ${configured} is not in the input: allow anonymous requests there only to ${HEALTH_PATHS.join(', ')}`);
        continue;
      }
      ctx.edit(item).set(['anonymous'], HEALTH_ONLY);
      continue;
    }
    if (!host || !settings.run.pod || !mountsAllowed(ctx, settings)) {
      ctx.manual(failure, 'kube-apiserver is not a static pod of a node root that mounts host files here: add an AuthenticationConfiguration that allows anonymous requests only to the health endpoints, and mount it');
      continue;
    }
    ctx.writeNodeFile(host, AUTHN_CONFIG, (current) => (current !== undefined ? undefined : {
      content: `# Written by kubeward fix: anonymous requests are allowed only to the health endpoints that\n# kubeadm's probes call.\napiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n${HEALTH_PATHS.map((p) => `  - path: ${p}\n`).join('')}`,
      mode: 0o600,
    }));
    setFlag(ctx, settings.run, 'anonymous-auth', undefined);
    setFlag(ctx, settings.run, 'authentication-config', AUTHN_CONFIG);
    mountHostFile(ctx, settings.run, 'authentication-config', AUTHN_CONFIG);
  }
}

/** Node and RBAC authorizers; removing AlwaysAllow is unsafe (what relied on it is refused). */
export function nodeAndRbac(ctx: FixContext, failures: readonly FailResult[]): void {
  const risk = 'every request that only AlwaysAllow allowed (a client without RBAC grants) is refused';
  const configs = new Map(failures.filter((f) => f.subject.ref.kind === 'AuthorizationConfiguration').map((f) => [refKey(f.subject.ref), f]));
  for (const item of ctx.check.inventory.ofKind('AuthorizationConfiguration')) {
    const failure = configs.get(refKey(item.ref));
    if (!failure) continue;
    const authorizers = ((item.object as { authorizers?: { type?: string; name?: string }[] }).authorizers ?? []);
    const next = [{ type: 'Node', name: 'node' }, { type: 'RBAC', name: 'rbac' }, ...authorizers.filter((a) => !['Node', 'RBAC', 'AlwaysAllow'].includes(a.type ?? ''))];
    const apply = () => ctx.edit(item).set(['authorizers'], next);
    if (!authorizers.some((a) => a.type === 'AlwaysAllow')) apply();
    else ctx.withSafety('unsafe', risk, apply, failure);
  }
  for (const { settings, failure } of failingRuns(ctx, failures, ['kube-apiserver'])) {
    if (settings.get('authorization-config').value) {
      ctx.manual(failure, 'authorization comes from an AuthorizationConfiguration: add Node and RBAC authorizers (and remove AlwaysAllow) there');
      continue;
    }
    const modes = (settings.get('authorization-mode').value ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    const next = ['Node', 'RBAC', ...modes.filter((m) => !['Node', 'RBAC', 'AlwaysAllow'].includes(m))].join(',');
    const apply = () => {
      if (!setFlag(ctx, settings.run, 'authorization-mode', next)) ctx.manual(failure, `kube-apiserver does not run as a pod here: set --authorization-mode=${next} where it is started`);
    };
    if (!modes.includes('AlwaysAllow')) apply();
    else ctx.withSafety('unsafe', risk, apply, failure);
  }
}

// ---- feature gates and API versions -----------------------------------------------------------

/**
 * Turns off the feature gates `drop` names (given its name, whether it is on, and the version) on
 * every failing component: the --feature-gates flag of the control plane, the kubelet's
 * featureGates in its config file. A gate set on the kubelet's command line is left to a person.
 */
export function dropFeatureGates(drop: (name: string, on: boolean, version: KubeVersion | undefined) => boolean) {
  return (ctx: FixContext, failures: readonly FailResult[]): void => {
    const version = ctx.check.k8sVersion;
    const gates = (text: string | undefined) => (text ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    const kept = (text: string | undefined) => gates(text).filter((g) => {
      const [name, value] = g.split('=');
      return !drop(name!.trim(), /^(1|t|true)$/i.test((value ?? '').trim()), version);
    });
    flag(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], 'feature-gates', (s) => kept(s.get('feature-gates').value).join(',') || undefined)(ctx, failures);
    for (const { kubelet, failure } of failingKubelets(ctx, failures)) {
      const item = kubeletConfigItem(ctx, kubelet);
      const setting = kubelet.get('featureGates');
      if (!item || setting.origin.kind !== 'file') {
        ctx.manual(failure, 'the kubelet\'s feature gates are not in a config file kubeward can edit: turn them off where they are set');
        continue;
      }
      const map = ((ctx.planned(item) as { featureGates?: Record<string, unknown> }).featureGates) ?? {};
      for (const [name, value] of Object.entries(map)) if (drop(name, value === true || value === 'true', version)) ctx.edit(item).remove(['featureGates', name]);
    }
  };
}

/** A gate's stage at a version, as the feature-stages checks look it up. */
export function gateStage(name: string, version: KubeVersion | undefined): { stage: string; default: boolean } | undefined {
  if (!version) return undefined;
  const lookup = gateAt(name, version);
  return lookup.known ? lookup.spec : undefined;
}

// ---- turning audit logging and encryption at rest on --------------------------------------------

const AUDIT_POLICY_FILE = '/etc/kubernetes/audit-policy.yaml';
const AUDIT_LOG_DIR = '/var/log/kubernetes/audit';
const ENCRYPTION_FILE = '/etc/kubernetes/encryption-config.yaml';

/**
 * A control-plane static pod already mounts host files (kubeadm's pki, certificates): one more
 * hostPath volume adds no new Pod Security violation. A pod without any would get its first.
 */
function mountsAllowed(ctx: FixContext, settings: ComponentSettings): boolean {
  const item = settings.run.pod?.item;
  const spec = item && (valueAtPath(ctx.planned(item), fieldPath(settings.run.pod!.containerPath).slice(0, -2)) as { volumes?: { hostPath?: unknown }[] } | undefined);
  return Boolean(spec?.volumes?.some((v) => v.hostPath));
}

/** The failing kube-apiserver runs that are static pods of a node root (the files go on that node). */
export function staticApiServers(ctx: FixContext, failures: readonly FailResult[], what: string): { settings: ComponentSettings; host: HostSnapshot; failure: FailResult }[] {
  return failingRuns(ctx, failures, ['kube-apiserver']).flatMap(({ settings, failure }) => {
    const host = settings.run.host;
    if (!host || !settings.run.pod) {
      ctx.manual(failure, `kube-apiserver is not a static pod of a node root in the input: ${what} on its node`);
      return [];
    }
    if (!mountsAllowed(ctx, settings)) {
      ctx.manual(failure, `kube-apiserver's pod mounts no host files, so the hostPath mount this needs would be its first baseline Pod Security violation: ${what} by hand`);
      return [];
    }
    return [{ settings, host, failure }];
  });
}

/**
 * An audit policy (AUDIT_RULES) and a rotated log file on the node, with the flags and the
 * hostPath mounts kube-apiserver needs for them.
 */
export function enableAuditLog(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { settings, host } of staticApiServers(ctx, failures, 'add --audit-policy-file and --audit-log-path')) {
    const run = settings.run;
    const policy = settings.get('audit-policy-file').value;
    if (!policy) {
      ctx.writeNodeFile(host, AUDIT_POLICY_FILE, (current) => (current !== undefined ? undefined : {
        content: `# Written by kubeward fix.\n${yamlLibrary().stringify({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules: AUDIT_RULES })}`,
        mode: 0o600,
      }));
      setFlag(ctx, run, 'audit-policy-file', AUDIT_POLICY_FILE);
      mountHostFile(ctx, run, 'audit-policy', AUDIT_POLICY_FILE);
    }
    if (!settings.get('audit-log-path').value && !settings.get('audit-webhook-config-file').value) {
      for (const [name, value] of [['audit-log-path', `${AUDIT_LOG_DIR}/audit.log`], ['audit-log-maxage', '30'], ['audit-log-maxbackup', '10'], ['audit-log-maxsize', '100']] as const) {
        setFlag(ctx, run, name, value);
      }
      mountHostFile(ctx, run, 'audit-log', AUDIT_LOG_DIR, 'DirectoryOrCreate', false);
    }
  }
}

/** An EncryptionConfiguration on the node (a generated secretbox key for Secrets and ConfigMaps), its flag and mount. */
export function enableEncryption(ctx: FixContext, failures: readonly FailResult[]): void {
  for (const { settings, host } of staticApiServers(ctx, failures, 'add --encryption-provider-config')) {
    const providers = [{ secretbox: { keys: [secretboxKey(ctx)] } }, { identity: {} }];
    ctx.writeNodeFile(host, ENCRYPTION_FILE, (current) => (current !== undefined ? undefined : {
      content: `# Written by kubeward fix: new writes are encrypted; identity reads what was stored before.\n${yamlLibrary().stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets', 'configmaps'], providers }] })}`,
      mode: 0o600,
    }));
    setFlag(ctx, settings.run, 'encryption-provider-config', ENCRYPTION_FILE);
    mountHostFile(ctx, settings.run, 'encryption-config', ENCRYPTION_FILE);
  }
}
