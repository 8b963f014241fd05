// Which resources are namespaced: a RoleBinding can only grant those. Built-in resources are
// listed (kube-apiserver's discovery); custom resources take their scope from CRDs in the input.
// A resource neither list knows is "unknown", and nothing is concluded from it.

import type { Item } from '../../inventory/types.js';

const NAMESPACED = new Set([
  'pods', 'podtemplates', 'replicationcontrollers', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts',
  'persistentvolumeclaims', 'resourcequotas', 'limitranges', 'events', 'bindings', 'deployments', 'replicasets', 'statefulsets',
  'daemonsets', 'controllerrevisions', 'jobs', 'cronjobs', 'roles', 'rolebindings', 'networkpolicies', 'ingresses',
  'poddisruptionbudgets', 'horizontalpodautoscalers', 'leases', 'endpointslices', 'csistoragecapacities',
  'localsubjectaccessreviews', 'resourceclaims', 'resourceclaimtemplates',
]);

const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'componentstatuses', 'clusterroles', 'clusterrolebindings', 'storageclasses',
  'csidrivers', 'csinodes', 'volumeattachments', 'customresourcedefinitions', 'apiservices', 'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'priorityclasses', 'runtimeclasses', 'ingressclasses',
  'podsecuritypolicies', 'certificatesigningrequests', 'flowschemas', 'prioritylevelconfigurations', 'tokenreviews',
  'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews', 'users', 'groups',
  'userextras', 'uids', 'signers', 'clustertrustbundles', 'ipaddresses', 'servicecidrs', 'deviceclasses', 'resourceslices',
]);

export type ResourceScope = 'namespaced' | 'cluster' | 'unknown';

export class ResourceScopes {
  private readonly custom = new Map<string, ResourceScope>();

  constructor(items: readonly Item[] = []) {
    for (const item of items) {
      if (item.ref.kind !== 'CustomResourceDefinition') continue;
      const spec = item.object.spec as { group?: string; scope?: string; names?: { plural?: string } } | undefined;
      if (spec?.names?.plural && spec.group) this.custom.set(`${spec.names.plural}.${spec.group}`, spec.scope === 'Namespaced' ? 'namespaced' : 'cluster');
    }
  }

  /** Scope of "resource" or "resource/subresource" in a group ("*" is unknown). */
  scopeOf(group: string, resource: string): ResourceScope {
    const base = resource.split('/')[0]!;
    if (base === '*') return 'unknown';
    const custom = this.custom.get(`${base}.${group}`);
    if (custom) return custom;
    if (group.includes('.') && !group.endsWith('.k8s.io')) return 'unknown';
    if (NAMESPACED.has(base)) return 'namespaced';
    if (CLUSTER_SCOPED.has(base)) return 'cluster';
    return 'unknown';
  }
}

/** What a cluster-wide grant of a role touches, to tell whether RoleBindings could replace it. */
export interface GrantScopeAnalysis {
  /** Every rule is about known namespaced resources: RoleBindings per namespace would do. */
  namespacedOnly: boolean;
  clusterScoped: string[];
  unknown: string[];
  /** Writes, or reads of Secrets: what makes the cluster-wide grant matter. */
  sensitive: string[];
}

const WRITE_VERBS = new Set(['*', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate']);

export function analyseGrantScope(rules: readonly { verbs: string[]; apiGroups: string[]; resources: string[]; nonResourceURLs: string[] }[], scopes: ResourceScopes): GrantScopeAnalysis {
  const clusterScoped = new Set<string>();
  const unknown = new Set<string>();
  const sensitive = new Set<string>();
  for (const rule of rules) {
    for (const url of rule.nonResourceURLs) clusterScoped.add(url);
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const name = group ? `${resource}.${group}` : resource;
        const scope = group === '*' ? 'unknown' : scopes.scopeOf(group, resource);
        if (scope === 'cluster') clusterScoped.add(name);
        else if (scope === 'unknown') unknown.add(name);
        if (rule.verbs.some((v) => WRITE_VERBS.has(v))) sensitive.add(`${rule.verbs.filter((v) => WRITE_VERBS.has(v)).join('/')} ${name}`);
        else if (resource === 'secrets' && (group === '' || group === '*')) sensitive.add(`${rule.verbs.join('/')} ${name}`);
      }
    }
  }
  return { namespacedOnly: clusterScoped.size === 0 && unknown.size === 0, clusterScoped: [...clusterScoped], unknown: [...unknown], sensitive: [...sensitive] };
}
