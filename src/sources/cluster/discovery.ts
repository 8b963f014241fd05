// Discovery: which of the resource types kubeward needs the cluster serves, and at which version.
// Reads /api and /apis, then /api/v1 and /apis/<group>/<version> for the groups it needs only.

import { ApiError, type ApiClient } from './client.js';
import { groupVersionOf, type ResourceType } from './resources.js';

export interface ServedType {
  type: ResourceType;
  version: string;
}

export interface DiscoveryResult {
  served: ServedType[];
  /** Resource types the cluster does not serve at any version kubeward reads (e.g. PSP on 1.25+). */
  notServed: ResourceType[];
  /** Discovery requests that failed; the types of their groups are unknown. */
  failures: { type: ResourceType; error: ApiError }[];
}

interface APIResourceList {
  resources?: { name: string; verbs?: string[] }[];
}

export async function discover(client: ApiClient, types: readonly ResourceType[]): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { served: [], notServed: [], failures: [] };
  // Group versions the server offers: /api lists core versions, /apis every group's.
  const offered = new Set<string>();
  const core = (await client.getJson('/api')) as { versions?: string[] };
  for (const v of core.versions ?? []) offered.add(v);
  const groups = (await client.getJson('/apis')) as { groups?: { versions?: { groupVersion: string }[] }[] };
  for (const g of groups.groups ?? []) for (const v of g.versions ?? []) offered.add(v.groupVersion);

  const wanted = new Set<string>();
  for (const type of types) for (const v of type.versions) if (offered.has(groupVersionOf(type.group, v))) wanted.add(groupVersionOf(type.group, v));
  const resources = new Map<string, APIResourceList | ApiError>();
  await Promise.all([...wanted].map(async (gv) => {
    try {
      resources.set(gv, (await client.getJson(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`)) as APIResourceList);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      resources.set(gv, e);
    }
  }));

  for (const type of types) {
    let found: string | undefined;
    let failure: ApiError | undefined;
    for (const version of type.versions) {
      const list = resources.get(groupVersionOf(type.group, version));
      if (list instanceof ApiError) {
        failure ??= list;
        continue;
      }
      const resource = list?.resources?.find((r) => r.name === type.resource);
      if (resource && (resource.verbs ?? []).includes('list')) {
        found = version;
        break;
      }
    }
    if (found) result.served.push({ type, version: found });
    else if (failure) result.failures.push({ type, error: failure });
    else result.notServed.push(type);
  }
  return result;
}
