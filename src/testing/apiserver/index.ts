// An in-repo Kubernetes API server for tests and benchmarks: real HTTPS on 127.0.0.1 with
// certificates made by openssl, client-certificate and bearer-token authentication, RBAC over
// the Roles and bindings it holds, discovery documents, paged Lists with resourceVersion and
// continue tokens, PartialObjectMetadataList, node proxy /configz and /version, custom resources
// of the CRDs it holds (server-side apply and delete, validated by their schema), shaped as
// kube-apiserver 1.30 answers. Fault modes: slow responses, 429 with Retry-After, 5xx, 410 on
// continue, dropped connections. Deviations from the real server: see README.md beside this file.

import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { K8sObject } from '../../inventory/types.js';
import { yamlLibrary } from '../../yaml.js';
import { CertFactory, type GeneratedCert } from '../certs.js';
import { crdValidator, customResources, metadataErrors, type Validate } from './custom-resources.js';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, servedAt, type ServedResource } from './discovery.js';
import { RbacAuthorizer, bootstrapPolicy, type RequestAttributes, type UserInfo } from './rbac.js';
import { WatchHub } from './watch.js';

export type { UserInfo } from './rbac.js';

export interface Fault {
  /** Tested against the path and query of each request, e.g. /\/api\/v1\/pods\?/. */
  match: RegExp;
  mode: 'slow' | 'too-many-requests' | 'server-error' | 'expire-continue' | 'drop-connection';
  /** How many matching requests it hits; every one when absent. */
  times?: number;
  /** slow: delay before answering. */
  delayMs?: number;
  /** too-many-requests: the Retry-After header, seconds (default 1). */
  retryAfterSeconds?: number;
  /** server-error: the status (default 500). */
  status?: number;
}

export interface TestApiServerOptions {
  /** The cluster's objects (any apiVersion/kind the server serves; others are ignored). */
  objects: K8sObject[];
  /** Per node name, what the kubelet's /configz reports; nodes without one answer 503. */
  kubeletConfigs?: Record<string, Record<string, unknown>>;
  /** /version gitVersion (default v1.30.4); its minor decides what is served. */
  gitVersion?: string;
  /** Bearer tokens and who they authenticate. */
  tokens?: Record<string, UserInfo>;
  /** Add the default ClusterRoles and bindings (cluster-admin, system:discovery...); default true. */
  bootstrapPolicy?: boolean;
  faults?: Fault[];
  /** Keep each response body in the request log (for asserting what crossed the wire). */
  recordBodies?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  accept: string;
  user: string;
  status: number;
  /** Response body size. */
  bytes: number;
  body?: string;
}

export interface TestApiServer {
  url: string;
  /** The CA that signed the server's certificate. */
  ca: GeneratedCert;
  requests: RequestRecord[];
  /** The most requests the server was answering at once. */
  maxInFlight(): number;
  /** Faults in effect; tests may push and splice. */
  faults: Fault[];
  /** A client certificate the server accepts for user CN and group O. */
  clientCert(user: string, group?: string): Promise<GeneratedCert>;
  /** The objects of one resource (plural name, e.g. "policyreports") as stored now, all versions. */
  objectsOf(resource: string): K8sObject[];
  /** Creates or replaces an object as a client write would: a new resourceVersion, a watch event. */
  put(object: K8sObject): void;
  /** Deletes an object; watchers see DELETED. */
  remove(kind: string, namespace: string | undefined, name: string): void;
  /** Compacts history up to now: watches from an older resourceVersion get 410 Expired. */
  compact(): void;
  /** Drops every open watch connection. */
  dropWatches(): void;
  /** Watch connections open now. */
  openWatches(): number;
  /** Writes a kubeconfig for this server to `path` (token or client certificate). */
  writeKubeconfig(path: string, auth: { token: string } | { cert: GeneratedCert }, context?: string): Promise<void>;
  close(): Promise<void>;
}

interface Stored {
  key: string;
  namespace: string;
  name: string;
  /** The object as a List item: no apiVersion/kind, as the real server's JSON lists. */
  itemJson: string;
  metadataJson: string;
  fields: Record<string, string>;
}

interface Collection {
  served: ServedResource;
  items: Stored[];
}

const METADATA_TIME = '2026-01-01T00:00:00Z';

export async function startTestApiServer(options: TestApiServerOptions): Promise<TestApiServer> {
  const certs = await CertFactory.create();
  const ca = await certs.ca('test-apiserver-ca');
  const clientCa = await certs.ca('test-client-ca');
  const serving = await certs.leaf(ca, 'kube-apiserver', { usage: ['serverAuth'] });

  const gitVersion = options.gitVersion ?? 'v1.30.4';
  const [major, minor] = gitVersion.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10)) as [number, number];
  // The CRDs among the objects serve their kinds; other kinds of theirs answer 404.
  const served = [...servedAt(minor), ...customResources(options.objects)];
  const validators = new Map<string, Validate>();
  const objects = [...(options.bootstrapPolicy === false ? [] : bootstrapPolicy()), ...options.objects];
  const store = buildStore(objects, served);
  const authorizer = new RbacAuthorizer(objects);
  let resourceVersion = objects.length + 1000;
  const requests: RequestRecord[] = [];
  const faults = options.faults ?? [];
  const hits = new Map<Fault, number>();
  const watches = new WatchHub();

  const server = https.createServer({ key: serving.keyPem, cert: serving.pem, ca: clientCa.pem, requestCert: true, rejectUnauthorized: false });
  let inFlight = 0;
  let maxInFlight = 0;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendStatus(res, 500, 'InternalError', `test server: ${e.message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: url.search, accept: String(req.headers.accept ?? ''), user: '', status: 0, bytes: 0 };
    requests.push(record);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      record.status = status;
      record.bytes = Buffer.byteLength(body);
      if (options.recordBodies) record.body = body;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const status = (code: number, reason: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      send(code, statusBody(code, reason, message, extra), headers);

    const user = authenticate(req);
    if (!user) return status(401, 'Unauthorized', 'Unauthorized');
    record.user = user.name;
    if (req.method !== 'GET' && req.method !== 'PATCH' && req.method !== 'DELETE') return status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (test server: GET; PATCH and DELETE of custom resources)`);

    const fault = faults.find((f) => f.match.test(`${url.pathname}${url.search}`) && (hits.get(f) ?? 0) < (f.times ?? Infinity) && (f.mode !== 'expire-continue' || url.searchParams.has('continue')));
    if (fault) {
      hits.set(fault, (hits.get(fault) ?? 0) + 1);
      switch (fault.mode) {
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
          break;
        case 'too-many-requests': {
          const seconds = fault.retryAfterSeconds ?? 1;
          return status(429, 'TooManyRequests', 'Too many requests, please try again later.', { details: { retryAfterSeconds: seconds } }, { 'Retry-After': String(seconds) });
        }
        case 'server-error':
          return status(fault.status ?? 500, fault.status === 503 ? 'ServiceUnavailable' : 'InternalError', 'an error on the server ("etcdserver: request timed out") has prevented the request from succeeding');
        case 'expire-continue':
          return status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.', { metadata: { continue: url.searchParams.get('continue') } });
        case 'drop-connection':
          record.status = 200;
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100000' });
          res.write('{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":');
          setImmediate(() => req.socket.destroy());
          return;
      }
    }

    const segments = url.pathname.split('/').filter(Boolean);
    const info = requestInfo(segments);
    const attributes: RequestAttributes = { verb: req.method === 'PATCH' ? 'patch' : req.method === 'DELETE' ? 'delete' : info?.name ? 'get' : isWatch(url) ? 'watch' : 'list', path: url.pathname };
    if (info) attributes.resource = { apiGroup: info.group, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name };
    else attributes.verb = 'get';
    if (!authorizer.allows(user, attributes)) return status(403, 'Forbidden', forbiddenMessage(user, attributes), info ? { details: { ...(info.name ? { name: info.name } : {}), group: info.group, kind: info.resource } } : {});

    if (!info) {
      const path = url.pathname.replace(/\/$/, '');
      if (path === '/version') return send(200, JSON.stringify({ major: String(major), minor: String(minor), gitVersion, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.22.5', compiler: 'gc', platform: 'linux/amd64' }));
      if (path === '/api') return send(200, JSON.stringify(apiVersions(`127.0.0.1:${port()}`)));
      if (path === '/apis') return send(200, JSON.stringify(apiGroupList(served)));
      if (segments[0] === 'api' && segments.length === 2) return found(apiResourceList(served, '', segments[1]!));
      if (segments[0] === 'apis' && segments.length === 2) return found(apiGroupDocument(served, segments[1]!));
      if (segments[0] === 'apis' && segments.length === 3) return found(apiResourceList(served, segments[1]!, segments[2]!));
      return status(404, 'NotFound', 'the server could not find the requested resource');
    }

    const collection = store.get(`${info.group}/${info.version}/${info.resource}`)
      ?? (served.some((s) => s.group === info.group && s.version === info.version && s.name === info.resource) ? { served: served.find((s) => s.name === info.resource && s.group === info.group)!, items: [] } : undefined);
    if (!collection) return status(404, 'NotFound', 'the server could not find the requested resource');

    if (info.resource === 'nodes' && info.subresource === 'proxy') {
      if (!collection.items.some((n) => n.name === info.name)) return status(404, 'NotFound', `nodes "${info.name}" not found`, { details: { name: info.name, kind: 'nodes' } });
      if (info.subpath !== 'configz') return status(404, 'NotFound', 'the server could not find the requested resource (test server: only /configz is proxied)');
      const config = options.kubeletConfigs?.[info.name];
      if (!config) return status(503, 'ServiceUnavailable', `error trying to reach service: dial tcp 10.0.0.1:10250: connect: connection refused`);
      return send(200, JSON.stringify({ kubeletconfig: config }));
    }
    if (info.subresource) return status(404, 'NotFound', 'the server could not find the requested resource');
    if (req.method !== 'GET') return write(req, url, info, collection, user, send, status);

    const media = negotiate(String(req.headers.accept ?? '*/*'));
    if (!media) return status(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`);
    const apiVersion = info.group === '' ? info.version : `${info.group}/${info.version}`;
    const inScope = info.namespace ? collection.items.filter((s) => s.namespace === info.namespace) : collection.items;

    if (info.name) {
      const one = inScope.find((s) => s.name === info.name);
      if (!one) return status(404, 'NotFound', `${info.resource} "${info.name}" not found`, { details: { name: info.name, group: info.group, kind: info.resource } });
      return media === 'metadata'
        ? send(200, `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",${one.metadataJson.slice(1)}`)
        : send(200, `{"kind":"${collection.served.kind}","apiVersion":"${apiVersion}",${one.itemJson.slice(1)}`);
    }

    if (isWatch(url)) {
      record.status = 200;
      return watches.serve(req, res, url, `${info.group}/${info.version}/${info.resource}`, info.namespace, JSON.stringify({ apiVersion, kind: collection.served.kind }), resourceVersion);
    }
    let selected = inScope;
    const fieldSelector = url.searchParams.get('fieldSelector');
    if (fieldSelector) {
      const terms = parseFieldSelector(fieldSelector);
      const supported = new Set(['metadata.name', 'metadata.namespace', ...(info.resource === 'secrets' ? ['type'] : [])]);
      const bad = terms.find((t) => !supported.has(t.field));
      if (bad) return status(400, 'BadRequest', `"${bad.field}" is not a known field selector: only "${[...supported].join('", "')}"`);
      selected = selected.filter((s) => terms.every((t) => (s.fields[t.field] === t.value) === t.equals));
    }
    if (url.searchParams.has('labelSelector')) return status(400, 'BadRequest', 'test server: labelSelector is not supported');

    let start = 0;
    let listRv = resourceVersion;
    const token = url.searchParams.get('continue');
    if (token) {
      const decoded = decodeContinue(token);
      if (!decoded) return status(400, 'BadRequest', 'continue key is not valid: illegal base64 data');
      listRv = decoded.rv;
      start = lowerBound(selected, decoded.start);
    }
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const end = limit > 0 ? Math.min(selected.length, start + limit) : selected.length;
    const page = selected.slice(start, end);
    const listMeta: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (end < selected.length) {
      listMeta.continue = encodeContinue(listRv, `${page[page.length - 1]!.key}\u0000`);
      listMeta.remainingItemCount = selected.length - end;
    }
    const items = page.map((s) => (media === 'metadata' ? `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1",${s.metadataJson.slice(1)}` : s.itemJson));
    const head = media === 'metadata'
      ? `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1"`
      : `{"kind":"${collection.served.kind}List","apiVersion":"${apiVersion}"`;
    resourceVersion++;
    return send(200, `${head},"metadata":${JSON.stringify(listMeta)},"items":[${items.join(',')}]}`);

    function found(doc: unknown) {
      return doc === undefined ? status(404, 'NotFound', 'the server could not find the requested resource') : send(200, JSON.stringify(doc));
    }
  }

  /** Server-side apply (PATCH application/apply-patch+yaml) and DELETE of a custom resource by name. */
  async function write(
    req: IncomingMessage, url: URL, info: RequestInfo, found: Collection, user: UserInfo,
    send: (code: number, body: string) => void,
    status: (code: number, reason: string, message: string, extra?: Record<string, unknown>) => void,
  ): Promise<void> {
    const crd = options.objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata?.name === `${info.resource}.${info.group}`);
    if (!crd) return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource (test server: writes to custom resources only)');
    if (!info.name) return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource (test server: no collection writes)');
    const key = `${info.group}/${info.version}/${info.resource}`;
    const collection = store.get(key) ?? found;
    store.set(key, collection);
    const apiVersion = `${info.group}/${info.version}`;
    const index = collection.items.findIndex((s) => s.namespace === info.namespace && s.name === info.name);
    const notFound = () => status(404, 'NotFound', `${info.resource}.${info.group} "${info.name}" not found`, { details: { name: info.name, group: info.group, kind: info.resource } });

    if (req.method === 'DELETE') {
      if (index < 0) return notFound();
      const [gone] = collection.items.splice(index, 1);
      watches.publish({ rv: ++resourceVersion, collection: key, namespace: gone!.namespace, type: 'DELETED', json: `{"apiVersion":"${apiVersion}","kind":"${collection.served.kind}",${gone!.itemJson.slice(1)}` });
      return send(200, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: info.name, group: info.group, kind: info.resource, uid: uidOf(`${key}/${info.namespace}/${info.name}`) } }));
    }

    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType !== 'application/apply-patch+yaml') return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml (test server: server-side apply only)`);
    const manager = url.searchParams.get('fieldManager');
    if (!manager) return status(400, 'BadRequest', 'PATCH requests with apply-patch content type must have fieldManager query parameter');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // kube-apiserver's request limit: twice etcd's, since JSON is larger than what is stored.
    if (body.length > 3 * 1024 * 1024) return status(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    let applied: K8sObject;
    try {
      applied = yamlLibrary().parse(body.toString('utf8')) as K8sObject;
    } catch (e) {
      return status(400, 'BadRequest', `error decoding YAML: ${(e as Error).message}`);
    }
    if (!applied || typeof applied !== 'object') return status(400, 'BadRequest', 'error decoding YAML: not an object');
    if (applied.apiVersion !== apiVersion || applied.kind !== collection.served.kind) return status(400, 'BadRequest', `the API version in the data (${applied.apiVersion}) and kind (${applied.kind}) do not match the request (${apiVersion}, ${collection.served.kind})`);
    if (applied.metadata?.name !== info.name) return status(400, 'BadRequest', `the name of the object (${applied.metadata?.name}) does not match the name on the URL (${info.name})`);
    if (collection.served.namespaced) {
      if ((applied.metadata.namespace ?? info.namespace) !== info.namespace) return status(400, 'BadRequest', `the namespace of the provided object does not match the namespace sent on the request`);
      if (!store.get('/v1/namespaces')?.items.some((n) => n.name === info.namespace)) return status(404, 'NotFound', `namespaces "${info.namespace}" not found`, { details: { name: info.namespace, kind: 'namespaces' } });
    }
    // Applying an object that does not exist creates it, which RBAC must allow too.
    if (index < 0) {
      const create: RequestAttributes = { verb: 'create', path: url.pathname, resource: { apiGroup: info.group, resource: info.resource, subresource: '', namespace: info.namespace, name: info.name } };
      if (!authorizer.allows(user, create)) return status(403, 'Forbidden', forbiddenMessage(user, create), { details: { name: info.name, group: info.group, kind: info.resource } });
    }
    const validator = validators.get(key) ?? crdValidator(crd, info.version);
    validators.set(key, validator);
    const causes = [...metadataErrors(applied), ...validator(applied)];
    if (causes.length > 0) {
      return status(422, 'Invalid', `${collection.served.kind}.${info.group} "${info.name}" is invalid: ${causes.join(', ')}`, { details: { name: info.name, group: info.group, kind: collection.served.kind, causes: causes.map((message) => ({ reason: 'FieldValueInvalid', message })) } });
    }
    // One field manager owns everything it applies: the applied configuration replaces the
    // object (conflicts between managers are not modelled).
    const previousObject = index >= 0 ? (JSON.parse(collection.items[index]!.itemJson) as K8sObject) : undefined;
    const previous = previousObject?.metadata;
    // An apply that changes nothing is a no-op: same resourceVersion and generation.
    const content = (o: K8sObject) => {
      const { apiVersion: _a, kind: _k, metadata, ...rest } = o;
      return JSON.stringify({ labels: metadata?.labels ?? {}, annotations: metadata?.annotations ?? {}, ...rest });
    };
    if (previousObject && content(previousObject) === content(applied)) return send(200, JSON.stringify({ apiVersion, kind: collection.served.kind, ...previousObject }));
    const now = new Date().toISOString();
    const object: K8sObject = {
      ...applied,
      metadata: {
        ...applied.metadata,
        ...(collection.served.namespaced ? { namespace: info.namespace } : {}),
        uid: previous?.uid ?? uidOf(`${key}/${info.namespace}/${info.name}/${resourceVersion}`),
        resourceVersion: String(++resourceVersion),
        generation: Number(previous?.generation ?? 0) + 1,
        creationTimestamp: previous?.creationTimestamp ?? now,
        managedFields: [{ manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} }],
      },
    };
    const json = JSON.stringify(object);
    // etcd refuses requests over 1.5 MiB; custom resources are stored as JSON.
    if (Buffer.byteLength(json) > 1.5 * 1024 * 1024) return status(500, 'InternalError', 'etcdserver: request is too large');
    const stored = toStored(object, collection.served, String(resourceVersion));
    if (index >= 0) collection.items[index] = stored;
    else {
      collection.items.push(stored);
      collection.items.sort(byKey);
    }
    watches.publish({ rv: resourceVersion, collection: key, namespace: stored.namespace, type: index >= 0 ? 'MODIFIED' : 'ADDED', json });
    return send(index >= 0 ? 200 : 201, json);
  }

  function authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization;
    if (header) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const user = token ? options.tokens?.[token] : undefined;
      return user ? withAuthenticated(user) : undefined;
    }
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const peer = socket.getPeerCertificate();
      const subject = peer.subject as unknown as Record<string, string | string[]> | undefined;
      const cn = subject?.CN;
      const o = subject?.O;
      if (typeof cn === 'string') return withAuthenticated({ name: cn, groups: o === undefined ? [] : Array.isArray(o) ? o : [o] });
    }
    return { name: 'system:anonymous', groups: ['system:unauthenticated'] };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port()}`;

  return {
    url,
    ca,
    requests,
    maxInFlight: () => maxInFlight,
    faults,
    objectsOf(resource) {
      return [...store.values()]
        .filter((c) => c.served.name === resource)
        .flatMap((c) => c.items.map((s) => ({ apiVersion: c.served.group ? `${c.served.group}/${c.served.version}` : c.served.version, kind: c.served.kind, ...(JSON.parse(s.itemJson) as K8sObject) })));
    },
    clientCert: (user, group) => certs.leaf(clientCa, user, { usage: ['clientAuth'], ...(group ? { organization: group } : {}) }),
    put(object) {
      const group = object.apiVersion?.includes('/') ? object.apiVersion.split('/')[0]! : '';
      const resource = served.find((s) => s.kind === object.kind && s.group === group && !s.name.includes('/'));
      if (!resource) throw new Error(`test server: no resource serves ${object.apiVersion} ${object.kind}`);
      const key = `${resource.group}/${resource.version}/${resource.name}`;
      const collection = store.get(key) ?? { served: resource, items: [] };
      store.set(key, collection);
      const { resourceVersion: _rv, ...metadata } = object.metadata ?? {};
      const stored = toStored({ ...object, metadata }, resource, String(++resourceVersion));
      const index = collection.items.findIndex((s) => s.key === stored.key);
      if (index >= 0) collection.items[index] = stored;
      else {
        collection.items.push(stored);
        collection.items.sort(byKey);
      }
      watches.publish({ rv: resourceVersion, collection: key, namespace: stored.namespace, type: index >= 0 ? 'MODIFIED' : 'ADDED', json: `{"apiVersion":"${object.apiVersion}","kind":"${resource.kind}",${stored.itemJson.slice(1)}` });
    },
    remove(kind, namespace, name) {
      for (const [key, collection] of store) {
        if (collection.served.kind !== kind) continue;
        const index = collection.items.findIndex((s) => s.name === name && (!collection.served.namespaced || s.namespace === (namespace ?? 'default')));
        if (index < 0) continue;
        const [gone] = collection.items.splice(index, 1);
        const apiVersion = collection.served.group ? `${collection.served.group}/${collection.served.version}` : collection.served.version;
        watches.publish({ rv: ++resourceVersion, collection: key, namespace: gone!.namespace, type: 'DELETED', json: `{"apiVersion":"${apiVersion}","kind":"${kind}",${gone!.itemJson.slice(1)}` });
      }
    },
    compact: () => watches.compact(resourceVersion),
    dropWatches: () => watches.dropAll(),
    openWatches: () => watches.open(),
    async writeKubeconfig(path, auth, context = 'test') {
      const user = 'token' in auth
        ? { token: auth.token }
        : { 'client-certificate-data': Buffer.from(auth.cert.pem).toString('base64'), 'client-key-data': Buffer.from(auth.cert.keyPem).toString('base64') };
      await writeFile(path, JSON.stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': context,
        clusters: [{ name: context, cluster: { server: url, 'certificate-authority-data': Buffer.from(ca.pem).toString('base64') } }],
        users: [{ name: context, user }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
      }, null, 2));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await certs.remove();
    },
  };
}

function isWatch(url: URL): boolean {
  const watch = url.searchParams.get('watch');
  return watch === 'true' || watch === '1';
}

function withAuthenticated(user: UserInfo): UserInfo {
  const groups = [...user.groups];
  const sa = /^system:serviceaccount:([^:]+):/.exec(user.name);
  if (sa) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  groups.push('system:authenticated');
  return { name: user.name, groups };
}

/** Objects by group/version/resource, in etcd key order (namespace/name), with server-set metadata. */
function buildStore(objects: K8sObject[], served: ServedResource[]): Map<string, Collection> {
  const store = new Map<string, Collection>();
  let rv = 1000;
  for (const object of objects) {
    const [group, version] = object.apiVersion?.includes('/') ? object.apiVersion.split('/') as [string, string] : ['', object.apiVersion];
    const resource = served.find((s) => s.kind === object.kind && s.group === group && s.version === version && !s.name.includes('/'))
      ?? served.find((s) => s.kind === object.kind && s.group === group && !s.name.includes('/'))
      ?? served.find((s) => s.kind === object.kind && !s.name.includes('/'));
    if (!resource) continue;
    const key = `${resource.group}/${resource.version}/${resource.name}`;
    const collection = store.get(key) ?? { served: resource, items: [] };
    store.set(key, collection);
    collection.items.push(toStored(object, resource, String(++rv)));
  }
  for (const c of store.values()) c.items.sort(byKey);
  return store;
}

const byKey = (a: Stored, b: Stored) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** An object as stored: server-set metadata filled in where the object has none. */
function toStored(object: K8sObject, resource: ServedResource, resourceVersion: string): Stored {
  const key = `${resource.group}/${resource.version}/${resource.name}`;
  const namespace = resource.namespaced ? (object.metadata?.namespace ?? 'default') : '';
  const name = object.metadata?.name ?? '';
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const meta = {
    ...metadata,
    name,
    ...(resource.namespaced ? { namespace } : {}),
    uid: metadata?.uid ?? uidOf(`${key}/${namespace}/${name}`),
    resourceVersion,
    creationTimestamp: metadata?.creationTimestamp ?? METADATA_TIME,
    managedFields: metadata?.managedFields ?? [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: object.apiVersion, time: METADATA_TIME, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
  };
  const fields: Record<string, string> = { 'metadata.name': name, 'metadata.namespace': namespace };
  if (typeof rest.type === 'string') fields.type = rest.type;
  else if (object.kind === 'Secret') fields.type = 'Opaque';
  return {
    key: namespace ? `${namespace}/${name}` : name,
    namespace,
    name,
    itemJson: JSON.stringify({ metadata: meta, ...rest }),
    metadataJson: JSON.stringify({ metadata: meta }),
    fields,
  };
}

interface RequestInfo {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** Path below the subresource (nodes/<n>/proxy/<subpath>). */
  subpath: string;
  namespace: string;
  name: string;
}

/** Resource request attributes of a path, as k8s.io/apiserver's RequestInfoFactory reads them. */
function requestInfo(segments: string[]): RequestInfo | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) [group, version, rest] = ['', segments[1]!, segments.slice(2)];
  else if (segments[0] === 'apis' && segments.length >= 4) [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
  else return undefined;
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    // GET /api/v1/namespaces/<ns>: the namespace is the object.
    namespace = rest[1]!;
  }
  return { group, version, resource: rest[0]!, name: rest[1] ?? '', subresource: rest[2] ?? '', subpath: rest.slice(3).join('/'), namespace };
}

/** "json" or "metadata" for the first Accept entry the server can give; undefined if none. */
function negotiate(accept: string): 'json' | 'metadata' | undefined {
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    if (!['application/json', 'application/*', '*/*'].includes(type ?? '')) continue;
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim()) as [string, string]));
    if (p.as === undefined) return 'json';
    if ((p.as === 'PartialObjectMetadataList' || p.as === 'PartialObjectMetadata') && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) return 'metadata';
  }
  return undefined;
}

function parseFieldSelector(selector: string): { field: string; value: string; equals: boolean }[] {
  return selector.split(',').map((term) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term.trim());
    return m ? { field: m[1]!, value: m[3]!, equals: m[2] !== '!=' } : { field: term, value: '', equals: true };
  });
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64');
}

function decodeContinue(token: string): { rv: number; start: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv?: number; start?: string };
    return typeof v.rv === 'number' && typeof v.start === 'string' ? { rv: v.rv, start: v.start } : undefined;
  } catch {
    return undefined;
  }
}

function lowerBound(items: Stored[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function statusBody(code: number, reason: string, message: string, extra: Record<string, unknown>): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...extra, code });
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  const body = statusBody(code, reason, message, {});
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function forbiddenMessage(user: UserInfo, a: RequestAttributes): string {
  if (!a.resource) return `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const r = a.resource;
  const what = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const subject = r.name ? `${what} "${r.name}"` : what;
  const scope = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user.name}" cannot ${a.verb} resource "${what}" in API group "${r.apiGroup}" ${scope}`;
}

function uidOf(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
