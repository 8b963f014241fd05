// Test helpers for the admission code: a cluster state from YAML and AdmissionReview requests.

import { parseDocuments } from '../sources/documents.js';
import type { K8sObject } from '../inventory/types.js';
import type { AdmissionRequest } from './decisions.js';
import { ClusterState, STATE_KINDS } from './state.js';

export function objectsFromYaml(yaml: string): K8sObject[] {
  const parsed = parseDocuments(yaml, 'test.yaml');
  if (parsed.errors.length > 0) throw new Error(`bad test YAML: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.items.map((i) => i.object);
}

/** A synced state holding the objects of the YAML, its RBAC baseline built. */
export function stateFromYaml(yaml: string): ClusterState {
  const state = new ClusterState();
  const objects = objectsFromYaml(yaml);
  for (const kind of STATE_KINDS) state.replaceKind(kind, objects.filter((o) => o.kind === kind), 'test.yaml');
  state.markSynced();
  return state;
}

let uid = 0;

/** An AdmissionReview v1 request for one object, as the API server sends it. */
export function requestFor(object: K8sObject, options: { operation?: string; oldObject?: K8sObject; username?: string; groups?: string[]; dryRun?: boolean } = {}): AdmissionRequest {
  const [group, version] = object.apiVersion?.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return {
    uid: `00000000-0000-0000-0000-${String(++uid).padStart(12, '0')}`,
    kind: { group: group ?? '', version: version ?? 'v1', kind: object.kind ?? '' },
    ...(object.metadata?.name ? { name: object.metadata.name } : {}),
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    operation: options.operation ?? (options.oldObject ? 'UPDATE' : 'CREATE'),
    userInfo: { username: options.username ?? 'alice', groups: options.groups ?? ['system:authenticated'] },
    object,
    oldObject: options.oldObject ?? null,
    dryRun: options.dryRun ?? false,
  };
}
