// Where kube-apiserver stores a resource in etcd, below --etcd-prefix (default /registry): core
// and built-in groups at <resource>/, custom resources at <group>/<resource>/, and the few
// built-ins whose storage path differs from their name (pkg/registry/.../storage).

const RENAMED: Record<string, string> = {
  nodes: 'minions',
  services: 'services/specs',
  endpoints: 'services/endpoints',
  ingresses: 'ingress',
  podsecuritypolicies: 'podsecuritypolicy',
};

/** Built-in API groups have no dot, or end in .k8s.io (rbac.authorization.k8s.io, ...). */
function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * The etcd key path (without the prefix) of a resource named as EncryptionConfiguration names
 * it: "secrets", "deployments.apps", "widgets.example.com". Wildcards ("*.apps", "*.*") name no
 * single path: undefined.
 */
export function etcdPathOf(resource: string): string | undefined {
  if (resource.includes('*') || resource.length === 0) return undefined;
  const dot = resource.indexOf('.');
  const name = dot < 0 ? resource : resource.slice(0, dot);
  const group = dot < 0 ? '' : resource.slice(dot + 1);
  if (group && !isBuiltInGroup(group)) return `${group}/${name}`;
  return RENAMED[name] ?? name;
}

/** The resource names an EncryptionConfiguration lists (resources[].resources[]), in order. */
export function encryptionConfigResources(config: unknown): { resources: string[]; wildcards: string[] } {
  const resources: string[] = [];
  const wildcards: string[] = [];
  const entries = (config as { resources?: { resources?: unknown }[] } | null)?.resources;
  for (const entry of Array.isArray(entries) ? entries : []) {
    for (const name of Array.isArray(entry?.resources) ? entry.resources : []) {
      if (typeof name !== 'string') continue;
      const list = name.includes('*') ? wildcards : resources;
      if (!list.includes(name)) list.push(name);
    }
  }
  return { resources, wildcards };
}
