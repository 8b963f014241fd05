// Shared by this section's certificate checks: every certificate of the scan (built once), the
// subject a finding names, and the inventories their examples build from real certificates.

import { collectCertificates, type CollectedCertificate } from '../../engines/certs/index.js';
import { Inventory } from '../../inventory/inventory.js';
import type { CheckContext, Subject } from '../types.js';
import type { CertFactory } from '../../testing/certs.js';

/** Days before notAfter from which a certificate is reported (certificate-expiring-soon), and a CA too close to it signs nothing new. */
export const EXPIRY_WARNING_DAYS = 30;

export function certificatesOf(ctx: CheckContext): CollectedCertificate[] {
  return ctx.shared('certificates', () => collectCertificates(ctx.inventory));
}

export function certificateSubject(cert: CollectedCertificate): Subject {
  return { ref: cert.ref, location: cert.location };
}

export function fieldOf(cert: CollectedCertificate): { field?: string } {
  return cert.field ? { field: cert.field } : {};
}

export const day = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * For examples: a node "cp-1" whose /etc/kubernetes/pki holds the CA and the certificates
 * `make` returns (file name -> certificate), made with openssl and then deleted from disk.
 */
export async function pkiInventory(make: (certs: CertFactory, ca: Awaited<ReturnType<CertFactory['ca']>>) => Promise<Record<string, Awaited<ReturnType<CertFactory['cert']>>>>): Promise<Inventory> {
  // Imported when an example runs, so scans never load the test fixtures.
  const { CertFactory, hostWithCertificates } = await import('../../testing/certs.js');
  const certs = await CertFactory.create();
  try {
    const ca = await certs.ca('kubernetes', { notBefore: new Date('2026-01-01T00:00:00Z'), days: 3650 });
    const files = await make(certs, ca);
    const byPath = Object.fromEntries([['ca.crt', ca], ...Object.entries(files)].map(([name, cert]) => [`/etc/kubernetes/pki/${name}`, cert]));
    return new Inventory([], { hosts: [hostWithCertificates('cp-1', byPath)] });
  } finally {
    await certs.remove();
  }
}
