// Lists one resource type in pages (limit/continue), starting over when the server says the
// continue token expired (410 Gone), and turns the items into the objects a manifest would hold.

import type { K8sObject } from '../../inventory/types.js';
import { appendAll } from '../types.js';
import { ApiError, type ApiClient } from './client.js';
import { METADATA_LIST_ACCEPT, groupVersionOf, listPath, type ResourceType } from './resources.js';

export interface ListOptions {
  /** Objects per page (default 500, as kubectl). */
  pageSize?: number;
  /** Fresh lists after an expired continue token before giving up (default 3). */
  relists?: number;
  /** Called after each page with the objects listed so far for this type. */
  onPage?: (count: number) => void;
}

interface ListBody {
  kind?: string;
  metadata?: { continue?: string; resourceVersion?: string };
  items?: K8sObject[];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Every object of a type, in the server's order; throws ApiError when the list cannot complete. */
export async function listAll(client: ApiClient, type: ResourceType, version: string, options: ListOptions = {}): Promise<K8sObject[]> {
  if (!type.typesBySelector) return listPages(client, type, version, options);
  // Metadata carries no `type`. One list per known type (a field selector, still metadata only)
  // and one of the rest fetch each object once and tell the checks each object's type.
  const objects: K8sObject[] = [];
  const onPage = (n: number) => options.onPage?.(objects.length + n);
  for (const value of type.typesBySelector) {
    for (const object of await listPages(client, type, version, { ...options, onPage, fieldSelector: `type=${value}` })) {
      object.type = value;
      objects.push(object);
    }
  }
  const rest = type.typesBySelector.map((value) => `type!=${value}`).join(',');
  appendAll(objects, await listPages(client, type, version, { ...options, onPage, fieldSelector: rest }));
  // The order one unfiltered list gives: etcd's key order, namespace then name.
  const key = (o: K8sObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  return objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

async function listPages(client: ApiClient, type: ResourceType, version: string, options: ListOptions & { fieldSelector?: string }): Promise<K8sObject[]> {
  const path = listPath(type, version);
  const pageSize = options.pageSize ?? 500;
  const relists = options.relists ?? 3;
  const accept = type.metadataOnly ? METADATA_LIST_ACCEPT : 'application/json';
  const apiVersion = groupVersionOf(type.group, version);

  for (let round = 0; ; round++) {
    const objects: K8sObject[] = [];
    let token: string | undefined;
    try {
      do {
        const query = new URLSearchParams({ limit: String(pageSize) });
        if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
        if (token) query.set('continue', token);
        const body = (await client.getJson(`${path}?${query}`, accept)) as ListBody;
        const request = client.requestName(`${path}?${query}`);
        if (!Array.isArray(body.items)) throw new ApiError(request, 'response is not a List (no items)');
        if (type.metadataOnly && body.kind !== 'PartialObjectMetadataList') {
          throw new ApiError(request, `the server answered a metadata-only list with ${body.kind ?? 'an untyped body'}; nothing of it is kept`);
        }
        for (const raw of body.items) objects.push(normalise(raw, type, apiVersion));
        options.onPage?.(objects.length);
        token = body.metadata?.continue || undefined;
      } while (token);
    } catch (e) {
      // An expired continue token: the list is no longer consistent; list again from the start.
      if (e instanceof ApiError && e.status === 410 && token && round < relists) continue;
      throw e;
    }
    return objects;
  }
}

/**
 * An item as a manifest holds it: typed list items carry no apiVersion/kind, metadata items say
 * PartialObjectMetadata. managedFields are dropped (bookkeeping, often half an object's size).
 * A Secret's last-applied-configuration annotation is dropped on receipt: kubectl apply writes
 * the Secret's data into it, and kubeward never keeps Secret values.
 */
function normalise(raw: K8sObject, type: ResourceType, apiVersion: string): K8sObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = raw;
  const object: K8sObject = { apiVersion, kind: type.kind };
  if (metadata) {
    const { managedFields: _m, ...meta } = metadata;
    if (type.metadataOnly && meta.annotations && LAST_APPLIED in meta.annotations) {
      const { [LAST_APPLIED]: _l, ...annotations } = meta.annotations;
      meta.annotations = annotations;
    }
    object.metadata = meta;
  }
  // A metadata-only item has nothing else; anything else is not kept for such types.
  if (!type.metadataOnly) Object.assign(object, rest);
  return object;
}
