import { failingSecret } from '../../fix/token-secrets.js';
import type { Item } from '../../inventory/types.js';
import { defineCheck, fail, notEvaluated, pass } from '../define.js';
import type { FailResult } from '../types.js';

const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
const DELETE_RISK = 'a node that joins (or a kubelet that bootstraps its client certificate) with this token is refused; create a short-lived one when joining nodes (kubeadm token create --ttl 1h --print-join-command)';

export default defineCheck({
  id: 'bootstrap-token-secret-present',
  section: 'credential-rotation',
  severity: 'medium',
  title: 'Bootstrap token still present',
  docs: {
    what: `Reports every bootstrap token Secret (kube-system, named bootstrap-token-<id>, or of type ${BOOTSTRAP_TOKEN_TYPE}). Of its data kubeward reads only the "expiration" key, which is not secret; it never reads token-secret or prints any value. A token without expiration is high severity (in a live scan, which reads Secrets as metadata only, the expiration is unknown and the token is reported at medium); one whose expiration has passed is still stored, which means the controller-manager's tokencleaner is not running. When the Secrets could not be listed, the check is not evaluated.`,
    why: 'A bootstrap token lets anyone who holds it join a node (and, through the node identity, read the Secrets of the pods scheduled there) or authenticate as system:bootstrappers. The guide asks to revoke bootstrap tokens once the nodes have joined; a token without expiration is a permanent cluster credential.',
    references: [
      'Securing a Cluster: Rotate infrastructure credentials frequently',
      'https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/',
    ],
  },
  remediation: `Delete tokens no longer needed, and create new ones with a short TTL when joining nodes:

kubeadm token list
kubeadm token delete <token-id>
kubeadm token create --ttl 1h --print-join-command`,
  *evaluate({ inventory, now }) {
    const secrets = inventory.ofKind('Secret');
    const gap = inventory.gap('secrets');
    if (gap && secrets.length === 0) {
      yield notEvaluated({ ref: { kind: 'Secret', namespace: 'kube-system', name: 'bootstrap-token-*' } }, `Secrets could not be listed: ${gap}`);
      return;
    }
    let found = false;
    for (const secret of secrets) {
      if (!isBootstrapToken(secret)) continue;
      found = true;
      yield judge(secret, now, inventory.gap('secret-data'));
    }
    if (found || secrets.length === 0) return;
    // Secrets were visible and none is a bootstrap token.
    yield pass(inventory.get('Namespace', undefined, 'kube-system') ?? { ref: { apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' } });
  },
  examples: {
    fail: [
      {
        description: 'a bootstrap token without expiration',
        yaml: `apiVersion: v1
kind: Secret
type: bootstrap.kubernetes.io/token
metadata: {name: bootstrap-token-07401b, namespace: kube-system}
stringData:
  token-id: 07401b
  usage-bootstrap-authentication: "true"
  usage-bootstrap-signing: "true"`,
      },
      {
        description: 'an expired token the tokencleaner did not remove',
        now: '2026-06-01T00:00:00Z',
        yaml: `apiVersion: v1
kind: Secret
type: bootstrap.kubernetes.io/token
metadata: {name: bootstrap-token-abcdef, namespace: kube-system}
data:
  expiration: ${Buffer.from('2026-01-02T03:04:05Z').toString('base64')}`,
      },
      {
        description: 'a token valid for another day',
        now: '2026-06-01T00:00:00Z',
        yaml: `apiVersion: v1
kind: Secret
type: bootstrap.kubernetes.io/token
metadata: {name: bootstrap-token-9a8b7c, namespace: kube-system}
stringData:
  expiration: "2026-06-02T00:00:00Z"
  token-id: 9a8b7c
  token-secret: 0123456789abcdef`,
      },
    ],
    pass: [
      `apiVersion: v1
kind: Secret
type: kubernetes.io/tls
metadata: {name: webhook-tls, namespace: kube-system}`,
    ],
  },
  fix: {
    safety: 'safe',
    summary: 'deletes the bootstrap token Secret (as kubeadm token delete does). Safe when its expiration has passed: the API server no longer accepts it and the tokencleaner would delete it; a token without expiration, or still valid, is deleted only as an unsafe fix',
    risk: DELETE_RISK,
    plan(ctx, failures) {
      for (const failure of failures) {
        const secret = failingSecret(ctx, failure);
        if (!secret) continue;
        const expiration = new Date(expirationOf(secret) ?? Number.NaN);
        if (expiration <= ctx.check.now) ctx.remove(secret);
        else ctx.withSafety('unsafe', DELETE_RISK, () => ctx.remove(secret), failure);
      }
    },
  },
});

function isBootstrapToken(secret: Item): boolean {
  const type = (secret.object as { type?: string }).type;
  return type === BOOTSTRAP_TOKEN_TYPE || (secret.ref.namespace === 'kube-system' && secret.ref.name.startsWith('bootstrap-token-'));
}

/** The token's "expiration" (RFC 3339), the only data key read: it is not secret. */
function expirationOf(secret: Item): string | undefined {
  const object = secret.object as { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const plain = object.stringData?.expiration;
  if (typeof plain === 'string') return plain;
  const encoded = object.data?.expiration;
  return typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

/** `dataGap`: why Secret data is not in the input (a live scan reads Secrets as metadata only). */
function judge(secret: Item, now: Date, dataGap: string | undefined): FailResult {
  const name = `bootstrap token ${secret.ref.name}`;
  const expiration = expirationOf(secret);
  if (expiration === undefined && dataGap) return fail(secret, `${name} is still present; whether it expires is unknown (${dataGap})`);
  if (expiration === undefined) return fail(secret, `${name} has no expiration: it stays valid until deleted`, { severity: 'high' });
  const at = new Date(expiration);
  if (Number.isNaN(at.getTime())) return fail(secret, `${name} has an expiration that is not an RFC 3339 time, so it never expires`, { severity: 'high' });
  if (at <= now) return fail(secret, `${name} expired on ${expiration} but is still stored: the controller-manager's tokencleaner is not removing expired tokens`, { field: 'data.expiration' });
  return fail(secret, `${name} is valid until ${expiration}; delete it once the nodes it was made for have joined`, { severity: 'low', field: 'data.expiration' });
}
