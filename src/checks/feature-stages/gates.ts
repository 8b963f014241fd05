// Feature gates as components are given them, and their stage at the cluster's version from the
// versioned feature list shipped in data/feature-gates.json (generated from upstream's
// defaultVersionedKubernetesFeatureGates by scripts/feature-gates.mjs).

import { readFileSync } from 'node:fs';
import {
  apiServerSettings, controllerManagerSettings, schedulerSettings, type Setting,
} from '../../engines/config/index.js';
import type { KubeVersion } from '../../inventory/version.js';
import { kubeProxiesOf, kubeletSubject, kubeletsOf, runSubject, settingField } from '../component-support.js';
import { notEvaluated } from '../define.js';
import type { CheckContext, CheckResult, Subject } from '../types.js';

export type GateStage = 'alpha' | 'beta' | 'ga' | 'deprecated';

export interface GateSpec {
  since: string;
  stage: GateStage;
  default: boolean;
  lockToDefault?: boolean;
}

interface FeatureGateData {
  source: { newestVersion: string };
  gates: Record<string, GateSpec[]>;
}

let data: FeatureGateData | undefined;

function gateData(): FeatureGateData {
  data ??= JSON.parse(readFileSync(new URL('../../../../data/feature-gates.json', import.meta.url), 'utf8')) as FeatureGateData;
  return data;
}

/** The switches every Kubernetes feature gate set understands besides the named gates. */
export const ALL_ALPHA = 'AllAlpha';
export const ALL_BETA = 'AllBeta';

export type GateLookup =
  | { known: true; spec: GateSpec; /** Set when the version is newer than the data: the stage is as of this version. */ asOf?: string }
  | { known: false; reason: string };

function minorNumber(text: string): number {
  const [major, minor] = text.split('.').map(Number);
  return major! * 1000 + minor!;
}

/** The spec of a gate in force at a version: the last whose `since` is not after it. */
export function gateAt(name: string, version: KubeVersion): GateLookup {
  const { gates, source } = gateData();
  const specs = gates[name];
  if (!specs) return { known: false, reason: `feature gate ${name} is not in kubeward's feature list (data/feature-gates.json)` };
  const at = version.major * 1000 + version.minor;
  const spec = [...specs].reverse().find((s) => minorNumber(s.since) <= at);
  if (!spec) return { known: false, reason: `feature gate ${name} does not exist in v${version.major}.${version.minor} (first listed in ${specs[0]!.since})` };
  return at > minorNumber(source.newestVersion) ? { known: true, spec, asOf: source.newestVersion } : { known: true, spec };
}

/** Go's strconv.ParseBool, which the --feature-gates parser uses. */
function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** "A=true,B=false" as a map; entries that do not parse are returned apart. */
export function parseGates(text: string): { gates: Map<string, boolean>; invalid: string[] } {
  const gates = new Map<string, boolean>();
  const invalid: string[] = [];
  for (const pair of text.split(',')) {
    const entry = pair.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const value = eq < 0 ? undefined : parseBool(entry.slice(eq + 1).trim());
    if (eq < 0 || value === undefined) invalid.push(entry);
    else gates.set(entry.slice(0, eq).trim(), value);
  }
  return { gates, invalid };
}

/** One component run's feature gates, where they were set. */
export interface GateHolder {
  component: string;
  /** Names the run: its pod, process or node. */
  name: string;
  setting: Setting;
  gates: Map<string, boolean>;
  subject: Subject;
  /** The field path of the setting, when it is a flag or config field. */
  field?: string;
}

/**
 * The feature gates of every Kubernetes component the input shows (kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet, kube-proxy), or one not-evaluated result
 * when it shows none of them.
 */
export function* forEachGateHolder(ctx: CheckContext, judge: (holder: GateHolder) => Iterable<CheckResult>): Iterable<CheckResult> {
  const { inventory, k8sVersion } = ctx;
  const holders: GateHolder[] = [];
  const flagRuns = [
    ctx.shared('config:kube-apiserver', () => apiServerSettings(inventory, k8sVersion)),
    ctx.shared('config:kube-controller-manager', () => controllerManagerSettings(inventory, k8sVersion)),
    ctx.shared('config:kube-scheduler', () => schedulerSettings(inventory, k8sVersion)),
  ].flat();
  for (const s of flagRuns) {
    const setting = s.get('feature-gates');
    holders.push({ component: s.run.component, name: s.run.ref.name, setting, gates: parseGates(setting.value ?? '').gates, subject: runSubject(s.run, setting), ...settingField(setting) });
  }
  for (const k of kubeletsOf(ctx)) {
    const setting = k.get('featureGates');
    holders.push({ component: 'kubelet', name: k.node, setting, gates: parseGates(setting.value ?? '').gates, subject: kubeletSubject(k, setting), ...settingField(setting) });
  }
  for (const p of kubeProxiesOf(ctx)) {
    const setting = p.get('featureGates');
    holders.push({ component: 'kube-proxy', name: p.run.ref.name, setting, gates: parseGates(setting.value ?? '').gates, subject: runSubject(p.run, setting), ...settingField(setting) });
  }
  if (holders.length === 0) {
    const reason = inventory.gap('kube-apiserver') ?? 'no kube-apiserver, kube-controller-manager, kube-scheduler, kubelet or kube-proxy in the input, so no feature gates to judge; scan with --node-root or --cluster';
    yield notEvaluated({ ref: { kind: 'Component', name: 'kubernetes components' } }, reason);
    return;
  }
  for (const holder of holders) yield* judge(holder);
}

/** "kube-apiserver kube-apiserver-cp-1": how a message names a holder. */
export function describeHolder(holder: GateHolder): string {
  return holder.name.includes(holder.component) ? holder.name : `${holder.component} ${holder.name}`;
}
