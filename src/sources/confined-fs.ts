// File access for untrusted inputs. A node root (a copy of a possibly compromised node) is read
// the way a container runtime resolves paths in a rootfs (openat2 RESOLVE_IN_ROOT, securejoin):
// `..` and symlinks are resolved one component at a time inside the root, and absolute link
// targets start again at the root, so no path from a file, a flag or a link reaches the scanning
// machine. Every read opens regular files only (a FIFO would block forever, a device never end)
// and stops at a byte limit (a file's size can lie: /proc files report 0).

import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanNodePath } from '../inventory/host.js';

/** The kernel's limit of symlinks followed in one lookup. */
const MAX_LINKS = 40;
const CHUNK_BYTES = 1024 * 1024;

/** An error of kubeward's own; `nodePath`: the link or folder of a node root at fault. */
export type ConfinedFsError = NodeJS.ErrnoException & { nodePath?: string };

function fsError(code: string, message: string, nodePath?: string): ConfinedFsError {
  return Object.assign(new Error(message), { code }, nodePath ? { nodePath } : {});
}

function componentsOf(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Where node path `path` is on this machine, inside `root` (a real directory). Each component
 * is lstat'ed under what is already resolved; a symlink's target is resolved in its place (an
 * absolute target from the root). With `followLast` false a final symlink is kept, for lstat.
 * Throws ENOENT, ENOTDIR or ELOOP as the kernel would, and EDANGLING when a link's own target
 * is not in the root (a copy whose /etc links to the machine it was taken from).
 */
export async function resolveInRoot(root: string, path: string, options: { followLast?: boolean } = {}): Promise<string> {
  const followLast = options.followLast ?? true;
  // Components still to resolve, last first; those of a link's target remember the link.
  const pending: { name: string; link?: { at: string; target: string } }[] = componentsOf(path).reverse().map((name) => ({ name }));
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const { name, link } = pending.pop()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const last = pending.length === 0;
    const host = join(root, ...done, name);
    if (last && !followLast) return host;
    let info;
    try {
      info = await lstat(host);
    } catch (e) {
      if (link && (e as NodeJS.ErrnoException).code === 'ENOENT') throw fsError('EDANGLING', `symlink to ${link.target}, which is not in the node root (links resolve inside it); not followed`, link.at);
      throw e;
    }
    const at = cleanNodePath([...done, name].join('/'));
    if (info.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw fsError('ELOOP', `symlink loop (more than ${MAX_LINKS} links); not followed`, at);
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0;
      for (const c of componentsOf(target).reverse()) pending.push({ name: c, link: { at, target } });
      continue;
    }
    if (!last && !info.isDirectory()) throw fsError('ENOTDIR', 'not a directory', at);
    done.push(name);
  }
  return join(root, ...done);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function refuseUnlessRegular(info: Stats): void {
  if (!info.isFile()) throw fsError('ENOTREGULAR', `${kindOf(info)}, not a regular file; not read`);
}

/**
 * The bytes of a regular file, at most `limit` of them. Anything else is refused before it is
 * opened, and again after (it may have been swapped): it is opened non-blocking, so a FIFO
 * cannot hang the scan. `noFollow` refuses a final symlink (paths already resolved in a root).
 */
export async function readRegularFile(path: string, limit: number, options: { noFollow?: boolean } = {}): Promise<Buffer> {
  refuseUnlessRegular(await (options.noFollow ? lstat(path) : stat(path)));
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  try {
    const info = await handle.stat();
    refuseUnlessRegular(info);
    if (info.size > limit) throw fsError('EFBIG', `file is ${info.size} bytes, over the ${limit}-byte limit; not read`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The whole file in one read when its size is right; one byte more tells a file that grew.
      const chunk = Buffer.allocUnsafe(Math.min(limit + 1 - total, Math.max(info.size + 1 - total, CHUNK_BYTES)));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw fsError('EFBIG', `file is over the ${limit}-byte limit; not read`);
    }
    // One chunk is the usual case (the size was right): no copy of a file of hundreds of megabytes.
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
