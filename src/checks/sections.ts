// The 17 recommendations of the Kubernetes guide "Securing a Cluster" (v1.23), as sections.
// Every finding names one slug. A test keeps this list equal to the guide's sections.yaml.

export const SECTIONS = [
  { slug: 'api-tls', title: 'Use Transport Layer Security (TLS) for all API traffic' },
  { slug: 'api-authn', title: 'API Authentication' },
  { slug: 'api-authz', title: 'API Authorization' },
  { slug: 'kubelet-access', title: 'Controlling access to the Kubelet' },
  { slug: 'resource-quota', title: 'Limiting resource usage on a cluster' },
  { slug: 'pod-privileges', title: 'Controlling what privileges containers run with' },
  { slug: 'kernel-modules', title: 'Preventing containers from loading unwanted kernel modules' },
  { slug: 'network-access', title: 'Restricting network access' },
  { slug: 'cloud-metadata', title: 'Restricting cloud metadata API access' },
  { slug: 'node-placement', title: 'Controlling which nodes pods may access' },
  { slug: 'etcd-access', title: 'Restricting access to etcd' },
  { slug: 'audit-logging', title: 'Enable audit logging' },
  { slug: 'feature-stages', title: 'Restricting access to alpha or beta features' },
  { slug: 'credential-rotation', title: 'Rotate infrastructure credentials frequently' },
  { slug: 'third-party', title: 'Review third party integrations before enabling them' },
  { slug: 'secrets-encryption', title: 'Encrypt secrets at rest' },
  { slug: 'security-updates', title: 'Receiving alerts for security updates and reporting a vulnerability' },
] as const;

export type SectionSlug = (typeof SECTIONS)[number]['slug'];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse: critical = 4, info = 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}

export function sectionTitle(slug: SectionSlug): string {
  return SECTIONS.find((s) => s.slug === slug)!.title;
}
