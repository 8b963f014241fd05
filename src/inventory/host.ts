// What kubeward reads from a node's filesystem (--node-root). Filled by src/sources/node-root.ts.

/** One file on the node, with its mode and owner as the node has them. */
export interface HostFile {
  /** Absolute path on the node, e.g. /etc/kubernetes/manifests/kube-apiserver.yaml. */
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

export interface HostSnapshot {
  /** A name for the node (its hostname when known, else the root folder). */
  name: string;
  /** The folder read as the node's root. */
  root: string;
  files: HostFile[];
}
