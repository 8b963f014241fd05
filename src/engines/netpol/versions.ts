// NetworkPolicy semantics that changed between Kubernetes releases, as data: the release from
// which the API server behaves the new way by default.

import { compareVersions, parseKubeVersion, type KubeVersion } from '../../inventory/version.js';

export interface NetpolSemantics {
  /** endPort is kept (NetworkPolicyEndPort beta, on by default, in 1.22; GA in 1.25). Before, the API server drops it. */
  endPort: boolean;
  /** The API server labels every namespace kubernetes.io/metadata.name=<name> (NamespaceDefaultLabelName beta in 1.21, GA in 1.22). */
  namespaceNameLabel: boolean;
}

const SINCE: Record<keyof NetpolSemantics, KubeVersion> = {
  endPort: parseKubeVersion('1.22')!,
  namespaceNameLabel: parseKubeVersion('1.21')!,
};

/** The semantics of a release; the current ones when the version is unknown. */
export function semanticsFor(version: KubeVersion | undefined): NetpolSemantics {
  const at = (since: KubeVersion) => version === undefined || compareVersions(version, since) >= 0;
  return { endPort: at(SINCE.endPort), namespaceNameLabel: at(SINCE.namespaceNameLabel) };
}
