import { defineCheck, fail, pass } from '../define.js';
import { containerField, visitContainers } from '../../engines/podsecurity/visitor.js';
import { objectField } from '../../engines/podsecurity/workloads.js';

interface SecretRef {
  name?: string;
  key?: string;
}

export default defineCheck({
  id: 'secret-in-environment-variable',
  section: 'secrets-encryption',
  severity: 'low',
  title: 'Container reads a Secret through environment variables',
  docs: {
    what: 'Reports every Pod and workload pod template with a container (init and ephemeral ones too) that takes a Secret into its environment: env[].valueFrom.secretKeyRef or envFrom[].secretRef, as CIS 5.4.1 asks ("Prefer using Secrets as files over Secrets as environment variables"; its audit searches the pod definitions for secretKeyRef). Only the references are read, never a Secret\'s value.',
    why: 'An environment variable is copied into every child process, shown by crash reporters and debug endpoints, printed by applications that log their configuration, and readable in /proc/<pid>/environ by anything that shares the process namespace; a Secret mounted as a file stays in a tmpfs only the container reads, and is updated in place when the Secret changes.',
    references: [
      'Securing a Cluster: Encrypt secrets at rest',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod',
    ],
  },
  remediation: `Mount the Secret as a volume and have the application read the file:

spec:
  volumes:
  - name: db-credentials
    secret: {secretName: db-credentials}
  containers:
  - name: app
    volumeMounts:
    - {name: db-credentials, mountPath: /etc/db-credentials, readOnly: true}`,
  cis: { '1.12': ['5.4.1'] },
  *evaluate(ctx) {
    for (const pod of ctx.inventory.podSpecs()) {
      const uses: string[] = [];
      let firstField: string | undefined;
      // visitContainers rather than containersOf: a container's path is built only when it is named.
      visitContainers(pod.spec, (container, list, index) => {
        const note = (what: string, field: string) => {
          uses.push(`container "${typeof container.name === 'string' ? container.name : `${list}[${index}]`}" ${what}`);
          firstField ??= objectField(pod, containerField(list, index, field));
        };
        (container.env ?? []).forEach((env, i) => {
          const ref = (env?.valueFrom as { secretKeyRef?: SecretRef } | undefined)?.secretKeyRef;
          if (ref) note(`sets ${env.name ?? '?'} from key "${ref.key ?? '?'}" of Secret "${ref.name ?? '?'}"`, `env[${i}].valueFrom.secretKeyRef`);
        });
        const envFrom = container.envFrom as { secretRef?: SecretRef }[] | undefined;
        (envFrom ?? []).forEach((source, i) => {
          if (source?.secretRef) note(`takes every key of Secret "${source.secretRef.name ?? '?'}"`, `envFrom[${i}].secretRef`);
        });
      });
      if (uses.length === 0) yield pass(pod.item);
      else yield fail(pod.item, `Secrets are read as environment variables: ${uses.join('; ')}`, { field: firstField! });
    }
  },
  examples: {
    fail: [
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: example/api:1.0
        env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db-credentials, key: password}}`,
      {
        description: 'envFrom a Secret, in an init container',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: migrate, namespace: shop}
spec:
  initContainers:
  - name: migrate
    image: example/migrate:1.0
    envFrom: [{secretRef: {name: db-credentials}}]
  containers: [{name: app, image: example/api:1.0}]`,
      },
    ],
    pass: [
      {
        description: 'the Secret mounted as files; ConfigMap and field references in env are fine',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      volumes: [{name: db-credentials, secret: {secretName: db-credentials}}]
      containers:
      - name: api
        image: example/api:1.0
        env:
        - name: LOG_LEVEL
          valueFrom: {configMapKeyRef: {name: settings, key: log-level}}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        envFrom: [{configMapRef: {name: settings}}]
        volumeMounts: [{name: db-credentials, mountPath: /etc/db-credentials, readOnly: true}]`,
      },
    ],
  },
});
