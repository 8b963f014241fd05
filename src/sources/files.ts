// Reads manifest files, folders (recursively) and stdin into inventory items.

import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseDocuments } from './documents.js';
import { isNodeRoot, readNodeRoot } from './node-root.js';
import { applySnapshot } from './snapshot.js';
import { emptyLoadResult, mergeLoadResults, type LoadResult } from './types.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Files larger than this are refused rather than risking the scanner's memory. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Reads each path ("-" is stdin). Unreadable inputs become errors; the rest is still read. */
export async function loadPaths(paths: string[], readStdin: () => Promise<string> = readAllStdin): Promise<LoadResult> {
  const result = emptyLoadResult();
  for (const path of paths) {
    if (path === '-') {
      const before = result.items.length;
      addText(result, await readStdin(), 'stdin');
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

async function walk(dir: string, result: LoadResult, visited: Set<string>): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    result.errors.push({ source: dir, message: describeFsError(e) });
    return;
  }
  if (visited.has(real)) {
    result.errors.push({ source: dir, message: `symlink loop: ${dir} leads back to ${real}, already read` });
    return;
  }
  visited.add(real);
  // A copy of a node's filesystem (it has etc/kubernetes) is read as a node root, not as manifests.
  if (await isNodeRoot(dir)) {
    Object.assign(result, mergeLoadResults([result, await readNodeRoot(dir)]));
    visited.delete(real);
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
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (e) {
        result.errors.push({ source: path, message: `broken symlink: ${describeFsError(e)}` });
        continue;
      }
    }
    if (isDir) await walk(path, result, visited);
    else if (isFile && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) await readOne(path, result);
  }
  visited.delete(real);
}

async function readOne(path: string, result: LoadResult): Promise<void> {
  try {
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) {
      result.errors.push({ source: path, message: `file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit; not read` });
      return;
    }
    addText(result, await readFile(path, 'utf8'), path);
  } catch (e) {
    result.errors.push({ source: path, message: describeFsError(e) });
  }
}

function addText(result: LoadResult, text: string, source: string): void {
  const parsed = parseDocuments(text, source);
  for (const item of parsed.items) result.items.push(item);
  result.errors.push(...parsed.errors);
  result.skipped.notKubernetes += parsed.skipped.notKubernetes;
  for (const [kind, n] of Object.entries(parsed.skipped.byKind)) {
    result.skipped.byKind[kind] = (result.skipped.byKind[kind] ?? 0) + n;
  }
  if (parsed.snapshot) applySnapshot(result, parsed.snapshot, source);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'ELOOP': return 'symlink loop';
    case 'EISDIR': return 'is a directory';
    default: return err.message ?? String(e);
  }
}
