// The state of a live cluster, kept current by list+watch through @kubernetes/client-node:
// each kind is listed in pages, then watched from the list's resourceVersion (with bookmarks);
// a watch that ends is resumed from the last resourceVersion, a 410 Gone (that version was
// compacted) relists the kind, and every resyncSeconds the kind is listed again anyway, so a
// missed event cannot outlive a resync.

import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError, ApiClient } from '../sources/cluster/client.js';
import { connect, loadKubeConfig, type ClusterTarget } from '../sources/cluster/connection.js';
import type { K8sObject } from '../inventory/types.js';
import type { ClusterState, StateKind } from './state.js';

export interface StateResource {
  group: string;
  version: string;
  resource: string;
  kind: StateKind;
}

/** What the webhook lists and watches; its ClusterRole grants list and watch on exactly these. */
export const STATE_RESOURCES: readonly StateResource[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace' },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount' },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod' },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding' },
];

export interface LiveOptions {
  target: ClusterTarget;
  /** Each kind is listed again this often; watches are asked to end then too (default 300 s). */
  resyncSeconds?: number;
  /** First retry delay after a failed list or watch, doubled up to 30 s (default 1 s). */
  retryDelayMs?: number;
  pageSize?: number;
  log?: (message: string) => void;
}

type WatchEnd = 'gone' | 'closed';

export class LiveStateSource {
  private stopped = false;
  private readonly open = new Set<StateKind>();
  private readonly listed = new Set<StateKind>();
  private readonly controllers = new Set<AbortController>();
  private client!: ApiClient;
  private kubeconfig!: KubeConfig;
  private readonly done: Promise<void>[] = [];
  /** Lists and relists done, for metrics and tests. */
  lists = 0;

  constructor(private readonly state: ClusterState, private readonly options: LiveOptions) {}

  /** Connects and starts one list+watch loop per kind; sync completes in the background. */
  async start(): Promise<void> {
    this.kubeconfig = loadKubeConfig(this.options.target);
    this.client = new ApiClient(await connect(this.options.target, STATE_RESOURCES.length + 2, this.kubeconfig), { attempts: 3, timeoutMs: 60_000 });
    for (const type of STATE_RESOURCES) this.done.push(this.loop(type));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    await Promise.allSettled(this.done);
    this.client?.connection.agent.destroy();
  }

  private async loop(type: StateResource): Promise<void> {
    const { Watch } = await import('@kubernetes/client-node');
    const watch = new Watch(this.kubeconfig);
    let delay = this.options.retryDelayMs ?? 1000;
    const resyncMs = (this.options.resyncSeconds ?? 300) * 1000;
    let resourceVersion: string | undefined;
    let listedAt = 0;
    while (!this.stopped) {
      try {
        if (resourceVersion === undefined || Date.now() - listedAt >= resyncMs) {
          resourceVersion = await this.list(type);
          listedAt = Date.now();
          delay = this.options.retryDelayMs ?? 1000;
        }
        // A watch that ends (server timeout, dropped connection) resumes from the last
        // resourceVersion; Gone means that version was compacted, so the kind is listed again.
        if ((await this.watchOnce(watch, type, resourceVersion, (rv) => (resourceVersion = rv))) === 'gone') resourceVersion = undefined;
      } catch (e) {
        if (this.stopped) return;
        this.options.log?.(`${type.resource}: ${(e as Error).message}; retrying in ${Math.round(delay / 1000)}s`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private path(type: StateResource): string {
    return type.group === '' ? `/api/${type.version}/${type.resource}` : `/apis/${type.group}/${type.version}/${type.resource}`;
  }

  /** Lists one kind in pages; returns the list's resourceVersion to watch from. */
  private async list(type: StateResource): Promise<string> {
    const apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
    for (;;) {
      const objects: K8sObject[] = [];
      let token: string | undefined;
      let listRv = '';
      try {
        do {
          const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
          if (token) query.set('continue', token);
          const body = (await this.client.getJson(`${this.path(type)}?${query}`)) as { metadata?: { continue?: string; resourceVersion?: string }; items?: K8sObject[] };
          if (!Array.isArray(body.items)) throw new Error(`${this.path(type)}: the answer is not a List`);
          if (!token) listRv = body.metadata?.resourceVersion ?? '';
          for (const item of body.items) objects.push({ ...item, apiVersion, kind: type.kind });
          token = body.metadata?.continue || undefined;
        } while (token);
      } catch (e) {
        // An expired continue token: start the list again.
        if (e instanceof ApiError && e.status === 410) continue;
        throw e;
      }
      this.lists++;
      this.state.replaceKind(type.kind, objects, `${this.client.connection.server}${this.path(type)}`);
      this.listed.add(type.kind);
      if (this.listed.size === STATE_RESOURCES.length && !this.state.status().synced) this.state.markSynced();
      return listRv;
    }
  }

  private watchOnce(watch: InstanceType<typeof import('@kubernetes/client-node').Watch>, type: StateResource, resourceVersion: string, onVersion: (rv: string) => void): Promise<WatchEnd> {
    const location = `${this.client.connection.server}${this.path(type)}`;
    return new Promise<WatchEnd>((resolve, reject) => {
      let gone = false;
      let finished = false;
      let controller: AbortController | undefined;
      const finish = (err: unknown) => {
        finished = true;
        if (controller) this.controllers.delete(controller);
        this.open.delete(type.kind);
        this.state.setLive(false);
        if (gone) resolve('gone');
        else if (err && !this.stopped) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve('closed');
      };
      watch.watch(this.path(type), { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.options.resyncSeconds ?? 300 }, (event: string, object: K8sObject & { code?: number }) => {
        if (event === 'ERROR') {
          // 410: the resourceVersion is older than etcd keeps; anything else ends the watch too.
          if (object?.code === 410) gone = true;
          controller?.abort();
          return;
        }
        const rv = object?.metadata?.resourceVersion;
        if (typeof rv === 'string') onVersion(rv);
        if (event === 'BOOKMARK') this.state.confirm();
        else if (event === 'DELETED') this.state.remove({ ...object, kind: type.kind });
        else this.state.upsert({ ...object, kind: type.kind }, location);
      }, finish).then((c) => {
        controller = c;
        if (finished) return;
        this.controllers.add(c);
        if (this.stopped) c.abort();
        this.open.add(type.kind);
        this.state.setLive(this.open.size === STATE_RESOURCES.length);
      }, reject);
    });
  }
}
