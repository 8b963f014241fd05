// kubeward podsecurity: what kube-apiserver's Pod Security admission would say about every Pod
// and pod template, at a level and version; or, with --namespace-dry-run, which workloads each
// namespace would refuse if it were labelled that level.

import { UsageError } from '../../errors.js';
import { terminalLines } from '../../report/terminal.js';
import type { Location, ResourceRef } from '../../inventory/types.js';
import {
  denialMessage, describePolicy, evaluateWorkloads, formatLevelVersion, namespaceDryRun, parseLevel,
  parseVersion, type Level, type NamespaceDryRun, type PolicyVersion, type WorkloadEvaluation,
} from '../../engines/podsecurity/index.js';
import { emit, oneOf, parseFlags } from '../args.js';
import { readManifests } from '../manifests.js';

export const USAGE = `Usage: kubeward podsecurity [flags] PATH...

Evaluates every Pod and the pod template of every workload (Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob, PodTemplate) against the Pod Security Standards
exactly as kube-apiserver's PodSecurity admission does: same verdicts, same messages.

Flags:
  --level privileged|baseline|restricted   level to evaluate (default restricted)
  --version latest|v1.N                    policy version (default latest; versions above the
                                           newest change evaluate as it)
  --format table|json                      output format (default table)
  --namespace-dry-run LEVEL                per namespace, the workloads that would be refused if
                                           it were labelled pod-security.kubernetes.io/enforce=LEVEL
                                           (at --version), and its current labels
  -n, --namespace NS                       namespace for objects that name none (default "default")
  -o, --output FILE                        write the output to FILE

Exit codes: 0 all allowed, 1 any denied, 2 input errors (the rest is still evaluated).
`;

interface JsonResult {
  resource: ResourceRef;
  location: Location;
  level: Level;
  version: string;
  allowed: boolean;
  message?: string;
  violations: { check: string; reason: string; detail?: string }[];
}

export function resultJson(evaluation: WorkloadEvaluation, level: Level, version: PolicyVersion, versionText: string): JsonResult {
  const { pod, result } = evaluation;
  const { apiVersion, kind, namespace, name } = pod.item.ref;
  return {
    resource: { ...(apiVersion ? { apiVersion } : {}), kind, namespace: namespace ?? pod.namespace, name },
    location: pod.item.location,
    level,
    version: versionText,
    allowed: result.allowed,
    ...(result.allowed ? {} : { message: denialMessage(level, version, result.violations) }),
    violations: result.violations.map((v) => ({ check: v.check, reason: v.reason, ...(v.detail ? { detail: v.detail } : {}) })),
  };
}

function where(location: Location): string {
  return location.line ? `${location.file}:${location.line}` : location.file;
}

function describe(ref: ResourceRef, namespace: string): string {
  return `${ref.kind} ${ref.namespace ?? namespace}/${ref.name}`;
}

export function formatTable(evaluations: WorkloadEvaluation[], level: Level, version: PolicyVersion): string {
  const lines: string[] = [];
  let denied = 0;
  for (const { pod, result } of evaluations) {
    if (result.allowed) {
      lines.push(`allowed  ${describe(pod.item.ref, pod.namespace)}  ${where(pod.item.location)}`);
      continue;
    }
    denied++;
    lines.push(`DENIED   ${describe(pod.item.ref, pod.namespace)}  ${where(pod.item.location)}`);
    lines.push(`         ${denialMessage(level, version, result.violations)}`);
  }
  lines.push('');
  lines.push(`${evaluations.length} workloads evaluated at ${formatLevelVersion(level, version)}: ${evaluations.length - denied} allowed, ${denied} denied`);
  return terminalLines(lines);
}

export function dryRunJson(dryRun: NamespaceDryRun[], level: Level, version: PolicyVersion) {
  return dryRun.map((ns) => ({
    namespace: ns.namespace,
    ...(ns.current
      ? {
          current: describePolicy(ns.current.policy),
          ...(ns.current.errors.length > 0 ? { labelErrors: ns.current.errors } : {}),
        }
      : {}),
    exempt: ns.exempt,
    workloads: ns.workloads,
    refused: ns.refused.map((r) => ({
      resource: r.evaluation.pod.item.ref,
      location: r.evaluation.pod.item.location,
      reasons: r.reasons,
      message: denialMessage(level, version, r.evaluation.result.violations),
    })),
  }));
}

export function formatDryRunTable(dryRun: NamespaceDryRun[], level: Level, version: PolicyVersion): string {
  const target = formatLevelVersion(level, version);
  const lines: string[] = [];
  for (const ns of dryRun) {
    const current = ns.current
      ? `currently ${describePolicy(ns.current.policy)}${ns.current.errors.map((e) => `; label ${e.key}="${e.value}" is invalid (${e.error})`).join('')}`
      : 'Namespace object not in the input; current labels unknown';
    lines.push(`namespace "${ns.namespace}" (${current})`);
    if (ns.exempt) {
      lines.push('  exempt from PodSecurity by the admission configuration: labelling it changes nothing');
      continue;
    }
    if (ns.refused.length === 0) {
      lines.push(`  all ${ns.workloads} workloads would be allowed at enforce=${target}`);
      continue;
    }
    lines.push(`  Warning: existing pods in namespace "${ns.namespace}" violate the new PodSecurity enforce level "${target}" (${ns.refused.length} of ${ns.workloads} workloads)`);
    for (const r of ns.refused) {
      lines.push(`  ${r.evaluation.pod.item.ref.kind} ${r.evaluation.pod.item.ref.name} (${where(r.evaluation.pod.item.location)}): ${r.reasons}`);
    }
  }
  return terminalLines(lines);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    level: { type: 'string' },
    version: { type: 'string' },
    format: { type: 'string' },
    'namespace-dry-run': { type: 'string' },
    namespace: { type: 'string', short: 'n' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const dryRunText = values['namespace-dry-run'];
  const levelText = dryRunText ?? values.level ?? 'restricted';
  const level = parseLevel(levelText);
  if (!level.ok) throw new UsageError(`--${dryRunText ? 'namespace-dry-run' : 'level'} ${level.error} (got "${levelText}")`);
  const versionText = values.version ?? 'latest';
  const version = parseVersion(versionText);
  if (!version.ok) throw new UsageError(`--version ${version.error} (got "${versionText}")`);
  if (dryRunText && values.level) throw new UsageError('--namespace-dry-run names the level; do not also give --level');

  const { inventory, incomplete } = await readManifests('podsecurity', positionals, { whenNone: 'nothing to evaluate: give a PATH (or "-" for stdin)', namespace: values.namespace });
  const evaluations = evaluateWorkloads(inventory, level.value, version.value);
  const results = evaluations.map((e) => resultJson(e, level.value, version.value, versionText));

  let text: string;
  if (dryRunText) {
    const dryRun = namespaceDryRun(inventory, level.value, version.value);
    text = format === 'json'
      ? `${JSON.stringify({ results, namespaces: dryRunJson(dryRun, level.value, version.value) }, null, 2)}\n`
      : formatDryRunTable(dryRun, level.value, version.value);
  } else {
    text = format === 'json' ? `${JSON.stringify({ results }, null, 2)}\n` : formatTable(evaluations, level.value, version.value);
  }
  await emit(text, values.output);
  if (incomplete) return 2;
  return results.some((r) => !r.allowed) ? 1 : 0;
}

