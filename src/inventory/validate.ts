// The shape of every field the checks and engines read, checked once where the inventory is
// built, so a type-confused object (`containers: 5`, `from: [null]`) can never reach them: it
// becomes an input error naming the field and is left out, and everything else is still judged.
// One pass over the described fields only; values are never quoted (they may be secrets).
// A null field is removed (the API server decodes null as unset); a null list element is an error.

import { fieldLineOf } from './field-lines.js';
import { POD_TEMPLATE_PATHS } from './kinds.js';
import { describeRef, type InputError, type Item } from './types.js';

type Shape = 'string' | 'number' | 'boolean' | 'int-or-string' | 'quantity' | 'object' | ObjectShape | ListShape | MapShape;
interface ObjectShape { fields: Record<string, Shape> }
interface ListShape { list: Shape }
interface MapShape { map: Shape }

const S = 'string';
const N = 'number';
const B = 'boolean';
const obj = (fields: Record<string, Shape>): ObjectShape => ({ fields });
const list = (of: Shape): ListShape => ({ list: of });
const map = (of: Shape): MapShape => ({ map: of });
const strings = list(S);

const LABEL_SELECTOR = obj({ matchLabels: map(S), matchExpressions: list(obj({ key: S, operator: S, values: strings })) });
const NAME_REF = obj({ name: S, namespace: S });

const METADATA = obj({
  name: S, generateName: S, namespace: S, uid: S, resourceVersion: S, creationTimestamp: S,
  labels: map(S), annotations: map(S),
  ownerReferences: list(obj({ apiVersion: S, kind: S, name: S, uid: S, controller: B, blockOwnerDeletion: B })),
});

const CAPABILITIES = obj({ add: strings, drop: strings });
const SECCOMP = obj({ type: S, localhostProfile: S });
const SELINUX = obj({ user: S, role: S, type: S, level: S });
const WINDOWS = obj({ hostProcess: B, runAsUserName: S, gmsaCredentialSpecName: S, gmsaCredentialSpec: S });
const SECURITY_CONTEXT = obj({
  privileged: B, allowPrivilegeEscalation: B, capabilities: CAPABILITIES, runAsNonRoot: B, runAsUser: N, runAsGroup: N,
  readOnlyRootFilesystem: B, procMount: S, seccompProfile: SECCOMP, seLinuxOptions: SELINUX, appArmorProfile: SECCOMP, windowsOptions: WINDOWS,
});
const POD_SECURITY_CONTEXT = obj({
  runAsNonRoot: B, runAsUser: N, runAsGroup: N, fsGroup: N, supplementalGroups: list(N), fsGroupChangePolicy: S,
  supplementalGroupsPolicy: S, seLinuxChangePolicy: S, seccompProfile: SECCOMP, seLinuxOptions: SELINUX, appArmorProfile: SECCOMP,
  windowsOptions: WINDOWS, sysctls: list(obj({ name: S, value: S })),
});
const HANDLER = obj({
  exec: obj({ command: strings }),
  httpGet: obj({ host: S, port: 'int-or-string', path: S, scheme: S, httpHeaders: list(obj({ name: S, value: S })) }),
  tcpSocket: obj({ host: S, port: 'int-or-string' }),
  grpc: obj({ port: N, service: S }),
  sleep: obj({ seconds: N }),
});
const PROBE = obj({ ...HANDLER.fields, initialDelaySeconds: N, periodSeconds: N, timeoutSeconds: N, successThreshold: N, failureThreshold: N });
const KEY_REF = obj({ name: S, key: S, optional: B });
const CONTAINER = obj({
  name: S, image: S, imagePullPolicy: S, command: strings, args: strings, workingDir: S, restartPolicy: S, stdin: B, tty: B,
  ports: list(obj({ name: S, containerPort: N, hostPort: N, hostIP: S, protocol: S })),
  env: list(obj({ name: S, value: S, valueFrom: obj({ secretKeyRef: KEY_REF, configMapKeyRef: KEY_REF, fieldRef: obj({ fieldPath: S }) }) })),
  envFrom: list(obj({ prefix: S, secretRef: KEY_REF, configMapRef: KEY_REF })),
  resources: obj({ requests: map('quantity'), limits: map('quantity') }),
  securityContext: SECURITY_CONTEXT,
  volumeMounts: list(obj({ name: S, mountPath: S, readOnly: B, subPath: S, subPathExpr: S, mountPropagation: S, recursiveReadOnly: S })),
  volumeDevices: list(obj({ name: S, devicePath: S })),
  livenessProbe: PROBE, readinessProbe: PROBE, startupProbe: PROBE,
  lifecycle: obj({ postStart: HANDLER, preStop: HANDLER, stopSignal: S }),
});
const KEY_TO_PATH = list(obj({ key: S, path: S, mode: N }));
const VOLUME = obj({
  name: S,
  hostPath: obj({ path: S, type: S }),
  secret: obj({ secretName: S, items: KEY_TO_PATH, defaultMode: N, optional: B }),
  configMap: obj({ name: S, items: KEY_TO_PATH, defaultMode: N, optional: B }),
  persistentVolumeClaim: obj({ claimName: S, readOnly: B }),
  emptyDir: obj({ medium: S, sizeLimit: 'quantity' }),
  projected: obj({
    defaultMode: N,
    sources: list(obj({
      serviceAccountToken: obj({ audience: S, expirationSeconds: N, path: S }),
      secret: obj({ name: S, items: KEY_TO_PATH, optional: B }),
      configMap: obj({ name: S, items: KEY_TO_PATH, optional: B }),
    })),
  }),
  csi: obj({ driver: S, readOnly: B, volumeAttributes: map(S) }),
  ephemeral: 'object',
});
const POD_SPEC = obj({
  containers: list(CONTAINER), initContainers: list(CONTAINER), ephemeralContainers: list(CONTAINER), volumes: list(VOLUME),
  securityContext: POD_SECURITY_CONTEXT, hostNetwork: B, hostPID: B, hostIPC: B, hostUsers: B, shareProcessNamespace: B,
  serviceAccountName: S, serviceAccount: S, automountServiceAccountToken: B, nodeName: S, nodeSelector: map(S),
  tolerations: list(obj({ key: S, operator: S, value: S, effect: S, tolerationSeconds: N })),
  os: obj({ name: S }), priorityClassName: S, runtimeClassName: S, schedulerName: S, dnsPolicy: S, restartPolicy: S,
  hostAliases: list(obj({ ip: S, hostnames: strings })), imagePullSecrets: list(NAME_REF), affinity: 'object', overhead: map('quantity'),
});

/** Builds the shape of a kind whose pod template sits at `path` (POD_TEMPLATE_PATHS). */
function podHolder(path: string[], extra: Record<string, Shape>): ObjectShape {
  let shape: Shape = POD_SPEC;
  for (let i = path.length - 1; i >= 0; i--) {
    const field = path[i]!;
    // The object holding a pod spec also holds the pod's metadata (a template, or the Pod).
    const fields: Record<string, Shape> = field === 'spec' && i === path.length - 1 ? { metadata: METADATA, spec: shape } : { [field]: shape };
    if (i === 1 && path[0] === 'spec') Object.assign(fields, extra);
    shape = obj(fields);
  }
  return shape as ObjectShape;
}

const WORKLOAD_SPEC: Record<string, Shape> = { selector: LABEL_SELECTOR, replicas: N };
const POLICY_RULE = obj({ verbs: strings, apiGroups: strings, resources: strings, resourceNames: strings, nonResourceURLs: strings });
const ROLE = obj({ rules: list(POLICY_RULE), aggregationRule: obj({ clusterRoleSelectors: list(LABEL_SELECTOR) }) });
const BINDING = obj({ roleRef: obj({ apiGroup: S, kind: S, name: S }), subjects: list(obj({ kind: S, name: S, namespace: S, apiGroup: S })) });
const PEER = obj({ podSelector: LABEL_SELECTOR, namespaceSelector: LABEL_SELECTOR, ipBlock: obj({ cidr: S, except: strings }) });
const POLICY_PORT = list(obj({ protocol: S, port: 'int-or-string', endPort: N }));
const WEBHOOKS = obj({
  webhooks: list(obj({
    name: S, failurePolicy: S, matchPolicy: S, sideEffects: S, timeoutSeconds: N, reinvocationPolicy: S, admissionReviewVersions: strings,
    clientConfig: obj({ url: S, caBundle: S, service: obj({ name: S, namespace: S, path: S, port: N }) }),
    rules: list(obj({ operations: strings, apiGroups: strings, apiVersions: strings, resources: strings, scope: S })),
    namespaceSelector: LABEL_SELECTOR, objectSelector: LABEL_SELECTOR, matchConditions: list(obj({ name: S, expression: S })),
  })),
});
const KUBECONFIG = obj({
  'current-context': S,
  clusters: list(obj({ name: S, cluster: obj({ server: S, 'insecure-skip-tls-verify': B, 'certificate-authority': S, 'certificate-authority-data': S, 'proxy-url': S, 'tls-server-name': S }) })),
  users: list(obj({
    name: S,
    user: obj({
      token: S, tokenFile: S, username: S, password: S, 'client-certificate': S, 'client-key': S, 'client-certificate-data': S, 'client-key-data': S,
      exec: obj({ command: S, args: strings, apiVersion: S }), 'auth-provider': obj({ name: S, config: map(S) }),
    }),
  })),
  contexts: list(obj({ name: S, context: obj({ cluster: S, user: S, namespace: S }) })),
});

const ENCRYPTION_KEYS = obj({ keys: list(obj({ name: S, secret: S })) });
const AUDIT_RULE = obj({
  level: S, users: strings, userGroups: strings, verbs: strings, namespaces: strings, nonResourceURLs: strings, omitStages: strings,
  resources: list(obj({ group: S, resources: strings, resourceNames: strings })),
});

/** Shapes by kind, besides metadata (checked for every object). Kinds not listed: metadata only. */
const KIND_SHAPES: Record<string, ObjectShape> = {
  ...Object.fromEntries(Object.entries(POD_TEMPLATE_PATHS).map(([kind, path]) => [kind, podHolder(path, WORKLOAD_SPEC)])),
  Pod: obj({ spec: POD_SPEC, status: obj({ phase: S, hostIP: S, podIP: S, podIPs: list(obj({ ip: S })) }) }),
  Role: ROLE,
  ClusterRole: ROLE,
  RoleBinding: BINDING,
  ClusterRoleBinding: BINDING,
  NetworkPolicy: obj({
    spec: obj({
      podSelector: LABEL_SELECTOR, policyTypes: strings,
      ingress: list(obj({ from: list(PEER), ports: POLICY_PORT })),
      egress: list(obj({ to: list(PEER), ports: POLICY_PORT })),
    }),
  }),
  Service: obj({
    spec: obj({
      type: S, selector: map(S), clusterIP: S, clusterIPs: strings, externalIPs: strings, externalName: S, loadBalancerIP: S,
      loadBalancerSourceRanges: strings, externalTrafficPolicy: S, internalTrafficPolicy: S, ipFamilies: strings,
      ports: list(obj({ name: S, port: N, targetPort: 'int-or-string', nodePort: N, protocol: S, appProtocol: S })),
    }),
    status: obj({ loadBalancer: obj({ ingress: list(obj({ ip: S, hostname: S })) }) }),
  }),
  Namespace: obj({ spec: obj({ finalizers: strings }), status: obj({ phase: S }) }),
  ValidatingWebhookConfiguration: WEBHOOKS,
  MutatingWebhookConfiguration: WEBHOOKS,
  Secret: obj({ type: S, data: map(S), stringData: map(S), immutable: B }),
  ServiceAccount: obj({ automountServiceAccountToken: B, secrets: list(NAME_REF), imagePullSecrets: list(NAME_REF) }),
  ResourceQuota: obj({ spec: obj({ hard: map('quantity'), scopes: strings, scopeSelector: obj({ matchExpressions: list(obj({ scopeName: S, operator: S, values: strings })) }) }) }),
  LimitRange: obj({ spec: obj({ limits: list(obj({ type: S, max: map('quantity'), min: map('quantity'), default: map('quantity'), defaultRequest: map('quantity'), maxLimitRequestRatio: map('quantity') })) }) }),
  Node: obj({
    spec: obj({ podCIDR: S, podCIDRs: strings, unschedulable: B, taints: list(obj({ key: S, value: S, effect: S })) }),
    status: obj({
      nodeInfo: obj({ kubeletVersion: S, kubeProxyVersion: S, osImage: S, kernelVersion: S, containerRuntimeVersion: S, operatingSystem: S, architecture: S }),
      addresses: list(obj({ type: S, address: S })), conditions: list(obj({ type: S, status: S })),
      daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: N }) }),
    }),
  }),
  Ingress: obj({
    spec: obj({
      ingressClassName: S, tls: list(obj({ hosts: strings, secretName: S })),
      rules: list(obj({ host: S, http: obj({ paths: list(obj({ path: S, pathType: S, backend: obj({ service: obj({ name: S, port: obj({ number: N, name: S }) }) }) })) }) })),
    }),
  }),
  CustomResourceDefinition: obj({
    spec: obj({ group: S, scope: S, names: obj({ kind: S, plural: S, singular: S, shortNames: strings }), versions: list(obj({ name: S, served: B, storage: B })) }),
  }),
  Config: KUBECONFIG,
  Policy: obj({ rules: list(AUDIT_RULE), omitStages: strings }),
  EncryptionConfiguration: obj({
    resources: list(obj({
      resources: strings,
      providers: list(obj({
        aescbc: ENCRYPTION_KEYS, aesgcm: ENCRYPTION_KEYS, secretbox: ENCRYPTION_KEYS, identity: 'object',
        kms: obj({ name: S, apiVersion: S, endpoint: S, cachesize: N, timeout: S }),
      })),
    })),
  }),
  AuthenticationConfiguration: obj({
    anonymous: obj({ enabled: B, conditions: list(obj({ path: S })) }),
    jwt: list(obj({ issuer: obj({ url: S, audiences: strings }) })),
  }),
  AdmissionConfiguration: obj({ plugins: list(obj({ name: S, path: S, configuration: 'object' })) }),
  PodSecurityConfiguration: obj({ defaults: map(S), exemptions: obj({ usernames: strings, namespaces: strings, runtimeClasses: strings }) }),
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function expectation(shape: Shape): string {
  if (typeof shape === 'string') {
    return shape === 'int-or-string' ? 'a number or a string' : shape === 'quantity' ? 'a quantity (number or string)' : shape === 'object' ? 'a mapping' : `a ${shape}`;
  }
  return 'list' in shape ? 'a list' : 'a mapping';
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The wrong field found by the last check that failed: its path is collected while the walk
 * unwinds, so a valid object (nearly all of them) builds no path strings at all.
 */
const failure = { steps: [] as (string | number)[], shape: 'string' as Shape, value: undefined as unknown };

function fail(value: unknown, shape: Shape): false {
  failure.steps = [];
  failure.shape = shape;
  failure.value = value;
  return false;
}

type Fits = (value: unknown) => boolean;

/** Compiles a shape into a check, once: walking the shape descriptions per value is twice as slow. */
function compile(shape: Shape): Fits {
  switch (shape) {
    case 'string':
      return (value) => typeof value === 'string' || fail(value, shape);
    case 'boolean':
      return (value) => typeof value === 'boolean' || fail(value, shape);
    case 'number':
      return (value) => Number.isFinite(value) || fail(value, shape);
    case 'int-or-string':
    case 'quantity':
      return (value) => typeof value === 'string' || Number.isFinite(value) || fail(value, shape);
    case 'object':
      return (value) => isMapping(value) || fail(value, shape);
  }
  if ('list' in shape) {
    const element = compile(shape.list);
    return (value) => {
      if (!Array.isArray(value)) return fail(value, shape);
      for (let i = 0; i < value.length; i++) {
        if (!element(value[i])) {
          failure.steps.push(i);
          return false;
        }
      }
      return true;
    };
  }
  const entry = 'map' in shape ? compile(shape.map) : undefined;
  // Null prototype: the input's keys ("constructor", "__proto__") are looked up in it.
  const fields = Object.create(null) as Record<string, Fits>;
  if (!entry) for (const key in (shape as ObjectShape).fields) fields[key] = compile((shape as ObjectShape).fields[key]!);
  return (value) => {
    if (!isMapping(value)) return fail(value, shape);
    // The input's keys, not the shape's: objects hold far fewer fields than their kind has.
    for (const key in value) {
      const fits = entry ?? fields[key];
      if (fits === undefined) continue;
      const field = value[key];
      if (field === null) delete value[key];
      else if (!fits(field)) {
        failure.steps.push(key);
        return false;
      }
    }
    return true;
  };
}

const FITS_TOP = compile(obj({ apiVersion: S, kind: S, metadata: METADATA }));
const FITS_BY_KIND = new Map(Object.entries(KIND_SHAPES).map(([kind, shape]) => [kind, compile(shape)]));

/** The path of the failure: field names as written; keys of label-like maps only when they look like names. */
function failurePath(): { path: string; shown: string } {
  let path = '';
  let shown = '';
  for (let i = failure.steps.length - 1; i >= 0; i--) {
    const step = failure.steps[i]!;
    if (typeof step === 'number') {
      path += `[${step}]`;
      shown += `[${step}]`;
    } else {
      path += path ? `.${step}` : step;
      shown += (shown ? '.' : '') + (/^[\w./-]{1,63}$/.test(step) ? step : '(a key)');
    }
  }
  return { path, shown };
}

/** The first field of a value of `kind` whose shape is wrong, in words (never its value). */
export function shapeProblem(value: unknown, kind: string): { path: string; message: string } | undefined {
  const fits = FITS_BY_KIND.get(kind);
  if (FITS_TOP(value) && (!fits || fits(value))) return undefined;
  const { path, shown } = failurePath();
  const got = typeName(failure.value);
  failure.value = undefined;
  return { path, message: `${shown || 'the document'} must be ${expectation(failure.shape)}, not ${got}` };
}

/** Keeps the items whose fields have the shapes the checks read; each other one becomes an error. */
export function validateItems(items: readonly Item[]): { valid: Item[]; errors: InputError[] } {
  const valid: Item[] = [];
  const errors: InputError[] = [];
  for (const item of items) {
    const problem = shapeProblem(item.object, item.ref.kind);
    if (!problem) {
      valid.push(item);
      continue;
    }
    const line = fieldLineOf(item.object, problem.path) ?? item.location.line;
    errors.push({ source: item.location.file, ...(line !== undefined ? { line } : {}), message: `${describeRef(item.ref)}: ${problem.message}; object not scanned` });
  }
  return { valid, errors };
}
