// kube-apiserver --runtime-config entries: "api/all=true", "api/alpha", "group/version=false",
// "group/version/resource=true". A key without a value means true, as upstream's
// cliflag.ConfigurationMap parses it.

export interface RuntimeConfigEntry {
  /** The key as written: api/all, resource.k8s.io/v1alpha3, v1, ... */
  key: string;
  enabled: boolean;
  /** Stage of a group version key, from its version name (v1alpha1, v2beta3, v1). */
  stage?: 'alpha' | 'beta' | 'ga';
  /** The entry as written, for messages. */
  text: string;
}

function stageOf(version: string): RuntimeConfigEntry['stage'] {
  if (/^v\d+alpha\d+$/.test(version)) return 'alpha';
  if (/^v\d+beta\d+$/.test(version)) return 'beta';
  return /^v\d+$/.test(version) ? 'ga' : undefined;
}

export function parseRuntimeConfig(text: string): RuntimeConfigEntry[] {
  const entries: RuntimeConfigEntry[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? 'true' : entry.slice(eq + 1).trim().toLowerCase();
    const parts = key.split('/');
    // group/version[/resource], or a bare core version "v1"; "api/..." are the stage switches.
    const version = parts[0] === 'api' ? undefined : parts.length === 1 ? parts[0]! : parts[1]!;
    const stage = version === undefined ? undefined : stageOf(version);
    entries.push({ key, enabled: value === 'true', ...(stage ? { stage } : {}), text: entry });
  }
  return entries;
}
