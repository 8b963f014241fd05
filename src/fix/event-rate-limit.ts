// EventRateLimit on a kube-apiserver static pod: the plugin refuses to start without its
// configuration, so it is enabled only together with one. An AdmissionConfiguration the API
// server already reads (--admission-control-config-file, in the input) gets an EventRateLimit
// entry; otherwise kubeward writes /etc/kubernetes/admission-config.yaml, sets the flag and
// mounts the file, as the audit policy and encryption fixes do.

import { admissionPluginFix } from '../checks/api-authz/admission-plugins.js';
import type { FailResult } from '../checks/types.js';
import { yamlLibrary } from '../yaml.js';
import { mountHostFile, refKey, setFlag } from './helpers.js';
import { staticApiServers } from './node-fixes.js';
import type { FixContext } from './types.js';

const ADMISSION_CONFIG_FILE = '/etc/kubernetes/admission-config.yaml';

/**
 * The limits of the Kubernetes documentation's example (admission controllers, EventRateLimit):
 * per namespace 50 events/s with bursts of 100 (the 2000 most recently active namespaces
 * tracked), per user 10/s with bursts of 50. Far above what a healthy namespace or client
 * writes; a flood beyond them gets 429s instead of filling etcd.
 */
const EVENT_RATE_LIMITS = {
  apiVersion: 'eventratelimit.admission.k8s.io/v1alpha1',
  kind: 'Configuration',
  limits: [
    { type: 'Namespace', qps: 50, burst: 100, cacheSize: 2000 },
    { type: 'User', qps: 10, burst: 50 },
  ],
};

const ENTRY = { name: 'EventRateLimit', configuration: EVENT_RATE_LIMITS };

interface AdmissionPlugin { name?: string }

export function enableEventRateLimit(ctx: FixContext, failures: readonly FailResult[]): void {
  const ready: FailResult[] = [];
  for (const { settings, host, failure } of staticApiServers(ctx, failures, 'add EventRateLimit with its AdmissionConfiguration')) {
    const configured = settings.get('admission-control-config-file').value;
    if (configured) {
      const item = ctx.check.inventory.ofKind('AdmissionConfiguration').find((i) => i.location.file.endsWith(configured));
      if (!item) {
        ctx.manual(failure, `its AdmissionConfiguration ${configured} is not in the input: add an EventRateLimit entry there (the plugin does not start without one), then enable the plugin`);
        continue;
      }
      const plugins = (ctx.planned(item) as { plugins?: AdmissionPlugin[] }).plugins;
      const list = Array.isArray(plugins) ? plugins : [];
      if (!list.some((p) => p?.name === 'EventRateLimit')) ctx.edit(item).set(['plugins'], [...list, ENTRY]);
    } else {
      let taken = false;
      ctx.writeNodeFile(host, ADMISSION_CONFIG_FILE, (current) => {
        if (current !== undefined) {
          taken = true;
          return undefined;
        }
        return {
          content: `# Written by kubeward fix: EventRateLimit with the limits of the Kubernetes documentation's example.\n${yamlLibrary().stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins: [ENTRY] })}`,
          mode: 0o600,
        };
      });
      if (taken) {
        ctx.manual(failure, `${ADMISSION_CONFIG_FILE} is already on the node but kube-apiserver does not read it: add the EventRateLimit entry to it and pass it with --admission-control-config-file`);
        continue;
      }
      setFlag(ctx, settings.run, 'admission-control-config-file', ADMISSION_CONFIG_FILE);
      mountHostFile(ctx, settings.run, 'admission-config', ADMISSION_CONFIG_FILE);
    }
    ready.push(failure);
  }
  // The plugin itself, only where its configuration is there.
  const keys = new Set(ready.map((f) => refKey(f.subject.ref)));
  admissionPluginFix('EventRateLimit', 'on')(ctx, failures.filter((f) => keys.has(refKey(f.subject.ref))));
}
