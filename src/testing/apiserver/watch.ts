// Watches for the test API server, as kube-apiserver serves them: `?watch=true` from a
// resourceVersion streams one JSON event per line (ADDED, MODIFIED, DELETED; BOOKMARK when asked),
// ends after timeoutSeconds, and a resourceVersion older than the last compaction gets a single
// ERROR event carrying a 410 Expired Status, after which the client must list again.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface WatchEvent {
  rv: number;
  collection: string;
  namespace: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object with apiVersion and kind, as JSON. */
  json: string;
}

interface Watcher {
  collection: string;
  namespace: string;
  res: ServerResponse;
  bookmarks: boolean;
  /** apiVersion and kind for bookmark events. */
  head: string;
}

export class WatchHub {
  private history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Watches from a resourceVersion at or below this are answered 410 (etcd compaction). */
  private compactedRv = 0;

  /** Serves a watch request; resolves once the response is set up. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, collection: string, namespace: string, head: string, currentRv: number): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from !== 0 && from <= this.compactedRv) {
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${this.compactedRv + 1})`, reason: 'Expired', code: 410 };
      res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      return;
    }
    const watcher: Watcher = { collection, namespace, res, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true', head };
    this.watchers.add(watcher);
    for (const e of this.history) if (e.rv > from && this.matches(watcher, e)) res.write(eventLine(e));
    if (watcher.bookmarks) this.bookmark(watcher, currentRv);
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '0');
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const done = () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    };
    res.on('close', done);
    req.on('close', done);
  }

  publish(event: WatchEvent): void {
    this.history.push(event);
    for (const w of this.watchers) if (this.matches(w, event)) w.res.write(eventLine(event));
  }

  /** Forgets history up to rv: older watches get 410 Expired. */
  compact(rv: number): void {
    this.compactedRv = rv;
    this.history = this.history.filter((e) => e.rv > rv);
  }

  /** Drops every watch connection (a restarted API server, a network blip). */
  dropAll(): void {
    for (const w of this.watchers) w.res.socket?.destroy();
    this.watchers.clear();
  }

  open(): number {
    return this.watchers.size;
  }

  private bookmark(w: Watcher, rv: number): void {
    w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { ...JSON.parse(w.head), metadata: { resourceVersion: String(rv) } } })}\n`);
  }

  private matches(w: Watcher, e: WatchEvent): boolean {
    return w.collection === e.collection && (w.namespace === '' || w.namespace === e.namespace);
  }
}

/** One line of a watch stream: the event with its object. */
function eventLine(e: WatchEvent): string {
  return `${JSON.stringify({ type: e.type, object: JSON.parse(e.json) })}\n`;
}
