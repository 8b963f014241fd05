// Every certificate the inventory shows: PEM files of node roots (/etc/kubernetes/pki,
// /var/lib/kubelet/pki) and certificates embedded in kubeconfig files (kind Config).

import { fieldLineOf } from '../../inventory/field-lines.js';
import type { Inventory } from '../../inventory/inventory.js';
import type { InputError, Item, Location, ResourceRef } from '../../inventory/types.js';
import { valueAt } from '../config/settings.js';
import { PEM_BLOCK, parsePemBundle, type CertificateFacts } from './certificate.js';

export interface CollectedCertificate {
  /** What findings name: the certificate file, or the kubeconfig holding it. */
  ref: ResourceRef;
  location: Location;
  /** Field path inside a kubeconfig, e.g. users[0].user.client-certificate-data. */
  field?: string;
  /** How a message names it: "/etc/kubernetes/pki/apiserver.crt on node-1". */
  label: string;
  facts: CertificateFacts;
}

/** Input errors for the CERTIFICATE blocks of a PEM text that do not parse, at each block's line. */
export function pemErrors(text: string, source: string): InputError[] {
  const entries = parsePemBundle(text);
  if (entries.every((e) => 'facts' in e)) return [];
  const lines: number[] = [];
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    for (; counted < m.index; counted++) if (text.charCodeAt(counted) === 10) line++;
    lines.push(line);
  }
  return entries.flatMap((e) => ('error' in e ? [{ source, line: lines[e.index]!, message: e.error }] : []));
}

/** The certificates a kubeconfig embeds (users' client certificates, clusters' CAs), by field. */
function embeddedCertificates(config: Record<string, unknown>): { field: string; what: string; data: string }[] {
  const out: { field: string; what: string; data: string }[] = [];
  const from = (listName: 'users' | 'clusters', key: string, dataKey: string, what: string) => {
    const list = config[listName];
    if (!Array.isArray(list)) return;
    list.forEach((entry: unknown, i) => {
      const data = valueAt(entry, `${key}.${dataKey}`);
      const name = valueAt(entry, 'name');
      if (typeof data === 'string' && data.length > 0) out.push({ field: `${listName}[${i}].${key}.${dataKey}`, what: `${what} "${typeof name === 'string' ? name : i}"`, data });
    });
  };
  from('users', 'user', 'client-certificate-data', 'client certificate of user');
  from('clusters', 'cluster', 'certificate-authority-data', 'CA of cluster');
  return out;
}

/**
 * Input errors for the certificates a kubeconfig item embeds that do not parse, at the field's
 * line. The source that read the kubeconfig reports them; collectCertificates leaves them out.
 */
export function kubeconfigCertificateErrors(item: Item): InputError[] {
  const errors: InputError[] = [];
  for (const { field, data } of embeddedCertificates(item.object)) {
    const entries = parsePemBundle(Buffer.from(data, 'base64').toString('utf8'));
    const line = fieldLineOf(item.object, field) ?? item.location.line;
    const at = { source: item.location.file, ...(line !== undefined ? { line } : {}) };
    if (entries.length === 0) errors.push({ ...at, message: `kubeconfig ${field} holds no PEM certificate` });
    for (const entry of entries) if ('error' in entry) errors.push({ ...at, message: `kubeconfig ${field}: ${entry.error}` });
  }
  return errors;
}

/**
 * Every certificate that parses. One that does not is an input error, reported once by the
 * source that read it (pemErrors, kubeconfigCertificateErrors), not a result of every check.
 */
export function collectCertificates(inventory: Inventory): CollectedCertificate[] {
  const out: CollectedCertificate[] = [];
  for (const host of inventory.hosts) {
    const root = host.root.replace(/\/+$/, '');
    for (const file of host.certificates ?? []) {
      const entries = parsePemBundle(file.pem);
      for (const entry of entries) {
        if (!('facts' in entry)) continue;
        const suffix = entries.length > 1 ? ` (certificate ${entry.index + 1} of ${entries.length})` : '';
        const label = `${file.path}${suffix} on ${host.name}`;
        out.push({ location: { file: `${root}${file.path}` }, ref: { kind: 'Certificate', name: label }, label, facts: entry.facts });
      }
    }
  }
  for (const item of inventory.ofKind('Config')) {
    for (const { field, what, data } of embeddedCertificates(item.object)) {
      const entries = parsePemBundle(Buffer.from(data, 'base64').toString('utf8'));
      const label = `${what} in kubeconfig ${item.location.file}`;
      for (const entry of entries) {
        if (!('facts' in entry)) continue;
        const suffix = entries.length > 1 ? ` (certificate ${entry.index + 1} of ${entries.length})` : '';
        out.push({ ref: item.ref, location: item.location, field, label: label + suffix, facts: entry.facts });
      }
    }
  }
  return out;
}

/** The CA among `all` that issued `cert` (its signature verifies with the CA's key). */
export function issuerOf(cert: CertificateFacts, all: readonly CollectedCertificate[]): CertificateFacts | undefined {
  if (cert.selfSigned) return undefined;
  for (const candidate of all) {
    const ca = candidate.facts;
    if (!ca || !ca.isCA || ca.fingerprint256 === cert.fingerprint256) continue;
    if (cert.x509.checkIssued(ca.x509) && cert.x509.verify(ca.x509.publicKey)) return ca;
  }
  return undefined;
}
