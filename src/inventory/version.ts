// Kubernetes versions: parsing, comparing, and finding the cluster's version in the input.

import type { Inventory } from './inventory.js';

export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
  /** As written, normalised to start with "v", e.g. "v1.30.4". */
  text: string;
}

/** Parses "v1.30.4", "1.30", "v1.29.3-eks-1234" and image tags such as "v1.30.4". */
export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  return { major, minor, patch, text: `v${major}.${minor}${m[3] === undefined ? '' : `.${patch}`}` };
}

export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** "1.30" for a version: the minor release it belongs to. */
export function minorOf(v: KubeVersion): string {
  return `${v.major}.${v.minor}`;
}

export interface DetectedVersion {
  version: KubeVersion;
  /** Where it came from, e.g. "kube-apiserver image tag" or "Node node-1 kubeletVersion". */
  source: string;
}

/**
 * The cluster's version as the input shows it: the kube-apiserver static pod's image tag,
 * else the oldest kubelet version among Nodes (the skew policy keeps the API server newer).
 */
export function detectKubeVersion(inventory: Inventory): DetectedVersion | undefined {
  for (const pod of inventory.ofKind('Pod')) {
    const spec = pod.object.spec as { containers?: { name?: string; image?: string }[] } | undefined;
    for (const c of spec?.containers ?? []) {
      const image = c.image ?? '';
      if (!image.includes('kube-apiserver')) continue; // cheap test before the exact one
      const repo = image.split('@')[0]!.replace(/:[^/:]*$/, '');
      if (!/(^|\/)kube-apiserver(-amd64|-arm64)?$/.test(repo)) continue;
      const tag = /:([^/:@]+)(@|$)/.exec(image)?.[1];
      const version = tag ? parseKubeVersion(tag) : undefined;
      if (version) return { version, source: `kube-apiserver image tag (${describe(pod.ref.namespace, pod.ref.name)})` };
    }
  }
  let oldest: DetectedVersion | undefined;
  for (const node of inventory.ofKind('Node')) {
    const text = (node.object.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion;
    const version = text ? parseKubeVersion(text) : undefined;
    if (version && (!oldest || compareVersions(version, oldest.version) < 0)) {
      oldest = { version, source: `Node ${node.ref.name} kubeletVersion` };
    }
  }
  return oldest;
}

function describe(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
