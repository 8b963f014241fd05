// What runs the webhook in a cluster: `kubeward webhook manifests` prints these, and `kubeward
// install` applies them. Highly available (3 replicas spread over nodes and zones, a
// PodDisruptionBudget), restricted Pod Security, list/watch-only RBAC, a NetworkPolicy, and a
// ValidatingWebhookConfiguration whose enforcing rules fail closed and warn-only ones fail open.

import type { K8sObject } from '../inventory/types.js';
import { actionFor, configYaml, defaultConfig, type AdmissionConfig } from './config.js';
import { ADMITTED_KINDS, resourceRulesFor, ruleMeta, rulesForKind } from './rules.js';
import { POD_TEMPLATE_PATHS } from '../inventory/kinds.js';
import { STATE_RESOURCES } from './live.js';

export interface WebhookManifestOptions {
  namespace: string;
  image: string;
  /** Name of every object (default kubeward-webhook). */
  name?: string;
  replicas?: number;
  config?: AdmissionConfig;
  /** The Secret holding tls.crt and tls.key (default NAME-tls; cert-manager's Certificate writes it). */
  tlsSecret?: string;
  /** PEM of the CA that signed the serving certificate; else cert-manager injects it (annotation). */
  caBundle?: string;
}

export const WEBHOOK_PORT = 8443;
const LABEL = 'app.kubernetes.io/name';

/** Users whose writes the webhook is not asked about: the control plane's own components. */
const SYSTEM_USERS_CEL = "!(request.userInfo.username.startsWith('system:node:') || request.userInfo.username in ['system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver'] || request.userInfo.username.startsWith('system:serviceaccount:kube-system:'))";

export function webhookManifests(options: WebhookManifestOptions): K8sObject[] {
  const name = options.name ?? 'kubeward-webhook';
  const { namespace, image } = options;
  const config = options.config ?? defaultConfig();
  const replicas = options.replicas ?? 3;
  const tlsSecret = options.tlsSecret ?? `${name}-tls`;
  const labels = { [LABEL]: name, 'app.kubernetes.io/part-of': 'kubeward' };
  const selector = { matchLabels: { [LABEL]: name } };
  const meta = (extra: Record<string, unknown> = {}) => ({ name, namespace, labels, ...extra });

  return [
    {
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta() },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels },
      // The state it judges on, read only: list and watch, no get of Secrets or anything else.
      rules: groupRules(STATE_RESOURCES.map((r) => ({ group: r.group, resource: r.resource }))),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(), data: { 'config.yaml': configYaml(config) } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(),
      spec: {
        replicas,
        selector,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
            ],
            priorityClassName: 'system-cluster-critical',
            terminationGracePeriodSeconds: 30,
            containers: [{
              name: 'webhook',
              image,
              args: ['webhook', 'serve', '--cert', '/tls/tls.crt', '--key', '/tls/tls.key', '--config', '/config/config.yaml', '--port', String(WEBHOOK_PORT), '--in-cluster'],
              ports: [{ name: 'https', containerPort: WEBHOOK_PORT }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }, { name: 'config', mountPath: '/config', readOnly: true }],
            }],
            volumes: [{ name: 'tls', secret: { secretName: tlsSecret } }, { name: 'config', configMap: { name } }],
          },
        },
      },
    },
    {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(),
      spec: { minAvailable: Math.max(1, replicas - 1), selector },
    },
    {
      // Bounds what the namespace may consume, and keeps it from exposing node ports.
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta(),
      spec: { hard: { 'requests.cpu': '2', 'requests.memory': '2Gi', 'limits.cpu': String(replicas + 1), 'limits.memory': `${replicas + 1}Gi`, pods: String(replicas * 2 + 2), 'services.nodeports': '0', 'services.loadbalancers': '0' } },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta(),
      spec: { type: 'ClusterIP', selector: { [LABEL]: name }, ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(),
      spec: {
        podSelector: selector,
        policyTypes: ['Ingress', 'Egress'],
        // The API server calls in from addresses no selector can name (host network, a managed
        // control plane): the webhook port is open, and only it.
        ingress: [{ ports: [{ protocol: 'TCP', port: WEBHOOK_PORT }] }],
        // Out: the API server (list/watch) and DNS.
        egress: [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }, { protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      },
    },
    validatingWebhookConfiguration(name, namespace, config, options.caBundle),
  ];
}

function groupRules(resources: { group: string; resource: string }[]): Record<string, unknown>[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.resource]);
  return [...byGroup].map(([group, list]) => ({ apiGroups: [group], resources: list, verbs: ['list', 'watch'] }));
}

/** Kinds split by whether any rule that judges them enforces. */
function kindsByFailurePolicy(config: AdmissionConfig): { enforce: string[]; warn: string[] } {
  const podKinds = new Set(Object.keys(POD_TEMPLATE_PATHS));
  const out = { enforce: [] as string[], warn: [] as string[] };
  for (const kind of Object.keys(ADMITTED_KINDS)) {
    const actions = rulesForKind(kind, podKinds).map((id) => actionFor(config, ruleMeta(id)));
    if (actions.includes('enforce')) out.enforce.push(kind);
    else if (actions.some((a) => a !== 'off')) out.warn.push(kind);
  }
  return out;
}

function webhookRules(kinds: string[]): Record<string, unknown>[] {
  return resourceRulesFor(kinds).map((rule) => ({ ...rule, scope: '*' }));
}

function validatingWebhookConfiguration(name: string, namespace: string, config: AdmissionConfig, caBundle: string | undefined): K8sObject {
  const { enforce, warn } = kindsByFailurePolicy(config);
  const clientConfig = (path: string) => ({
    service: { name, namespace, path, port: 443 },
    ...(caBundle ? { caBundle: Buffer.from(caBundle).toString('base64') } : {}),
  });
  const common = {
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    timeoutSeconds: config.timeoutSeconds,
    matchPolicy: 'Equivalent',
    // Never in the path of the control plane's own namespace, nor of the webhook's pods.
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', namespace] }] },
    matchConditions: [{ name: 'not-system-components', expression: SYSTEM_USERS_CEL }],
  };
  const webhooks = [];
  if (enforce.length > 0) webhooks.push({ name: 'enforce.webhook.kubeward.io', clientConfig: clientConfig('/validate'), rules: webhookRules(enforce), failurePolicy: 'Fail', ...common });
  if (warn.length > 0) webhooks.push({ name: 'warn.webhook.kubeward.io', clientConfig: clientConfig('/validate'), rules: webhookRules(warn), failurePolicy: 'Ignore', ...common });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels: { [LABEL]: name, 'app.kubernetes.io/part-of': 'kubeward' }, ...(caBundle ? {} : { annotations: { 'cert-manager.io/inject-ca-from': `${namespace}/${name}` } }) },
    webhooks,
  };
}
