// Synthetic cluster generator: the objects of a `kubectl get -A -o json` dump of a multi-team
// cluster, deterministic for a seed. Proportions follow what such dumps hold: pods and their
// ReplicaSets dominate, then services, config, RBAC and network policies per namespace.
//
//   node dist/bench/generate.js --objects 50000 [--seed 1] [--format json|yaml] [--output FILE]

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import type { K8sObject } from '../src/inventory/types.js';

export interface GenerateOptions {
  /** Exact number of objects in the output (up to 100,000 and beyond). */
  objects: number;
  seed?: number;
}

/** mulberry32: a small, fast, seeded PRNG, so every run of a size yields the same cluster. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCluster(options: GenerateOptions): K8sObject[] {
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const out: K8sObject[] = [];
  const full = () => out.length >= options.objects;
  const add = (o: K8sObject) => {
    if (!full()) out.push(o);
  };
  const created = '2026-03-14T09:26:53Z';
  const meta = (name: string, namespace: string | undefined, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(),
    resourceVersion: String(Math.floor(random() * 1e7)),
    creationTimestamp: created,
    labels,
    ...extra,
  });

  const nodeCount = Math.max(3, Math.round(options.objects / 400));
  const nodes = Array.from({ length: nodeCount }, (_, i) => `node-${String(i).padStart(3, '0')}`);
  for (const [i, name] of nodes.entries()) {
    add({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta(name, undefined, { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(i < 3 ? { 'node-role.kubernetes.io/control-plane': '' } : {}) }),
      spec: { podCIDR: `10.244.${i % 256}.0/24`, ...(i < 3 ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}) },
      status: {
        addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 256)}.${i % 256}` }, { type: 'Hostname', address: name }],
        nodeInfo: { kubeletVersion: 'v1.30.4', containerRuntimeVersion: 'containerd://1.7.20', kernelVersion: '6.1.0-25-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64', operatingSystem: 'linux' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: created }],
        capacity: { cpu: '16', memory: '65843896Ki', pods: '110' },
      },
    });
  }
  for (let i = 0; i < Math.max(4, Math.round(options.objects / 250)) && !full(); i++) {
    const role = `platform:role-${i}`;
    add({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(role, undefined), rules: [{ apiGroups: [pick(['', 'apps', 'batch'])], resources: [pick(['pods', 'deployments', 'jobs', 'configmaps'])], verbs: pick([['get', 'list', 'watch'], ['*'], ['get', 'list', 'watch', 'create', 'update', 'delete']]) }] });
    add({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta(`${role}-binding`, undefined), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: chance(0.05) ? 'cluster-admin' : role }, subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: `team-${i}` }] });
  }

  const teams = ['payments', 'search', 'checkout', 'identity', 'catalog', 'media', 'ads', 'data', 'ml', 'web'];
  const images = ['nginx:1.27.1', 'ghcr.io/acme/api:v2.4.1', 'registry.acme.io/worker:latest', 'redis:7.2', 'postgres:16.3', 'ghcr.io/acme/frontend@sha256:' + 'ab'.repeat(32)];
  for (let n = 0; !full(); n++) {
    const ns = `${teams[n % teams.length]}-${Math.floor(n / teams.length)}`;
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { 'kubernetes.io/metadata.name': ns, ...(chance(0.4) ? { 'pod-security.kubernetes.io/enforce': pick(['baseline', 'restricted']) } : {}) }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', ns) });
    add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', ns), data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' + 'MIIC'.repeat(200) + '\n-----END CERTIFICATE-----\n' } });
    if (chance(0.6)) add({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('compute', ns), spec: { hard: { 'requests.cpu': '20', 'requests.memory': '64Gi', pods: '100' } }, status: { hard: { pods: '100' }, used: { pods: '12' } } });
    if (chance(0.4)) add({ apiVersion: 'v1', kind: 'LimitRange', metadata: meta('defaults', ns), spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] } });
    if (chance(0.5)) add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('default-deny', ns), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    add({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('developer', ns), rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'pods/log', 'deployments'], verbs: ['get', 'list', 'watch'] }, ...(chance(0.2) ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] : [])] });
    add({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('developers', ns), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${ns}-devs` }] });

    const apps = 4 + Math.floor(random() * 8);
    for (let a = 0; a < apps && !full(); a++) {
      const app = `${pick(['api', 'web', 'worker', 'cache', 'gateway', 'sync'])}-${a}`;
      const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': ns };
      const podSpec = () => ({
        serviceAccountName: app,
        ...(chance(0.03) ? { hostNetwork: true } : {}),
        ...(chance(0.6) ? { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } } : {}),
        containers: [{
          name: app.split('-')[0],
          image: pick(images),
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'password' } } }],
          resources: chance(0.8) ? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } } : {},
          securityContext: chance(0.05) ? { privileged: true } : { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
          terminationMessagePath: '/dev/termination-log',
          imagePullPolicy: 'IfNotPresent',
        }],
        volumes: [{ name: 'config', configMap: { name: `${app}-config` } }, ...(chance(0.03) ? [{ name: 'host', hostPath: { path: '/var/run/docker.sock' } }] : [])],
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
        ...(chance(0.02) ? { tolerations: [{ operator: 'Exists' }] } : {}),
      });
      const template = { metadata: { labels }, spec: podSpec() };
      const replicas = 1 + Math.floor(random() * 4);
      add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(app, ns, labels) });
      add({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${app}-config`, ns, labels), data: { 'app.yaml': `server:\n  port: 8080\n  name: ${app}\nfeatures: [${hex(12)}]\n` } });
      add({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: meta(`${app}-db`, ns, labels), data: { password: Buffer.from(hex(24)).toString('base64') } });
      add({ apiVersion: 'v1', kind: 'Service', metadata: meta(app, ns, labels), spec: { type: chance(0.1) ? 'LoadBalancer' : 'ClusterIP', selector: labels, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', name: 'http' }], clusterIP: `10.96.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}` } });
      if (chance(0.5)) add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`${app}-ingress`, ns), spec: { podSelector: { matchLabels: labels }, ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': ns } } }], ports: [{ port: 8080 }] }], policyTypes: ['Ingress'] } });

      const kind = pick(['Deployment', 'Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']);
      const owner = { apiVersion: 'apps/v1', kind, name: app, uid: uid(), controller: true, blockOwnerDeletion: true };
      const pods = (ownerRef: Record<string, unknown>, count: number, suffix: () => string) => {
        for (let p = 0; p < count && !full(); p++) {
          const spec = podSpec();
          add({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: meta(`${app}-${suffix()}`, ns, { ...labels, 'pod-template-hash': hex(10) }, { ownerReferences: [ownerRef] }),
            spec: { ...template.spec, nodeName: pick(nodes), ...(chance(0.1) ? spec : {}) },
            status: {
              phase: 'Running',
              hostIP: '10.0.0.1',
              podIP: `10.244.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
              startTime: created,
              conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: created })),
              containerStatuses: [{ name: app.split('-')[0], ready: true, restartCount: Math.floor(random() * 3), image: pick(images), imageID: `sha256:${hex(64)}`, containerID: `containerd://${hex(64)}`, started: true, state: { running: { startedAt: created } } }],
              qosClass: 'Burstable',
            },
          });
        }
      };
      switch (kind) {
        case 'Deployment': {
          add({ apiVersion: 'apps/v1', kind, metadata: meta(app, ns, labels, { annotations: { 'deployment.kubernetes.io/revision': '3' } }), spec: { replicas, selector: { matchLabels: labels }, template, strategy: { type: 'RollingUpdate' } }, status: { replicas, readyReplicas: replicas, availableReplicas: replicas } });
          const hash = hex(10);
          for (let r = 0; r < 2; r++) {
            add({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta(`${app}-${r === 0 ? hash : hex(10)}`, ns, labels, { ownerReferences: [owner] }), spec: { replicas: r === 0 ? replicas : 0, selector: { matchLabels: labels }, template }, status: { replicas: r === 0 ? replicas : 0 } });
          }
          pods({ ...owner, apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}` }, replicas, () => `${hash}-${hex(5)}`);
          break;
        }
        case 'StatefulSet': {
          add({ apiVersion: 'apps/v1', kind, metadata: meta(app, ns, labels), spec: { replicas, serviceName: app, selector: { matchLabels: labels }, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }] }, status: { replicas } });
          let ordinal = 0;
          pods(owner, replicas, () => String(ordinal++));
          break;
        }
        case 'DaemonSet':
          add({ apiVersion: 'apps/v1', kind, metadata: meta(app, ns, labels), spec: { selector: { matchLabels: labels }, template }, status: { desiredNumberScheduled: nodes.length } });
          pods(owner, Math.min(nodes.length, 6), () => hex(5));
          break;
        case 'Job':
          add({ apiVersion: 'batch/v1', kind, metadata: meta(app, ns, labels), spec: { backoffLimit: 3, template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } }, status: { succeeded: 1 } });
          pods({ ...owner, apiVersion: 'batch/v1' }, 1, () => hex(5));
          break;
        case 'CronJob': {
          add({ apiVersion: 'batch/v1', kind, metadata: meta(app, ns, labels), spec: { schedule: '*/15 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } } } } });
          const job = `${app}-${Math.floor(random() * 1e8)}`;
          add({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta(job, ns, labels, { ownerReferences: [{ ...owner, apiVersion: 'batch/v1' }] }), spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } }, status: { succeeded: 1 } });
          pods({ ...owner, apiVersion: 'batch/v1', kind: 'Job', name: job }, 1, () => hex(5));
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Lean objects (~500 bytes each at 4-space indentation), as dumps that strip status and managed
 * fields hold: namespaces, pods, deployments, services, service accounts, roles and bindings,
 * network policies. Where the ~3 KB objects of generateCluster spend the scan's time in parsing,
 * these spend it per object, so they show the checks' own cost.
 */
export function generateLeanCluster(options: GenerateOptions): K8sObject[] {
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const out: K8sObject[] = [];
  const full = () => out.length >= options.objects;
  const add = (o: K8sObject) => {
    if (!full()) out.push(o);
  };
  const RBAC = 'rbac.authorization.k8s.io/v1';
  const images = ['nginx:1.27.1', 'ghcr.io/acme/api:v2.4.1', 'registry.acme.io/worker:latest', 'redis:7.2'];
  for (let n = 0; !full(); n++) {
    const ns = `team-${n}`;
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, ...(chance(0.4) ? { 'pod-security.kubernetes.io/enforce': pick(['baseline', 'restricted']) } : {}) } } });
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    add({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'developer', namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, ...(chance(0.2) ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] : [])] });
    add({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'developers', namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${ns}-devs` }] });
    if (chance(0.5)) add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    const apps = 3 + Math.floor(random() * 6);
    for (let a = 0; a < apps && !full(); a++) {
      const app = `${pick(['api', 'web', 'worker', 'cache'])}-${a}`;
      const labels = { app };
      const container = () => ({
        name: 'main',
        image: pick(images),
        ...(chance(0.3) ? { securityContext: chance(0.05) ? { privileged: true } : { allowPrivilegeEscalation: false, runAsNonRoot: true } } : {}),
      });
      add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: ns } });
      add({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { selector: labels, ports: [{ port: 80 }] } });
      if (chance(0.5)) add({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `${app}-ingress`, namespace: ns }, spec: { podSelector: { matchLabels: labels }, ingress: [{ from: [{ podSelector: {} }] }] } });
      const replicas = 1 + Math.floor(random() * 5);
      add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } } } });
      const hash = hex(10);
      for (let p = 0; p < replicas; p++) {
        add({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${app}-${hash}-${hex(5)}`, namespace: ns, labels }, spec: { serviceAccountName: app, containers: [container()] } });
      }
    }
  }
  return out;
}

/** As `kubectl get -A -o json` prints it (4-space indentation). */
export function toJsonList(objects: K8sObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, null, 4)}\n`;
}

/** As `kubectl get -A -o yaml` prints it. */
export function toYamlList(objects: K8sObject[]): string {
  return stringify({ apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }, { indentSeq: false, aliasDuplicateObjects: false });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { objects: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, format: { type: 'string', default: 'json' }, output: { type: 'string' } } });
  const objects = generateCluster({ objects: Number(values.objects), seed: Number(values.seed) });
  const text = values.format === 'yaml' ? toYamlList(objects) : toJsonList(objects);
  if (values.output) writeFileSync(values.output, text);
  else process.stdout.write(text);
}
