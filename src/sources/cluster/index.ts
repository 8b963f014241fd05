// The live-cluster source: reads everything the checks need through the API server and says
// plainly what it could not see. Every failed request becomes an InputError naming the request
// (the scan is then incomplete, exit code 2) and, where checks depend on it, a VisibilityGap.

import { findComponent } from '../../engines/config/command-line.js';
import { InputUnavailableError } from '../../errors.js';
import { Inventory } from '../../inventory/inventory.js';
import { validateItems } from '../../inventory/validate.js';
import { refOf, type Item, type K8sObject, type VisibilityGap } from '../../inventory/types.js';
import { emptyLoadResult, type LoadResult } from '../types.js';
import { ApiClient, ApiError, DEFAULT_CONCURRENCY, type ClientOptions } from './client.js';
import { connect, type ClusterTarget } from './connection.js';
import { discover } from './discovery.js';
import { listAll } from './list.js';
import { CONTROL_PLANE_COMPONENTS, KUBELET_CONFIG_SCOPE, RESOURCE_TYPES, SECRET_DATA_SCOPE, listPath, type ResourceType } from './resources.js';

export interface ProgressEvent {
  /** Per resource type: objects listed so far, and whether its list is complete. */
  types: { resource: string; listed: number; done: boolean }[];
  requests: number;
}

export interface ClusterLoadOptions extends ClusterTarget, ClientOptions {
  pageSize?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Resource types to read (default all the checks need). */
  types?: readonly ResourceType[];
  /** Read each node's kubelet configuration through nodes/proxy (default true). */
  kubeletConfig?: boolean;
  /** List Secrets (metadata only; default true). RBAC grants `list secrets` with their data. */
  secrets?: boolean;
}

export interface ClusterLoad {
  result: LoadResult;
  /** HTTP requests issued, retries included. */
  requests: number;
  server: string;
  context: string;
}

export async function loadCluster(options: ClusterLoadOptions = {}): Promise<ClusterLoad> {
  const types = (options.types ?? RESOURCE_TYPES).filter((t) => options.secrets !== false || t.resource !== 'secrets');
  const connection = await connect(options, options.concurrency ?? DEFAULT_CONCURRENCY);
  const client = new ApiClient(connection, options);
  const result = emptyLoadResult();
  try {
    let discovery;
    try {
      discovery = await discover(client, types);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      throw new InputUnavailableError(`cannot read the API of ${connection.server} (context "${connection.context}"): ${e.message}`);
    }

    const reported = new Set<ApiError>();
    const failed = (scope: string, error: ApiError, what: string) => {
      // One failed discovery request hides several types: one error, a gap for each.
      if (!reported.has(error)) result.errors.push({ source: error.url, message: error.message });
      reported.add(error);
      addGap(result.gaps, scope, `${what} could not be read: ${error.status === 403 ? 'forbidden' : 'request failed'} (${error.message})`);
    };
    for (const { type, error } of discovery.failures) failed(type.resource, error, `${type.resource} (discovery of its API group)`);

    const progress = discovery.served.map(({ type }) => ({ resource: type.resource, listed: 0, done: false }));
    const report = () => options.onProgress?.({ types: progress, requests: client.requests });
    // Lists run side by side; the client bounds the requests in flight.
    const listed = await Promise.all(discovery.served.map(async ({ type, version }, i) => {
      const url = client.url(listPath(type, version));
      try {
        const objects = await listAll(client, type, version, {
          ...(options.pageSize ? { pageSize: options.pageSize } : {}),
          onPage: (n) => {
            progress[i]!.listed = n;
            report();
          },
        });
        return { type, url, objects };
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        // A partial list is dropped: checks must not judge half the RoleBindings as all of them.
        return { type, url, objects: [] as K8sObject[], failed: e };
      } finally {
        progress[i]!.done = true;
        report();
      }
    }));
    // Results in catalogue order, whatever order the requests finished in.
    for (const { type, url, objects, failed: error } of listed) {
      if (error) failed(type.resource, error, type.resource);
      for (const object of objects) result.items.push(itemOf(object, url));
    }
    // A list of one namespace (kube-system ConfigMaps) is not the cluster's whole set of its type.
    result.listed = listed.filter((l) => !l.failed && !l.type.namespace).map((l) => l.type.resource);
    if (listed.some((l) => l.type.metadataOnly && !l.failed)) {
      addGap(result.gaps, SECRET_DATA_SCOPE, 'Secrets are read as metadata only: kubeward never receives their data (values such as a bootstrap token\'s expiration are unknown)');
    }

    if (options.secrets === false) {
      addGap(result.gaps, 'secrets', 'Secrets not listed (--no-secrets: the scanner is not granted list secrets, which RBAC grants with their data)');
    }
    const podsListed = listed.some((l) => l.type.resource === 'pods' && !l.failed);
    addControlPlaneGaps(result, podsListed);
    const nodes = listed.find((l) => l.type.resource === 'nodes' && !l.failed);
    if (options.kubeletConfig === false) {
      addGap(result.gaps, KUBELET_CONFIG_SCOPE, 'kubelet configuration not read (--no-kubelet-config: the scanner is not granted nodes/proxy)');
    } else await readKubeletConfigs(client, nodes?.objects, result);
    await readVersion(client, result);
  } finally {
    connection.agent.destroy();
  }
  result.sources.push({ type: 'cluster', name: `${connection.context} (${connection.server})`, objects: result.items.length });
  return { result, requests: client.requests, server: connection.server, context: connection.context };
}

function itemOf(object: K8sObject, url: string): Item {
  return { object, ref: refOf(object), location: { file: url } };
}

/**
 * Control-plane flags are visible only where the components run as (mirror) pods in
 * kube-system. Managed control planes (EKS, GKE, AKS) show none: their checks cannot be
 * evaluated, and saying so beats a silent pass.
 */
function addControlPlaneGaps(result: LoadResult, podsListed: boolean): void {
  if (!podsListed) {
    for (const component of CONTROL_PLANE_COMPONENTS) addGap(result.gaps, component, `pods could not be listed, so the ${component} flags are unknown`);
    return;
  }
  // Only well-formed pods: the malformed ones are reported when the scan builds its inventory.
  const kubeSystem = new Inventory(validateItems(result.items.filter((i) => i.ref.kind === 'Pod' && i.ref.namespace === 'kube-system')).valid);
  for (const component of CONTROL_PLANE_COMPONENTS) {
    if (findComponent(kubeSystem, component).length > 0) continue;
    addGap(result.gaps, component, `no ${component} pod in kube-system: the control plane is managed or runs outside the cluster, so its flags are not visible through the API (scan its host with --node-root)`);
  }
}

/** Each node's kubelet configuration, as the kubelet reports it (/configz through the API server's node proxy). */
async function readKubeletConfigs(client: ApiClient, nodes: K8sObject[] | undefined, result: LoadResult): Promise<void> {
  if (!nodes) {
    addGap(result.gaps, KUBELET_CONFIG_SCOPE, 'nodes could not be listed, so no kubelet configuration was read');
    return;
  }
  const read = async (node: K8sObject): Promise<Item | ApiError> => {
    const name = node.metadata?.name ?? '';
    const path = `/api/v1/nodes/${encodeURIComponent(name)}/proxy/configz`;
    try {
      const body = (await client.getJson(path)) as { kubeletconfig?: Record<string, unknown> };
      if (!body.kubeletconfig || typeof body.kubeletconfig !== 'object') throw new ApiError(client.url(path), 'response has no kubeletconfig');
      const object: K8sObject = {
        ...body.kubeletconfig,
        apiVersion: 'kubelet.config.k8s.io/v1beta1',
        kind: 'KubeletConfiguration',
        metadata: { name, annotations: { 'kubeward.io/source': 'configz' } },
      };
      return itemOf(object, client.url(path));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e;
    }
  };
  // One node first: when nodes/proxy is forbidden it is forbidden for all of them, and a
  // thousand identical 403s would bury the other errors.
  const first = nodes.length > 0 ? await read(nodes[0]!) : undefined;
  if (first instanceof ApiError && first.status === 403) {
    result.errors.push({ source: first.url, message: first.message });
    addGap(result.gaps, KUBELET_CONFIG_SCOPE, `kubelet configuration (nodes/proxy configz) could not be read: forbidden (${first.message}); no other node was asked`);
    return;
  }
  const configs = first === undefined ? [] : [first, ...(await Promise.all(nodes.slice(1).map(read)))];
  const failures: string[] = [];
  configs.forEach((config, i) => {
    if (!(config instanceof ApiError)) {
      result.items.push(config);
      return;
    }
    result.errors.push({ source: config.url, message: config.message });
    failures.push(`${nodes[i]!.metadata?.name ?? ''} (${config.status === 403 ? 'forbidden' : config.message})`);
  });
  if (failures.length > 0) {
    const shown = failures.slice(0, 5).join(', ') + (failures.length > 5 ? ` and ${failures.length - 5} more` : '');
    addGap(result.gaps, KUBELET_CONFIG_SCOPE, `kubelet configuration (nodes/proxy configz) could not be read for ${failures.length} of ${nodes.length} nodes: ${shown}`);
  }
}

async function readVersion(client: ApiClient, result: LoadResult): Promise<void> {
  try {
    const version = (await client.getJson('/version')) as { gitVersion?: string };
    if (version.gitVersion) result.version = { text: version.gitVersion, source: client.url('/version') };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    result.errors.push({ source: e.url, message: e.message });
  }
}

function addGap(gaps: VisibilityGap[], scope: string, reason: string): void {
  // The kubelet checks ask for their component by name, as the control-plane checks do.
  const scopes = scope === KUBELET_CONFIG_SCOPE ? [scope, 'kubelet'] : [scope];
  for (const s of scopes) if (!gaps.some((g) => g.scope === s)) gaps.push({ scope: s, reason });
}
