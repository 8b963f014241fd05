import { apiServerSettings, describeOrigin, locationOf } from '../../engines/config/index.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import { settingField } from '../component-support.js';
import { flag } from '../../fix/node-fixes.js';

/** Longest token lifetime accepted without a finding. */
const MAX_SECONDS = 24 * 3600;

export default defineCheck({
  id: 'service-account-token-max-expiration-long',
  section: 'credential-rotation',
  severity: 'low',
  title: 'ServiceAccount tokens may be issued for more than a day',
  docs: {
    what: 'Reads kube-apiserver --service-account-max-token-expiration on every API server the input shows and reports it when unset (no maximum: a TokenRequest may ask for any lifetime) or longer than 24h.',
    why: 'A bound ServiceAccount token is a bearer credential: a token leaked from a pod, a CI job or a log works until it expires. Capping the lifetime bounds the damage of every leak; without a cap, `kubectl create token --duration` and any client allowed to create tokens can mint year-long credentials.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/',
    ],
  },
  remediation: `Cap the lifetime in the kube-apiserver manifest (/etc/kubernetes/manifests/kube-apiserver.yaml):

    - --service-account-max-token-expiration=24h

Projected tokens of pods are refreshed by the kubelet and are not affected.`,
  *evaluate(ctx) {
    for (const settings of apiServerSettings(ctx.inventory, ctx.k8sVersion)) {
      const setting = settings.get('service-account-max-token-expiration');
      const subject = { ref: settings.run.ref, location: locationOf(setting.origin) ?? settings.run.location };
      const field = settingField(setting);
      if (setting.value === undefined || setting.value === '' || setting.value === '0s' || setting.value === '0') {
        yield fail(subject, 'kube-apiserver sets no --service-account-max-token-expiration: ServiceAccount tokens can be requested for any lifetime');
        continue;
      }
      const seconds = goDurationSeconds(setting.value);
      if (seconds === undefined) yield notEvaluated(subject, `--service-account-max-token-expiration "${setting.value}" is not a duration (${describeOrigin(setting.origin)})`);
      else if (seconds > MAX_SECONDS) yield fail(subject, `kube-apiserver --service-account-max-token-expiration is ${setting.value} (${describeOrigin(setting.origin)}): tokens may live ${Math.round(seconds / 3600)}h`, field);
      else yield pass(subject);
    }
  },
  examples: {
    fail: [
      `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.4
    command: [kube-apiserver, --authorization-mode=Node,RBAC, --service-account-max-token-expiration=8760h]`,
    ],
    pass: [
      `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.4
    command: [kube-apiserver, --authorization-mode=Node,RBAC, --service-account-max-token-expiration=12h0m0s]`,
    ],
  },
  fix: {
    safety: 'unsafe',
    summary: 'sets --service-account-max-token-expiration=24h',
    risk: 'clients that request longer-lived tokens get 24-hour ones and must refresh them',
    plan: flag(['kube-apiserver'], 'service-account-max-token-expiration', '24h'),
  },
});

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };

/** Seconds of a Go duration ("24h", "1h30m", "90s"); undefined when it is not one. */
export function goDurationSeconds(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}
