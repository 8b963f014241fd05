// What `kubeward install` prints: kubeward running in the cluster. A CronJob scans the cluster
// through the API and writes PolicyReports; a DaemonSet (--nodes) runs the node checks on every
// node, control plane included; the admission webhook (--webhook) comes from src/admission.
// Everything has the least privilege that works, and each grant says why. The scanner's read
// rules are deploy/scanner-rbac.yaml's, so the two never drift apart. deploy/kustomize/ is this
// output (npm run deploy; a test fails when it is stale).

import { readFileSync } from 'node:fs';
import type { K8sObject } from '../inventory/types.js';
import { REPORT_KINDS, type ReportApi } from '../report/policyreport.js';
import { parseDocuments } from '../sources/documents.js';
import { DEFAULT_IMAGE } from '../version.js';
import { yamlLibrary } from '../yaml.js';

/** Every six hours, at a minute other than 0 (when many CronJobs start at once). */
export const DEFAULT_SCHEDULE = '17 */6 * * *';
const NODE_INTERVAL = '6h';

/**
 * Sized from `npm run bench -- incluster`: the CronJob's scan of a 50,000-object cluster (read,
 * check, write 669 reports) peaks at 420 MiB resident. The request covers that; the limit and
 * the V8 heap cap below it leave room for a cluster about twice as large before the scan
 * fails with a heap error rather than an OOM kill mid-write. Larger clusters: raise all three.
 */
export const SCANNER_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};
const SCANNER_HEAP_MIB = 768;
/**
 * The node agent reads one node's files: measured on the example control-plane node, one round
 * (read, check, write a 110 KiB ClusterPolicyReport) peaks at 125 MiB resident, most of it the
 * Kubernetes client library.
 */
const NODE_RESOURCES = {
  requests: { cpu: '20m', memory: '128Mi' },
  limits: { cpu: '200m', memory: '256Mi' },
};
const NODE_HEAP_MIB = 192;

export interface InstallOptions {
  namespace?: string;
  image?: string;
  schedule?: string;
  /** The node agent DaemonSet (and its namespace). */
  nodes?: boolean;
  reportApi?: ReportApi;
  /** The webhook's manifests (src/admission), added as they are. */
  webhook?: K8sObject[];
}

/** One manifest with the comment printed above it (why it is there, why each privilege). */
export interface Manifest {
  comment: string;
  object: K8sObject;
}

const PART_OF = { 'app.kubernetes.io/part-of': 'kubeward' };
const EXCEPTIONS_PATH = '/etc/kubeward/exceptions.yaml';
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
/** The image's numeric non-root user (Dockerfile). */
export const IMAGE_UID = 65532;

/**
 * What the node checks read, mounted read-only under /host, and nothing else: not the whole
 * root, not /var/lib/kubelet (it holds every pod's Secret volumes), not /var/lib/etcd (every
 * Secret), not /etc as a whole (/etc/shadow).
 */
const NODE_MOUNTS: { name: string; path: string; type: string; why: string }[] = [
  { name: 'etc-kubernetes', path: '/etc/kubernetes', type: 'Directory', why: 'static pod manifests, kubeconfigs, the PKI and the files component flags name' },
  { name: 'kubelet-pki', path: '/var/lib/kubelet/pki', type: 'Directory', why: "the kubelet's serving and client certificates" },
  { name: 'kubelet-config', path: '/var/lib/kubelet/config.yaml', type: 'File', why: "the kubelet's configuration file" },
  { name: 'systemd-etc', path: '/etc/systemd/system', type: 'Directory', why: "the kubelet's unit and its drop-ins" },
  { name: 'systemd-lib', path: '/lib/systemd/system', type: 'Directory', why: "the kubelet's unit as packaged" },
  { name: 'etc-default', path: '/etc/default', type: 'Directory', why: "the kubelet's environment file (KUBELET_EXTRA_ARGS)" },
  { name: 'modprobe', path: '/etc/modprobe.d', type: 'Directory', why: 'the kernel module blacklist' },
  { name: 'passwd', path: '/etc/passwd', type: 'File', why: 'user names of file owners' },
  { name: 'hostname', path: '/etc/hostname', type: 'File', why: "the node's name" },
  { name: 'proc', path: '/proc', type: 'Directory', why: "the host's processes' command lines (the control plane's effective flags) and loaded kernel modules: a container's own /proc shows only its own processes" },
];

export function installManifests(options: InstallOptions = {}): Manifest[] {
  const namespace = options.namespace ?? 'kubeward';
  const nodeNamespace = `${namespace}-node`;
  const image = options.image ?? DEFAULT_IMAGE;
  const api = options.reportApi ?? 'wgpolicy';
  const kinds = REPORT_KINDS[api];
  const scannerRbac = scannerRbacObjects();
  const scannerRules = scannerRbac.find((o) => o.kind === 'ClusterRole')!.rules;
  const kubeSystemRole = scannerRbac.find((o) => o.kind === 'Role')!;
  const exceptions = exceptionsFile(namespace, nodeNamespace);
  const m = (comment: string, object: K8sObject): Manifest => ({ comment, object });
  const binding = (kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleKind: string, sa: string, saNamespace: string, ns?: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind,
    metadata: { name, ...(ns ? { namespace: ns } : {}), labels: PART_OF },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: saNamespace }],
  });

  const out: Manifest[] = [
    m('The scanner and the webhook run under the "restricted" Pod Security level.', {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: namespace, labels: { ...PART_OF, ...podSecurity('restricted') } },
    }),
    ...bounds(namespace, SCANNER_RESOURCES),
    m('Its token is mounted only into the scanner pod (automountServiceAccountToken there).', {
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: { name: 'kubeward-scanner', namespace, labels: PART_OF },
      automountServiceAccountToken: false,
    }),
    m('Read-only: list on what the checks judge, get on discovery and /version (deploy/scanner-rbac.yaml).\nNo Secrets and no nodes/proxy: the scan runs with --no-secrets --no-kubelet-config.', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: 'kubeward-scanner', labels: PART_OF },
      rules: scannerRules,
    }),
    m('', binding('ClusterRoleBinding', 'kubeward-scanner', 'ClusterRole', 'kubeward-scanner', namespace)),
    m("kube-proxy's and kubeadm's configuration are ConfigMaps in kube-system: a Role there only.", {
      ...kubeSystemRole,
      metadata: { ...kubeSystemRole.metadata, labels: PART_OF },
    }),
    m('', binding('RoleBinding', 'kubeward-scanner', 'Role', 'kubeward-scanner', namespace, 'kube-system')),
    m(`Writing its reports: server-side apply (patch, and create for a new one) and delete of stale ones.\nNo get or list: report names are deterministic, so stale ones are deleted by name.`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name: 'kubeward-report-writer', labels: PART_OF },
      rules: [{ apiGroups: [kinds.namespaced.group], resources: [kinds.namespaced.plural, kinds.cluster.plural], verbs: ['create', 'patch', 'delete'] }],
    }),
    m('', binding('ClusterRoleBinding', 'kubeward-report-writer', 'ClusterRole', 'kubeward-scanner', namespace)),
    m(`Accepted risks of kubeward's own manifests (its scans would flag them otherwise); the scans read it.`, {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kubeward-exceptions', namespace, labels: PART_OF },
      data: { 'exceptions.yaml': exceptions },
    }),
    m(`The cluster scan. Resources: measured on a 50,000-object cluster (README, "In the cluster").\nForbid: a slow scan is never overlapped by the next one.`, {
      apiVersion: 'batch/v1', kind: 'CronJob',
      metadata: { name: 'kubeward-scan', namespace, labels: PART_OF },
      spec: {
        schedule: options.schedule ?? DEFAULT_SCHEDULE,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: { ...PART_OF, 'app.kubernetes.io/name': 'kubeward-scan' } },
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86400,
            template: {
              metadata: { labels: { ...PART_OF, 'app.kubernetes.io/name': 'kubeward-scan' } },
              spec: {
                serviceAccountName: 'kubeward-scanner',
                automountServiceAccountToken: true,
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{
                  name: 'scan',
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  args: ['scan', '--cluster', '--no-progress', '--no-secrets', '--no-kubelet-config', '--report-to-cluster', '--report-api', api, '--exceptions', EXCEPTIONS_PATH, '--fail-on', 'none'],
                  env: [{ name: 'NODE_OPTIONS', value: `--max-old-space-size=${SCANNER_HEAP_MIB}` }],
                  resources: SCANNER_RESOURCES,
                  securityContext: RESTRICTED_CONTAINER,
                  volumeMounts: [{ name: 'exceptions', mountPath: '/etc/kubeward', readOnly: true }],
                }],
                volumes: [{ name: 'exceptions', configMap: { name: 'kubeward-exceptions' } }],
              },
            },
          },
        },
      },
    }),
    m('The scanner talks to the API server only: no ingress, egress to ports 443 and 6443 outside the\ncloud metadata address. It needs no DNS (in a pod, the API server is KUBERNETES_SERVICE_HOST).', networkPolicy('kubeward-scan', namespace, { 'app.kubernetes.io/name': 'kubeward-scan' })),
  ];

  if (options.nodes) {
    out.push(
      m(`The node agent reads host files (hostPath) as root with CAP_DAC_READ_SEARCH: the "restricted" and\n"baseline" levels refuse both, so this namespace alone enforces "privileged". It holds the agent only;\nwarn and audit still show what "baseline" would refuse.`, {
        apiVersion: 'v1', kind: 'Namespace',
        metadata: { name: nodeNamespace, labels: { ...PART_OF, ...podSecurity('baseline'), 'pod-security.kubernetes.io/enforce': 'privileged' } },
      }),
      ...bounds(nodeNamespace, NODE_RESOURCES),
      m('', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kubeward-node', namespace: nodeNamespace, labels: PART_OF }, automountServiceAccountToken: false }),
      m('Each node agent writes its own node\'s cluster-scoped report, nothing else: no read grants at all.', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
        metadata: { name: 'kubeward-node-report-writer', labels: PART_OF },
        rules: [{ apiGroups: [kinds.cluster.group], resources: [kinds.cluster.plural], verbs: ['create', 'patch', 'delete'] }],
      }),
      m('', binding('ClusterRoleBinding', 'kubeward-node-report-writer', 'ClusterRole', 'kubeward-node', nodeNamespace)),
      m('', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeward-exceptions', namespace: nodeNamespace, labels: PART_OF }, data: { 'exceptions.yaml': exceptions } }),
      m(nodeAgentComment(), nodeAgent(nodeNamespace, image, api)),
      m('The node agent talks to the API server only, as the scanner.', networkPolicy('kubeward-node', nodeNamespace, { 'app.kubernetes.io/name': 'kubeward-node' })),
    );
  }

  // The webhook's own Namespace is this one: ours, with its labels, is kept.
  for (const object of options.webhook ?? []) {
    if (object.kind === 'Namespace' && object.metadata?.name === namespace) continue;
    out.push(m('', object));
  }
  return out;
}

/** A quota and defaults for a namespace of kubeward's: what its pods need, and no Services exposed outside. */
function bounds(namespace: string, resources: { requests: Record<string, string>; limits: Record<string, string> }): Manifest[] {
  return [
    {
      comment: 'Defaults for any container without requests and limits, and a cap on what the namespace may use.',
      object: {
        apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'kubeward', namespace, labels: PART_OF },
        spec: { limits: [{ type: 'Container', default: resources.limits, defaultRequest: resources.requests }] },
      },
    },
    {
      comment: '',
      object: {
        apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'kubeward', namespace, labels: PART_OF },
        // Pods: one scan, or one agent per node (a node count is unknown here, so no pod cap for it).
        spec: { hard: { 'limits.memory': '64Gi', 'services.nodeports': '0', 'services.loadbalancers': '0' } },
      },
    },
  ];
}

function podSecurity(level: string): Record<string, string> {
  return Object.fromEntries(['enforce', 'warn', 'audit'].flatMap((mode) => [[`pod-security.kubernetes.io/${mode}`, level], [`pod-security.kubernetes.io/${mode}-version`, 'latest']]));
}

function networkPolicy(name: string, namespace: string, podLabels: Record<string, string>): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: PART_OF },
    spec: {
      podSelector: { matchLabels: podLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [{
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }],
        ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }],
      }],
    },
  };
}

function nodeAgentComment(): string {
  return [
    'The node checks on every node, control plane included (its taints are tolerated). Privileges, each needed:',
    '- runAsUser 0 with only CAP_DAC_READ_SEARCH: static pod manifests and kubeconfigs are root-only (0600);',
    '  this capability reads them without being able to write anything (every capability else is dropped);',
    '- hostPath mounts, read-only, of exactly what the checks read:',
    ...NODE_MOUNTS.map((v) => `    ${v.path}: ${v.why}`),
    '- no hostPID, hostNetwork or privileged: the host /proc mount shows the command lines without sharing',
    '  the host\'s PID namespace (which would let a root process signal the kubelet).',
    `The agent scans every ${NODE_INTERVAL} (--interval) and writes its node's ClusterPolicyReport.`,
    "What kubeward's own checks flag about it is accepted in the kubeward-exceptions ConfigMap.",
  ].join('\n');
}

function nodeAgent(namespace: string, image: string, api: ReportApi): K8sObject {
  const labels = { ...PART_OF, 'app.kubernetes.io/name': 'kubeward-node' };
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kubeward-node', namespace, labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'kubeward-node' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'kubeward-node',
          automountServiceAccountToken: true,
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
          ],
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'node',
            image,
            imagePullPolicy: 'IfNotPresent',
            args: ['node', '--root', '/host', '--node-name', '$(NODE_NAME)', '--report-to-cluster', '--report-api', api, '--exceptions', EXCEPTIONS_PATH, '--fail-on', 'none', '--interval', NODE_INTERVAL],
            env: [
              { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'NODE_OPTIONS', value: `--max-old-space-size=${NODE_HEAP_MIB}` },
            ],
            resources: NODE_RESOURCES,
            securityContext: {
              runAsUser: 0,
              runAsNonRoot: false,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
            },
            volumeMounts: [
              { name: 'exceptions', mountPath: '/etc/kubeward', readOnly: true },
              ...NODE_MOUNTS.map((v) => ({ name: v.name, mountPath: `/host${v.path}`, readOnly: true })),
            ],
          }],
          volumes: [
            { name: 'exceptions', configMap: { name: 'kubeward-exceptions' } },
            ...NODE_MOUNTS.map((v) => ({ name: v.name, hostPath: { path: v.path, type: v.type } })),
          ],
        },
      },
    },
  };
}

/** deploy/scanner-rbac.yaml's objects, read from the package (deploy/ ships in it). */
function scannerRbacObjects(): K8sObject[] {
  const url = new URL('../../../deploy/scanner-rbac.yaml', import.meta.url);
  const parsed = parseDocuments(readFileSync(url, 'utf8'), 'deploy/scanner-rbac.yaml');
  return parsed.items.map((i) => i.object);
}

/** The exceptions file for kubeward's own manifests: what its checks flag about them, and why it is accepted. */
export function exceptionsFile(namespace: string, nodeNamespace: string): string {
  return yamlLibrary().stringify({ exceptions: ownExceptions(namespace, nodeNamespace) });
}

function ownExceptions(namespace: string, nodeNamespace: string): { check: string; namespace?: string; kind?: string; name?: string; reason: string }[] {
  // Names are globs so that the DaemonSet's pods and the CronJob's Jobs and pods match too.
  const agent = { namespace: nodeNamespace, name: 'kubeward-node*' };
  return [
    { check: 'pod-violates-baseline-pod-security', ...agent, reason: 'the node agent reads host files (read-only hostPath mounts) as root with CAP_DAC_READ_SEARCH only: the node checks need both' },
    { check: 'pod-tolerates-control-plane-or-all-taints', ...agent, reason: 'the node agent checks control-plane nodes too: their static pods, kubeconfigs and PKI are what the node checks read' },
    { check: 'namespace-without-pod-security-enforcement', kind: 'Namespace', name: nodeNamespace, reason: 'the namespace holds the node agent only, which the baseline level would refuse (hostPath, DAC_READ_SEARCH); warn and audit stay at baseline' },
    { check: 'service-account-token-automounted', ...agent, reason: 'the node agent writes its ClusterPolicyReport through the API with this token' },
    { check: 'service-account-token-automounted', namespace, name: 'kubeward-scan*', reason: 'the scanner reads the cluster and writes PolicyReports through the API with this token' },
  ];
}

/** The manifests as one YAML stream, each with its comment. */
export function manifestsYaml(manifests: Manifest[], header: string): string {
  const yaml = yamlLibrary();
  // No anchors and aliases for the objects shared between manifests: plain YAML for every reader.
  const docs = manifests.map(({ comment, object }) => `${comment ? `${comment.split('\n').map((l) => `# ${l}`).join('\n')}\n` : ''}${yaml.stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`);
  return `${header.split('\n').map((l) => `# ${l}`).join('\n')}\n---\n${docs.join('---\n')}`;
}
