// Fixes of kube-proxy settings where kube-proxy reads them: its --config (a KubeProxyConfiguration
// file, or the YAML text of a ConfigMap key, as kubeadm mounts kube-system/kube-proxy), else the
// flag on its pod. The YAML inside a ConfigMap string is edited on the line that holds the field
// (or the field is appended), so the rest of the embedded text stays byte for byte; the result is
// parsed back and must differ from the original in that field only.

import { isDeepStrictEqual } from 'node:util';
import type { FailResult } from '../checks/types.js';
import { kubeProxiesOf } from '../checks/component-support.js';
import type { KubeProxySettings } from '../engines/config/index.js';
import { yamlLibrary } from '../yaml.js';
import { failuresByRef, refKey, setFlag } from './helpers.js';
import type { FixContext } from './types.js';

function parses(text: string): Record<string, unknown> | undefined {
  try {
    const value = yamlLibrary().parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The YAML text with top-level `field` set to `value` (a string): the field's line rewritten
 * (its quoting and trailing comment kept) or, when absent, a line appended; failing that, the
 * `yaml` Document API. Undefined when no edit parses back to exactly that one change.
 */
export function setEmbeddedYamlField(text: string, field: string, value: string): string | undefined {
  const before = parses(text);
  if (!before) return undefined;
  const wanted = { ...before, [field]: value };
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^(${escaped}:[ \\t]*)(["']?)([^\\n#]*?)\\2([ \\t]+#[^\\n]*)?$`, 'm');
  const candidates: string[] = [];
  if (line.test(text)) candidates.push(text.replace(line, (_m, head: string, quote: string, _old: string, comment: string | undefined) => `${head}${quote}${value}${quote}${comment ?? ''}`));
  else candidates.push(`${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${field}: ${value}\n`);
  const doc = yamlLibrary().parseDocument(text);
  if (doc.errors.length === 0) {
    doc.set(field, value);
    candidates.push(doc.toString({ lineWidth: 0 }));
  }
  return candidates.find((c) => isDeepStrictEqual(parses(c), wanted));
}

/** Sets a kube-proxy field where the proxy reads it; false when the input holds nothing to edit. */
function setKubeProxyField(ctx: FixContext, proxy: KubeProxySettings, field: string, flag: string, value: string): boolean {
  const config = proxy.config;
  if (!config) return setFlag(ctx, proxy.run, flag, value);
  if (config.key === undefined) {
    ctx.edit(config.item).set([field], value);
    return true;
  }
  const text = (ctx.planned(config.item).data as Record<string, unknown> | undefined)?.[config.key];
  if (typeof text !== 'string') return false;
  const next = setEmbeddedYamlField(text, field, value);
  if (next === undefined) return false;
  ctx.edit(config.item).set(['data', config.key], next);
  return true;
}

/** kube-proxy-metrics-exposed: metricsBindAddress on 127.0.0.1, with the port it had (10249 by default). */
export function kubeProxyMetricsOnLoopback(ctx: FixContext, failures: readonly FailResult[]): void {
  const byRef = failuresByRef(failures);
  for (const proxy of kubeProxiesOf(ctx.check)) {
    const failure = byRef.get(refKey(proxy.run.ref));
    if (!failure) continue;
    const port = /:(\d+)$/.exec(proxy.get('metricsBindAddress').value ?? '')?.[1] ?? '10249';
    if (!setKubeProxyField(ctx, proxy, 'metricsBindAddress', 'metrics-bind-address', `127.0.0.1:${port}`)) {
      ctx.manual(failure, 'kube-proxy\'s configuration is not in an object or pod of the input that kubeward can edit: set metricsBindAddress: 127.0.0.1:10249 (or --metrics-bind-address) where it is written');
    }
  }
}
