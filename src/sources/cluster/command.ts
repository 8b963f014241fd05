// The cluster flags `scan` and `snapshot` share, and reading the cluster they name with progress
// on stderr.

import type { ClusterLoad } from './index.js';
import { progressRenderer } from './progress.js';

export const CLUSTER_FLAGS = {
  cluster: { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'no-progress': { type: 'boolean' },
  'no-kubelet-config': { type: 'boolean' },
  'no-secrets': { type: 'boolean' },
} as const;

export const CLUSTER_USAGE = `  --cluster                   read the cluster of the current kube context through its API
  --context NAME              use this kubeconfig context instead of the current one
  --kubeconfig FILE           kubeconfig to use (default $KUBECONFIG, else ~/.kube/config;
                              inside a pod: its service account)
  --no-progress               no progress line on stderr (it only shows on a terminal)
  --no-kubelet-config         do not read kubelet configuration through nodes/proxy (for a
                              scanner not granted it; kubelet checks become not-evaluated)
  --no-secrets                do not list Secrets (for a scanner not granted list secrets, as
                              deploy/scanner-rbac.yaml; Secret checks become not-evaluated)
`;

export interface ClusterFlagValues {
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  'no-progress'?: boolean;
  'no-kubelet-config'?: boolean;
  'no-secrets'?: boolean;
}

/** Reads the cluster the flags name; the progress line shows only on a terminal. */
export async function readClusterFromFlags(values: ClusterFlagValues): Promise<ClusterLoad> {
  const progress = progressRenderer(process.stderr, !values['no-progress']);
  // Imported here, not at the top: @kubernetes/client-node takes a second or two to load, and
  // file scans never need it.
  const { loadCluster } = await import('./index.js');
  try {
    return await loadCluster({
      ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context ? { context: values.context } : {}),
      ...(values['no-kubelet-config'] ? { kubeletConfig: false } : {}),
      ...(values['no-secrets'] ? { secrets: false } : {}),
      onProgress: (event) => progress.update(event),
    });
  } finally {
    progress.finish();
  }
}
