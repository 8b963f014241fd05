import type { Inventory } from '../../inventory/inventory.js';
import type { Container } from '../../inventory/pod.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { LISTED_NAMES, listNames, namespaceSubject, unseen } from '../network-access/netpol-graph.js';
import { addLimitRanges } from '../../fix/namespace-fixes.js';

/** Each resource with the names a message gives its request and its limit. */
const RESOURCES = (['cpu', 'memory'] as const).map((resource) => ({ resource, request: `requests.${resource}`, limit: `limits.${resource}` }));

interface LimitRangeItem {
  type?: string;
  default?: Record<string, unknown>;
  defaultRequest?: Record<string, unknown>;
  max?: Record<string, unknown>;
  min?: Record<string, unknown>;
}

/**
 * What the namespace's LimitRanges fill in for a container that sets nothing, after the API
 * server's defaulting of LimitRangeItem (core/v1 SetDefaults_LimitRangeItem): a missing default
 * limit takes max; a missing default request takes the default limit, then min.
 */
function limitRangeDefaults(inventory: Inventory, namespace: string): { limits: Set<string>; requests: Set<string> } {
  const limits = new Set<string>();
  const requests = new Set<string>();
  for (const item of inventory.inNamespace(namespace, 'LimitRange')) {
    for (const entry of ((item.object.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? [])) {
      if (entry.type !== 'Container') continue;
      const defaults = new Set([...Object.keys(entry.default ?? {}), ...Object.keys(entry.max ?? {})]);
      for (const key of defaults) limits.add(key);
      for (const key of [...Object.keys(entry.defaultRequest ?? {}), ...defaults, ...Object.keys(entry.min ?? {})]) requests.add(key);
    }
  }
  return { limits, requests };
}

/** "requests.cpu", "limits.memory"... a container neither sets nor gets from a LimitRange. A set limit is also the request (pod defaulting). */
function unbounded(container: Container, defaults: { limits: Set<string>; requests: Set<string> }): string[] {
  const missing: string[] = [];
  for (const { resource, request: requestName, limit: limitName } of RESOURCES) {
    const limit = container.resources?.limits?.[resource] !== undefined || defaults.limits.has(resource);
    const request = container.resources?.requests?.[resource] !== undefined || container.resources?.limits?.[resource] !== undefined || defaults.requests.has(resource);
    if (!request) missing.push(requestName);
    if (!limit) missing.push(limitName);
  }
  return missing;
}

export default defineCheck({
  id: 'container-resources-not-bounded',
  section: 'resource-quota',
  severity: 'medium',
  title: 'Containers without requests/limits that no LimitRange defaults',
  docs: {
    what: 'For every namespace outside the system namespaces, lists the containers (init containers included) of every pod and workload that set no CPU/memory request or limit which a LimitRange of type Container in the namespace would fill in (default, defaultRequest, and the max/min they default from). A set limit also counts as the request, as pod defaulting does.',
    why: 'A container without limits can take all the CPU and memory of its node, and one without requests is scheduled as if it needed nothing and evicted first; a LimitRange gives every container bounds even when its author forgot them, and lets a compute ResourceQuota admit the pods at all.',
    references: [
      'Securing a Cluster: Limiting resource usage on a cluster',
      'https://kubernetes.io/docs/concepts/policy/limit-range/',
    ],
  },
  remediation: `Set resources on each container, or give the namespace defaults:

apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: <ns>}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 512Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}`,
  *evaluate({ inventory }) {
    const gap = unseen(inventory, 'limitranges', 'pods');
    if (gap) {
      yield notEvaluated({ ref: { kind: 'LimitRange', name: '*' } }, gap);
      return;
    }
    // Per namespace: its LimitRanges' defaults, how many containers are unbounded, and the first
    // few by name (all a message shows).
    const byNamespace = new Map<string, { defaults: ReturnType<typeof limitRangeDefaults>; count: number; shown: string[] }>();
    for (const ref of inventory.podSpecs()) {
      if (inventory.isSystemNamespace(ref.namespace)) continue;
      let found = byNamespace.get(ref.namespace);
      if (!found) byNamespace.set(ref.namespace, (found = { defaults: limitRangeDefaults(inventory, ref.namespace), count: 0, shown: [] }));
      for (const containers of [ref.spec.initContainers, ref.spec.containers]) {
        for (const container of containers ?? []) {
          const missing = unbounded(container, found.defaults);
          if (missing.length === 0) continue;
          if (found.shown.length < LISTED_NAMES) found.shown.push(`${ref.item.ref.kind.toLowerCase()}/${ref.item.ref.name} container ${container.name ?? '?'} (${missing.join(', ')})`);
          found.count++;
        }
      }
    }
    for (const [namespace, found] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const subject = namespaceSubject(inventory, namespace);
      if (found.count === 0) yield pass(subject);
      else {
        const hasLimitRange = inventory.inNamespace(namespace, 'LimitRange').length > 0;
        yield fail(subject, `namespace "${namespace}" ${hasLimitRange ? 'has a LimitRange that does not default' : 'has no LimitRange, and'} ${found.count} container${found.count === 1 ? '' : 's'} without requests/limits: ${listNames(found.shown, LISTED_NAMES, found.count)}`);
      }
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}`,
      {
        description: 'a LimitRange that bounds memory only leaves CPU unbounded',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: nginx:1.27, resources: {limits: {memory: 256Mi}}}]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: memory, namespace: shop}
spec:
  limits: [{type: Container, default: {memory: 512Mi}}]`,
      },
    ],
    pass: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 512Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}`,
      {
        description: 'limits alone also set the requests; max defaults the limit',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: nginx:1.27, resources: {limits: {cpu: "1"}}}]}
---
apiVersion: v1
kind: LimitRange
metadata: {name: memory, namespace: shop}
spec:
  limits: [{type: Container, max: {memory: 1Gi}}]`,
      },
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'adds a LimitRange per namespace whose default requests and limits are the largest the namespace\'s containers declare (100m CPU and 128Mi when none does; limits at least twice the requests)',
    risk: 'containers without limits get the default limit and may be throttled or killed for memory',
    plan: addLimitRanges,
  },
});
