// Reads manifest files, folders (recursively) and stdin into inventory items.

import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { kubeconfigCertificateErrors } from '../engines/certs/index.js';
import { readRegularFile } from './confined-fs.js';
import { parseDocuments } from './documents.js';
import { isNodeRoot, readNodeRoot } from './node-root.js';
import { applySnapshot } from './snapshot.js';
import { addSkipped, appendAll, emptyLoadResult, mergeLoadResults, type LoadResult } from './types.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Files larger than this are refused rather than risking the scanner's memory. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Reads each path ("-" is stdin). Unreadable inputs become errors; the rest is still read. */
export async function loadPaths(paths: string[], readStdin: () => Promise<string> = readAllStdin): Promise<LoadResult> {
  const result = emptyLoadResult();
  for (const path of paths) {
    if (path === '-') {
      const before = result.items.length;
      try {
        addText(result, await readStdin(), 'stdin');
      } catch (e) {
        result.errors.push({ source: 'stdin', message: describeFsError(e) });
      }
      result.sources.push({ type: 'stdin', name: 'stdin', objects: result.items.length - before });
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (e) {
      result.errors.push({ source: path, message: describeFsError(e) });
      continue;
    }
    const before = result.items.length;
    if (info.isDirectory()) {
      await walk(path, result, new Set());
      result.sources.push({ type: 'directory', name: path, objects: result.items.length - before });
    } else {
      await readOne(path, result);
      result.sources.push({ type: 'file', name: path, objects: result.items.length - before });
    }
  }
  return result;
}

/**
 * Folders on the way down are known by device and inode (one stat, where a realpath per folder
 * made a 1,500-deep tree take 25 s), so a link back to one of them is a loop.
 */
async function walk(dir: string, result: LoadResult, visited: Set<string>): Promise<void> {
  let id: string;
  try {
    const info = await stat(dir);
    id = `${info.dev}:${info.ino}`;
  } catch (e) {
    result.errors.push({ source: dir, message: describeFsError(e) });
    return;
  }
  if (visited.has(id)) {
    result.errors.push({ source: dir, message: `symlink loop: ${dir} leads back to a folder above it, already being read` });
    return;
  }
  visited.add(id);
  // A copy of a node's filesystem (it has etc/kubernetes) is read as a node root, not as manifests.
  if (await isNodeRoot(dir)) {
    Object.assign(result, mergeLoadResults([result, await readNodeRoot(dir)]));
    visited.delete(id);
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    result.errors.push({ source: dir, message: describeFsError(e) });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.') && entry.isDirectory()) continue; // .git and the like
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = (await stat(path)).isDirectory();
      } catch (e) {
        result.errors.push({ source: path, message: `broken symlink: ${describeFsError(e)}` });
        continue;
      }
    }
    // A manifest's name on a FIFO or a device is refused by readOne, with an error.
    if (isDir) await walk(path, result, visited);
    else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) await readOne(path, result);
  }
  visited.delete(id);
}

async function readOne(path: string, result: LoadResult): Promise<void> {
  try {
    addText(result, (await readRegularFile(path, MAX_FILE_BYTES)).toString('utf8'), path);
  } catch (e) {
    result.errors.push({ source: path, message: describeFsError(e) });
  }
}

function addText(result: LoadResult, text: string, source: string): void {
  const parsed = parseDocuments(text, source);
  for (const item of parsed.items) {
    if (item.ref.kind === 'Config') appendAll(result.errors, kubeconfigCertificateErrors(item));
    result.items.push(item);
  }
  appendAll(result.errors, parsed.errors);
  addSkipped(result.skipped, parsed.skipped);
  if (parsed.snapshot) applySnapshot(result, parsed.snapshot, source);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_FILE_BYTES) throw new Error(`input is over the ${MAX_FILE_BYTES}-byte limit; not read`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A regular file that a flag names, at most `limit` bytes. Whatever stops the read is thrown as
 * `fail(reason)`, the reason in describeFsError's words: every such input is refused alike.
 */
export async function readInputFile(path: string, limit: number, fail: (reason: string) => Error): Promise<Buffer> {
  try {
    return await readRegularFile(path, limit);
  } catch (e) {
    throw fail(describeFsError(e));
  }
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  // kubeward's own errors (confined-fs) say what is wrong; the system's name the call and path.
  if (err instanceof Error && err.syscall === undefined) return err.message;
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'ELOOP': return 'symlink loop';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'not a directory';
    case 'ENAMETOOLONG': return 'path too long';
    default: return err.message ?? String(e);
  }
}
