// Re-issuing failing leaf certificates as `kubeadm certs renew` does, with node:crypto only: the
// same subject, issuer, SANs and extensions, a new key pair, a random serial, a year of validity
// from now, signed with SHA-256 by the key of the CA that issued it, which must be on the node.
// The .crt and .key (or one PEM holding both, as the kubelet's client certificate) are rewritten
// in place; a kubeconfig's client-certificate-data and client-key-data are replaced in its text,
// the rest of the file byte for byte. New keys are never shown: the diff names what was generated.

import { X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { EXPIRY_WARNING_DAYS, certificatesOf, day } from '../checks/credential-rotation/certificates.js';
import type { CheckFix, FailResult } from '../checks/types.js';
import {
  BACKDATE_MS, daysLeft, isWeakRsa, issuerOf, newKeySpecFor, privateKeyPem, privateKeysIn, reissueCertificate, ReissueError,
  PEM_BLOCK, REISSUE_DAYS, signingAlgorithmFor, WEAK_SIGNATURE_HASHES, type CertificateFacts, type CollectedCertificate, type Reissued,
} from '../engines/certs/index.js';
import type { HostSnapshot } from '../inventory/host.js';
import { yamlLibrary } from '../yaml.js';
import { nodeFileOf, refKey } from './helpers.js';
import { readNodeText, realInRoot } from './plan.js';
import type { FixContext } from './types.js';

const DAY_MS = 86_400_000;
const CA_ROTATION = 'https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/';

/** Where a failing certificate is written: a PEM file of a node root, or a user of a kubeconfig on one. */
type Target =
  | { kind: 'file'; host: HostSnapshot; path: string; key: { path: string; label: string; inFile: boolean } }
  | { kind: 'kubeconfig'; host: HostSnapshot; path: string; user: number; keyLabel: string };

/** One re-issue per certificate and scan, shared by the four checks that may each report it. */
interface Plans {
  /** By the old certificate's fingerprint: the new certificate, or why there is none. */
  byFingerprint: Map<string, Reissued | { why: string }>;
  /** Generated key texts (PEM, base64) and what the diff shows instead. */
  shown: Map<string, string>;
}

/** The fix of the certificate checks that a new leaf certificate from the same CA fixes. */
export const REISSUE_CERTIFICATE_FIX: CheckFix = {
  safety: 'safe',
  summary: `re-issues the leaf certificate as kubeadm certs renew does, with its CA's key from the node: the same subject, issuer, SANs and extensions, a new key pair (RSA 2048 or more, or EC on the same curve), a random serial, valid from now for ${REISSUE_DAYS} days (never past its CA), signed with SHA-256; the .crt and .key (or the kubeconfig's client-certificate-data and client-key-data) are rewritten and the new key is never shown. A CA certificate, or a leaf whose CA key is not on the node or whose CA is expired, expiring or weak, is left to a person`,
  followUp: 'restart what reads the re-issued certificates: the control-plane static pods and etcd (move each manifest out of /etc/kubernetes/manifests and back), the kubelet (systemctl restart kubelet), and give users the new admin.conf; the old certificates stay valid until they expire (Kubernetes has no revocation)',
  plan: reissueCertificates,
};

function reissueCertificates(ctx: FixContext, failures: readonly FailResult[]): void {
  const all = certificatesOf(ctx.check);
  const plans = ctx.check.shared<Plans>('fix:reissued-certificates', () => ({ byFingerprint: new Map(), shown: new Map() }));
  for (const failure of failures) {
    const named = all.filter((c) => refKey(c.ref) === refKey(failure.subject.ref) && (c.field ?? '') === (failure.field ?? ''));
    // A kubeconfig field can hold a chain: the finding names the certificate by its subject.
    const matches = named.length > 1 ? named.filter((c) => failure.message.includes(`(${c.facts.subject})`)) : named;
    if (matches.length !== 1) {
      ctx.manual(failure, matches.length === 0 ? 'the certificate was not found again to re-issue it' : 'several certificates of this field match the finding: re-issue the failing one by hand');
      continue;
    }
    const why = reissueOne(ctx, matches[0]!, all, plans);
    if (why) ctx.manual(failure, why);
  }
}

/** Plans the new certificate and key of one failing certificate; the reason when it cannot. */
function reissueOne(ctx: FixContext, cert: CollectedCertificate, all: readonly CollectedCertificate[], plans: Plans): string | undefined {
  const facts = cert.facts;
  if (facts.isCA) return `a CA certificate: replacing it is a CA rotation, which every client and component that trusts it must follow (${CA_ROTATION})`;
  const known = plans.byFingerprint.get(facts.fingerprint256);
  if (known && 'why' in known) return known.why;
  const target = targetOf(ctx, cert);
  if (typeof target === 'string') return remember(plans, facts, target);
  let reissued = known;
  if (!reissued) {
    if (facts.selfSigned) return remember(plans, facts, 'a self-signed certificate: no CA re-issues it; whatever generated it renews it (for a kubelet\'s serving certificate, serverTLSBootstrap: true has the cluster CA sign one)');
    const issuer = issuerOf(facts, all);
    if (!issuer) return remember(plans, facts, `its issuer (${facts.issuer}) is not among the scanned certificates: re-issue it with the CA that signed it`);
    const problem = caProblem(issuer, ctx.check.now);
    if (problem) return remember(plans, facts, problem);
    const caKey = caKeyOf(ctx, issuer, all, target.host);
    if (typeof caKey === 'string') return remember(plans, facts, caKey);
    if (!newKeySpecFor(facts.x509)) return remember(plans, facts, `its ${facts.key.type} key is of a kind this fix does not generate: re-issue it with an RSA or ECDSA key`);
    const now = ctx.check.now.getTime();
    try {
      reissued = reissueCertificate({
        old: facts.x509,
        issuer: issuer.x509,
        issuerKey: caKey,
        notBefore: new Date(now - BACKDATE_MS),
        notAfter: new Date(Math.min(now + REISSUE_DAYS * DAY_MS, issuer.notAfter.getTime())),
      });
    } catch (e) {
      if (!(e instanceof ReissueError)) throw e;
      return remember(plans, facts, `it cannot be re-issued here: ${e.message}`);
    }
    plans.byFingerprint.set(facts.fingerprint256, reissued);
  }
  write(ctx, target, facts, reissued, plans);
  return undefined;
}

function remember(plans: Plans, facts: CertificateFacts, why: string): string {
  plans.byFingerprint.set(facts.fingerprint256, { why });
  return why;
}

/** Why a CA may not sign a re-issued certificate (expired, expiring, weak); undefined when it may. */
function caProblem(ca: CertificateFacts, now: Date): string | undefined {
  const name = `its CA (${ca.subject})`;
  if (now.getTime() < ca.notBefore.getTime()) return `${name} is not valid before ${day(ca.notBefore)}`;
  const left = daysLeft(ca, now);
  if (left < 0) return `${name} expired on ${day(ca.notAfter)}: renew the CA first, a CA rotation (${CA_ROTATION})`;
  if (left <= EXPIRY_WARNING_DAYS) return `${name} expires on ${day(ca.notAfter)}, within ${EXPIRY_WARNING_DAYS} days, and a certificate it signs cannot outlive it: rotate the CA first (${CA_ROTATION})`;
  if (isWeakRsa(ca)) return `${name} has a ${ca.key.bits}-bit RSA key, so what it signs is no stronger: rotate the CA first (${CA_ROTATION})`;
  if (!ca.selfSigned && ca.signature.hash !== undefined && WEAK_SIGNATURE_HASHES.has(ca.signature.hash)) return `${name} is itself signed with ${ca.signature.name}: re-issue the CA first (${CA_ROTATION})`;
  return undefined;
}

/** A node path with its links resolved inside the root (a file is rewritten, never a link replaced). */
function resolved(host: HostSnapshot, path: string): string | undefined {
  const found = realInRoot(host, join(host.root, path));
  if (!found || found.real === found.root) return undefined;
  // With the root `/` (a scan on the node itself) every real path is its own node path.
  return found.root === '/' ? found.real : found.real.slice(found.root.length);
}

/** The sibling key file of a certificate file: apiserver.crt -> apiserver.key. */
function siblingKey(path: string): string {
  return /\.(crt|pem|cer)$/.test(path) ? path.replace(/\.(crt|pem|cer)$/, '.key') : `${path}.key`;
}

/** Where the certificate and its key are written, or why they cannot be. */
function targetOf(ctx: FixContext, cert: CollectedCertificate): Target | string {
  const at = nodeFileOf(ctx, cert.location.file);
  if (!at) return 'not in a node root given with --node-root: re-issue it where its CA key is (kubeadm certs renew)';
  const old = cert.facts.x509;
  if (cert.field !== undefined) {
    const user = /^users\[(\d+)\]\.user\.client-certificate-data$/.exec(cert.field);
    if (!user) return `${cert.field} is not a client certificate of a kubeconfig user`;
    const text = readNodeText(at.host, at.path);
    const data = text === undefined ? undefined : kubeconfigUser(text, Number(user[1]));
    if (!data || typeof data === 'string') return `kubeconfig ${at.path}: ${data ?? 'cannot be read'}`;
    const key = privateKeysIn(Buffer.from(data.key.value, 'base64').toString('utf8')).find((k) => old.checkPrivateKey(k.key));
    if (!key) return `kubeconfig ${at.path}: users[${user[1]}].user.client-key-data is not this certificate's key`;
    return { kind: 'kubeconfig', host: at.host, path: at.path, user: Number(user[1]), keyLabel: key.label };
  }
  const path = resolved(at.host, at.path);
  if (!path) return `${at.path} cannot be resolved inside the node root`;
  const text = readNodeText(at.host, path) ?? '';
  const inFile = privateKeysIn(text).find((k) => old.checkPrivateKey(k.key));
  if (inFile) return { kind: 'file', host: at.host, path, key: { path, label: inFile.label, inFile: true } };
  const keyPath = siblingKey(path);
  const keyText = readNodeText(at.host, keyPath);
  if (keyText === undefined) return `its private key is not beside it (${keyPath} is absent), so what would use a new key is unknown: re-issue it by hand`;
  const key = privateKeysIn(keyText).find((k) => old.checkPrivateKey(k.key));
  if (!key) return `${keyPath} does not hold this certificate's private key (or holds it encrypted): re-issue it by hand`;
  return { kind: 'file', host: at.host, path, key: { path: keyPath, label: key.label, inFile: false } };
}

/**
 * The CA's private key from a node root: in the CA's own PEM file or the .key beside it, the
 * leaf's node first. A string says where it was looked for.
 */
function caKeyOf(ctx: FixContext, ca: CertificateFacts, all: readonly CollectedCertificate[], near: HostSnapshot): KeyObject | string {
  const files = all
    .filter((c) => c.facts.fingerprint256 === ca.fingerprint256 && c.field === undefined)
    .map((c) => nodeFileOf(ctx, c.location.file))
    .filter((f): f is NonNullable<typeof f> => f !== undefined)
    .sort((a, b) => Number(b.host === near) - Number(a.host === near));
  if (files.length === 0) return `its CA (${ca.subject}) is not a file of a node root, so its key is not at hand: re-issue it where the CA key is (kubeadm certs renew)`;
  const looked: string[] = [];
  for (const { host, path } of files) {
    for (const candidate of [path, siblingKey(path)]) {
      looked.push(`${candidate} on ${host.name}`);
      const text = readNodeText(host, candidate);
      const key = text === undefined ? undefined : privateKeysIn(text).find((k) => ca.x509.checkPrivateKey(k.key));
      if (!key) continue;
      if (!signingAlgorithmFor(key.key)) return `its CA's ${key.key.asymmetricKeyType} key cannot sign here: re-issue it with the CA's own tooling`;
      return key.key;
    }
  }
  return `the private key of its CA (${ca.subject}) is not on the node (looked in ${[...new Set(looked)].join(', ')}): re-issue it where the CA key is (kubeadm certs renew on a control-plane node that holds it, or the external CA)`;
}

/** What the diff shows for a generated key. */
function placeholder(reissued: Reissued): string {
  return `<generated ${reissued.keyLabel} private key>`;
}

/** A text with every key this run generated replaced by what output shows. */
function shownAs(plans: Plans, text: string): string {
  let out = text;
  for (const [secret, shown] of plans.shown) out = out.split(secret).join(shown);
  return out;
}

function write(ctx: FixContext, target: Target, old: CertificateFacts, reissued: Reissued, plans: Plans): void {
  const keyPem = privateKeyPem(reissued.privateKey, target.kind === 'file' ? target.key.label : target.keyLabel);
  const keyLabel = /-----BEGIN ([A-Z ]+)-----/.exec(keyPem)![1]!;
  const shownPem = `-----BEGIN ${keyLabel}-----\n${placeholder(reissued)}\n-----END ${keyLabel}-----\n`;
  const keyB64 = Buffer.from(keyPem).toString('base64');
  plans.shown.set(keyPem, shownPem);
  plans.shown.set(keyB64, placeholder(reissued));
  ctx.generated(keyPem);
  ctx.generated(keyB64);

  if (target.kind === 'kubeconfig') {
    ctx.writeNodeFile(target.host, target.path, (current) => {
      if (current === undefined) return undefined;
      // Already re-issued for another check's finding: the same change fixes this one too.
      const now = kubeconfigUser(current, target.user);
      if (typeof now !== 'string' && Buffer.from(now.cert.value, 'base64').toString('utf8').includes(reissued.pem.trimEnd())) return { content: current, display: shownAs(plans, current) };
      const next = replaceKubeconfigUser(current, target.user, old.fingerprint256, reissued.pem, keyB64);
      return next === undefined ? undefined : { content: next, display: shownAs(plans, next) };
    });
    return;
  }
  const { host, path, key } = target;
  ctx.writeNodeFile(host, path, (current) => {
    if (current === undefined) return undefined;
    if (current.includes(reissued.pem.trimEnd())) return { content: current, ...(key.inFile ? { display: shownAs(plans, current) } : {}) };
    let next = replaceCertificate(current, old.fingerprint256, reissued.pem);
    if (next === undefined) return undefined;
    if (key.inFile) {
      const oldKey = privateKeysIn(next).find((k) => old.x509.checkPrivateKey(k.key));
      if (!oldKey) return undefined;
      next = next.slice(0, oldKey.start) + keyPem + next.slice(oldKey.end);
    }
    return { content: next, ...(key.inFile ? { display: shownAs(plans, next) } : {}) };
  });
  if (key.inFile) return;
  ctx.writeNodeFile(host, key.path, (current) => {
    if (current === undefined) return undefined;
    if (current === keyPem) return { content: keyPem, display: shownPem };
    return privateKeysIn(current).some((k) => old.x509.checkPrivateKey(k.key)) ? { content: keyPem, display: shownPem } : undefined;
  });
  // A new private key readable by others is no better than the old one.
  const file = host.files.find((f) => f.path === key.path);
  if (file && (file.mode & 0o177) !== 0) ctx.chmod(host, key.path, file.mode & 0o600);
}

/** The PEM text with the certificate block of this fingerprint replaced; undefined when it is not there (any more). */
function replaceCertificate(text: string, fingerprint256: string, pem: string): string | undefined {
  for (const m of text.matchAll(PEM_BLOCK)) {
    let fingerprint: string;
    try {
      fingerprint = new X509Certificate(m[0]).fingerprint256;
    } catch {
      continue;
    }
    if (fingerprint !== fingerprint256) continue;
    return text.slice(0, m.index) + pem.trimEnd() + text.slice(m.index + m[0].length);
  }
  return undefined;
}

interface ScalarAt {
  value: string;
  start: number;
  end: number;
  quote: string;
}

/** The client certificate and key scalars of a kubeconfig user, located in the text; a string says why not. */
function kubeconfigUser(text: string, user: number): { cert: ScalarAt; key: ScalarAt } | string {
  const { parseAllDocuments, isScalar } = yamlLibrary();
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return 'holds no YAML document';
  const configs = docs.filter((d) => d.errors.length === 0 && d.get('kind') === 'Config');
  if (configs.length !== 1 || docs.some((d) => d.errors.length > 0)) return 'is not one parsed kubeconfig';
  const doc = configs[0]!;
  const at = (field: string): ScalarAt | string => {
    const node = doc.getIn(['users', user, 'user', field], true);
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return `users[${user}].user.${field} is not a value in the file`;
    if (node.type !== 'PLAIN' && node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') return `users[${user}].user.${field} is a block scalar`;
    const source = text.slice(node.range[0], node.range[1]);
    if (source.includes('\n')) return `users[${user}].user.${field} spans lines`;
    return { value: node.value, start: node.range[0], end: node.range[1], quote: node.type === 'PLAIN' ? '' : source[0]! };
  };
  const cert = at('client-certificate-data');
  if (typeof cert === 'string') return cert;
  const key = at('client-key-data');
  if (typeof key === 'string') return `${key} (a key named by file, client-key, is left to a person)`;
  return { cert, key };
}

/**
 * The kubeconfig text with one user's client-certificate-data (the block of this fingerprint in
 * it) and client-key-data replaced, in their quoting; every other byte stays. Undefined when the
 * certificate is not there (any more).
 */
function replaceKubeconfigUser(text: string, user: number, fingerprint256: string, pem: string, keyB64: string): string | undefined {
  const found = kubeconfigUser(text, user);
  if (typeof found === 'string') return undefined;
  const certPem = replaceCertificate(Buffer.from(found.cert.value, 'base64').toString('utf8'), fingerprint256, pem);
  if (certPem === undefined) return undefined;
  const edits = [
    { at: found.cert, value: Buffer.from(certPem.endsWith('\n') ? certPem : `${certPem}\n`).toString('base64') },
    { at: found.key, value: keyB64 },
  ].sort((a, b) => b.at.start - a.at.start);
  let out = text;
  for (const { at, value } of edits) out = out.slice(0, at.start) + at.quote + value + at.quote + out.slice(at.end);
  return out;
}
