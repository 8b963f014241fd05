// Every certificate the inventory shows: PEM files of node roots (/etc/kubernetes/pki,
// /var/lib/kubelet/pki) and certificates embedded in kubeconfig files (kind Config).

import type { Inventory } from '../../inventory/inventory.js';
import type { Location, ResourceRef } from '../../inventory/types.js';
import { parsePemBundle, type CertificateFacts } from './certificate.js';

export interface CollectedCertificate {
  /** What findings name: the certificate file, or the kubeconfig holding it. */
  ref: ResourceRef;
  location: Location;
  /** Field path inside a kubeconfig, e.g. users[0].user.client-certificate-data. */
  field?: string;
  /** How a message names it: "/etc/kubernetes/pki/apiserver.crt on node-1". */
  label: string;
  facts?: CertificateFacts;
  /** Why it could not be read (not PEM, bad DER). */
  error?: string;
}

interface Kubeconfig {
  clusters?: { name?: string; cluster?: Record<string, unknown> }[];
  users?: { name?: string; user?: Record<string, unknown> }[];
}

export function collectCertificates(inventory: Inventory): CollectedCertificate[] {
  const out: CollectedCertificate[] = [];
  for (const host of inventory.hosts) {
    const root = host.root.replace(/\/+$/, '');
    for (const file of host.certificates ?? []) {
      const entries = parsePemBundle(file.pem);
      const base = { location: { file: `${root}${file.path}` } };
      if (entries.length === 0) {
        out.push({ ...base, ref: { kind: 'Certificate', name: `${file.path} on ${host.name}` }, label: `${file.path} on ${host.name}`, error: 'no PEM CERTIFICATE block' });
      }
      for (const entry of entries) {
        const suffix = entries.length > 1 ? ` (certificate ${entry.index + 1} of ${entries.length})` : '';
        const label = `${file.path}${suffix} on ${host.name}`;
        out.push({ ...base, ref: { kind: 'Certificate', name: label }, label, ...('facts' in entry ? { facts: entry.facts } : { error: entry.error }) });
      }
    }
  }
  for (const item of inventory.ofKind('Config')) {
    const config = item.object as Kubeconfig;
    const embedded: { field: string; what: string; data: unknown }[] = [
      ...(config.users ?? []).map((u, i) => ({ field: `users[${i}].user.client-certificate-data`, what: `client certificate of user "${u.name ?? i}"`, data: u.user?.['client-certificate-data'] })),
      ...(config.clusters ?? []).map((c, i) => ({ field: `clusters[${i}].cluster.certificate-authority-data`, what: `CA of cluster "${c.name ?? i}"`, data: c.cluster?.['certificate-authority-data'] })),
    ];
    for (const { field, what, data } of embedded) {
      if (typeof data !== 'string' || data.length === 0) continue;
      const entries = parsePemBundle(Buffer.from(data, 'base64').toString('utf8'));
      const label = `${what} in kubeconfig ${item.location.file}`;
      if (entries.length === 0) out.push({ ref: item.ref, location: item.location, field, label, error: `${field} holds no PEM certificate` });
      for (const entry of entries) {
        const suffix = entries.length > 1 ? ` (certificate ${entry.index + 1} of ${entries.length})` : '';
        out.push({ ref: item.ref, location: item.location, field, label: label + suffix, ...('facts' in entry ? { facts: entry.facts } : { error: entry.error }) });
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
