// The namespace annotation the PodNodeSelector admission plugin reads, parsed as the plugin does
// (labels.ConvertSelectorToLabelsMap: "key=value,key2=value2").

export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';

export function parseNodeSelectorAnnotation(text: string): { ok: true; labels: Record<string, string> } | { ok: false; error: string } {
  const labels: Record<string, string> = {};
  if (text.trim() === '') return { ok: true, labels };
  for (const pair of text.split(',')) {
    const kv = pair.split('=');
    if (kv.length !== 2) return { ok: false, error: `invalid selector: ${text}` };
    const key = kv[0]!.trim();
    if (key === '') return { ok: false, error: `invalid selector: ${text}` };
    labels[key] = kv[1]!.trim();
  }
  return { ok: true, labels };
}
