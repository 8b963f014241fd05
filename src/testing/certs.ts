// Real X.509 certificates for tests, made with the openssl CLI: CAs, server and client leaves,
// expired and long-lived ones, weak keys (RSA 1024), SHA-1 signatures, ECDSA. Used by tests only.

import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostSnapshot } from '../inventory/host.js';

const run = promisify(execFile);
const DAY_MS = 86_400_000;

export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' };

export interface CertOptions {
  /** Subject common name. */
  commonName: string;
  /** Subject organization (O), e.g. system:masters or system:nodes. */
  organization?: string;
  /** Default RSA 2048. */
  key?: KeySpec;
  /** Signature digest; default sha256. */
  digest?: 'sha256' | 'sha384' | 'sha1';
  /** Sign with RSASSA-PSS (the issuer's key must be RSA). */
  pss?: boolean;
  /** Validity; default from one hour ago for `days` (default 365) days. */
  notBefore?: Date;
  notAfter?: Date;
  days?: number;
  /** A CA certificate (basicConstraints CA:TRUE, keyCertSign). */
  isCA?: boolean;
  /** Signed by this CA; self-signed when absent. */
  issuer?: GeneratedCert;
  /** subjectAltName entries: "DNS:localhost", "IP:127.0.0.1". */
  altNames?: string[];
  /** extendedKeyUsage of a leaf; default both serverAuth and clientAuth. */
  usage?: ('serverAuth' | 'clientAuth')[];
}

export interface GeneratedCert {
  certPath: string;
  keyPath: string;
  pem: string;
  keyPem: string;
  x509: X509Certificate;
}

/** A folder of generated certificates; remove() deletes it. */
export class CertFactory {
  private counter = 0;
  private constructor(readonly dir: string) {}

  static async create(): Promise<CertFactory> {
    return new CertFactory(await mkdtemp(join(tmpdir(), 'kubeward-certs-')));
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async ca(commonName = 'kubernetes-ca', options: Omit<CertOptions, 'commonName' | 'isCA'> = {}): Promise<GeneratedCert> {
    return this.cert({ days: 3650, ...options, commonName, isCA: true });
  }

  /** A leaf for a loopback server (and client), signed by `issuer`. */
  async leaf(issuer: GeneratedCert, commonName: string, options: Omit<CertOptions, 'commonName' | 'issuer'> = {}): Promise<GeneratedCert> {
    return this.cert({ altNames: ['DNS:localhost', 'IP:127.0.0.1'], ...options, commonName, issuer });
  }

  async cert(options: CertOptions): Promise<GeneratedCert> {
    const id = `${++this.counter}-${options.commonName.replace(/[^a-zA-Z0-9.-]/g, '_')}`;
    const work = join(this.dir, `${id}.work`);
    const keyPath = join(this.dir, `${id}.key`);
    const csrPath = join(work, 'req.csr');
    const certPath = join(this.dir, `${id}.crt`);
    await mkdir(work, { recursive: true });
    await run('openssl', ['genpkey', ...keyArgs(options.key ?? { type: 'rsa', bits: 2048 }), '-out', keyPath]);
    const subject = `/CN=${options.commonName}${options.organization ? `/O=${options.organization}` : ''}`;
    await run('openssl', ['req', '-new', '-key', keyPath, '-subj', subject, '-out', csrPath]);

    const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.days ?? 365) * DAY_MS);
    await writeFile(join(work, 'index.txt'), '');
    await writeFile(join(work, 'serial'), `${(0x1000 + this.counter).toString(16).padStart(4, '0')}\n`);
    await writeFile(join(work, 'ca.cnf'), caConfig(work, options));
    const signer = options.issuer ? ['-cert', options.issuer.certPath, '-keyfile', options.issuer.keyPath] : ['-selfsign', '-keyfile', keyPath];
    await run('openssl', [
      'ca', '-batch', '-notext', '-config', join(work, 'ca.cnf'), '-extensions', 'ext', '-in', csrPath, '-out', certPath,
      '-md', options.digest ?? 'sha256', ...(options.pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : []), '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), ...signer,
    ]);
    await rm(work, { recursive: true, force: true });
    const pem = await readFile(certPath, 'utf8');
    return { certPath, keyPath, pem, keyPem: await readFile(keyPath, 'utf8'), x509: new X509Certificate(pem) };
  }
}

function keyArgs(key: KeySpec): string[] {
  return key.type === 'rsa'
    ? ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${key.bits}`]
    : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${key.curve}`];
}

function caConfig(work: string, options: CertOptions): string {
  const ext = options.isCA
    ? ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign, digitalSignature', 'subjectKeyIdentifier = hash']
    : [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature, keyEncipherment',
        `extendedKeyUsage = ${(options.usage ?? ['serverAuth', 'clientAuth']).join(', ')}`,
        ...(options.altNames?.length ? [`subjectAltName = ${options.altNames.join(', ')}`] : []),
      ];
  return `[ca]
default_ca = local
[local]
database = ${join(work, 'index.txt')}
serial = ${join(work, 'serial')}
new_certs_dir = ${work}
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[ext]
${ext.join('\n')}
`;
}

/** GeneralizedTime as openssl ca -startdate/-enddate take it: YYYYMMDDHHMMSSZ. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/**
 * The private keys beside a test snapshot's certificates (node path -> PEM), for tests that write
 * the snapshot out as a node root (the fix framework). A snapshot never holds keys itself: the
 * node reader keeps certificate blocks only.
 */
const keysBeside = new WeakMap<HostSnapshot, Record<string, string>>();

export function keysOf(host: HostSnapshot): Record<string, string> {
  return keysBeside.get(host) ?? {};
}

/**
 * A node snapshot holding only certificate files (path on the node -> certificate or PEM text).
 * Each generated certificate's key is recorded beside it (apiserver.crt -> apiserver.key, see keysOf).
 */
export function hostWithCertificates(name: string, files: Record<string, GeneratedCert | string>, root = `/nodes/${name}`): HostSnapshot {
  const host = hostOf(name, files, root);
  const keys: Record<string, string> = {};
  for (const [path, cert] of Object.entries(files)) if (typeof cert !== 'string') keys[path.replace(/\.(crt|pem)$/, '') + '.key'] = cert.keyPem;
  keysBeside.set(host, keys);
  return host;
}

function hostOf(name: string, files: Record<string, GeneratedCert | string>, root: string): HostSnapshot {
  return {
    name,
    root,
    files: [],
    certificates: Object.entries(files).map(([path, cert]) => ({ path, pem: typeof cert === 'string' ? cert : cert.pem })),
    modprobeRules: [],
    processes: [],
    configFiles: [],
    users: {},
  };
}
