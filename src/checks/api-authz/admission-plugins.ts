// Shared by the checks of one kube-apiserver admission plugin each: kubeward judges the plugin
// set the API server really runs (the config engine's defaults per version, the enable and
// disable lists, the legacy --admission-control); the CIS view follows kube-bench, which reads
// only the flag its test names (--enable-admission-plugins or --disable-admission-plugins).

import { enabledAdmissionPlugins, type ComponentRun, type Origin } from '../../engines/config/index.js';
import type { Cis112ControlId } from '../../frameworks/cis-1.12.js';
import { flag } from '../../fix/node-fixes.js';
import { fieldPath } from '../../fix/helpers.js';
import type { FixContext } from '../../fix/types.js';
import { forEachRun, listOf, runSubject } from '../component-support.js';
import { fail, pass } from '../define.js';
import type { CheckContext, CheckResult, FailResult } from '../types.js';
import { valueAtPath } from '../../inventory/types.js';

/**
 * on: the plugin must run (CIS: --enable-admission-plugins has it).
 * off: it must not run (CIS: --enable-admission-plugins does not have it).
 * kept: a default-on plugin must not be turned off (CIS: --disable-admission-plugins does not have it).
 */
export type Want = 'on' | 'off' | 'kept';

const LEGACY_NOTE = 'kube-bench reads only --enable-admission-plugins and --disable-admission-plugins, not the deprecated --admission-control that replaces them here';
const ONE_LIST_NOTE = 'kube-bench reads only one of --enable-admission-plugins and --disable-admission-plugins; here the other one decides';

export function* judgeAdmissionPlugin(ctx: CheckContext, plugin: string, want: Want, control: Cis112ControlId, problem: string): Iterable<CheckResult> {
  yield* forEachRun(ctx, 'kube-apiserver', function* (s) {
    const plugins = enabledAdmissionPlugins(s, ctx.k8sVersion);
    const enable = s.get('enable-admission-plugins');
    const disable = s.get('disable-admission-plugins');
    const runs = plugins.enabled.has(plugin);
    const good = want === 'off' ? !runs : runs;
    const cisGood = want === 'kept'
      ? !(disable.origin.kind === 'flag' && listOf(disable).includes(plugin))
      : (enable.origin.kind === 'flag' && listOf(enable).includes(plugin)) === (want === 'on');
    const cis = cisGood === good ? {} : { cis: { '1.12': { [control]: cisGood ? 'pass' : 'fail' } } as const, cisNote: s.run.flags.has('admission-control') ? LEGACY_NOTE : ONE_LIST_NOTE };
    const decidedBy: Origin | undefined = plugins.enabled.get(plugin) ?? plugins.disabled.get(plugin);
    const subject = decidedBy && decidedBy.kind !== 'default' ? { ref: s.run.ref, location: decidedBy.location } : runSubject(s.run, enable);
    if (good) return yield pass(subject, cis);
    const field = decidedBy && decidedBy.kind !== 'default' ? { field: decidedBy.field } : {};
    const how = want === 'off'
      ? ` (enabled by ${describe(decidedBy)})`
      : plugins.disabled.has(plugin) ? ' (--disable-admission-plugins turns it off)' : s.run.flags.has('admission-control') ? ' (--admission-control replaces the plugin list without it)' : '';
    yield fail(subject, `kube-apiserver ${want === 'off' ? 'runs' : 'does not run'} the ${plugin} admission plugin${how}: ${problem}`, { ...field, ...cis });
  });
}

function describe(origin: Origin | undefined): string {
  return origin?.kind === 'flag' ? `--${origin.flag}` : 'default';
}

/**
 * A flag's value as planned so far in this fix round: several plugins' fixes edit the same lists,
 * so each builds on the others' edits rather than on the value the scan read.
 */
export function plannedFlag(ctx: FixContext, run: ComponentRun, name: string): string | undefined {
  if (!run.pod) return run.flags.get(name)?.value;
  const container = valueAtPath(ctx.planned(run.pod.item), fieldPath(run.pod.containerPath)) as { command?: unknown[]; args?: unknown[] } | undefined;
  const argv = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  return argv[at]!.includes('=') ? argv[at]!.slice(name.length + 3) : argv[at + 1];
}

/**
 * The fix of an admission plugin's finding, on every failing API server: adds the plugin to
 * --enable-admission-plugins (on) or takes it out of it (off), and out of
 * --disable-admission-plugins; an API server on the legacy --admission-control (which the API
 * server does not combine with the other two) has that list edited instead.
 */
export function admissionPluginFix(plugin: string, want: Want) {
  return (ctx: FixContext, failures: readonly FailResult[]): void => {
    for (const name of ['admission-control', 'enable-admission-plugins', 'disable-admission-plugins']) {
      flag(['kube-apiserver'], name, (s) => {
        const current = plannedFlag(ctx, s.run, name);
        const legacy = plannedFlag(ctx, s.run, 'admission-control') !== undefined;
        const add = want !== 'off' && name === (legacy ? 'admission-control' : want === 'on' ? 'enable-admission-plugins' : '');
        if (current === undefined && !add) return undefined;
        const list = (current ?? '').split(',').map((p) => p.trim()).filter((p) => p && p !== plugin);
        return [...list, ...(add ? [plugin] : [])].join(',') || undefined;
      })(ctx, failures);
    }
  };
}
