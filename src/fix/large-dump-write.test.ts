// Writing a cluster dump too large to re-read (JSON over 4 MB, whose edits are applied to its text
// only when it is written): a dump changed after fix read it is refused even when the edited items
// are still where they were, and a text longer than one write chunk is written byte for byte.

import assert from 'node:assert/strict';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withTempTree } from '../testing/cli.js';
import { planFixes, writeFixes } from './run.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const LEGACY = 'legacy-service-account-token-secret';

const configMap = (n: number) => ({ apiVersion: 'v1', data: { settings: 'x'.repeat(900) }, kind: 'ConfigMap', metadata: { name: `settings-${n}`, namespace: 'ci' } });
const token = { apiVersion: 'v1', data: { token: 'c2VjcmV0' }, kind: 'Secret', metadata: { name: 'a-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'deployer' } }, type: 'kubernetes.io/service-account-token' };
const items = Array.from({ length: 5000 }, (_, n) => configMap(n));
const list = (of: object[]) => `${JSON.stringify({ apiVersion: 'v1', items: of, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;
const dump = list([...items.slice(0, 2500), token, ...items.slice(2500)]);

describe('writing a large cluster dump', () => {
  it('is refused when the dump changed after fix read it, though the removed item is still on its line', async () => {
    assert.ok(dump.length > 4 * 1024 * 1024);
    await withTempTree({ 'dump.json': dump }, async (dir) => {
      const file = join(dir, 'dump.json');
      const outcome = await planFixes({ paths: [dir], unsafe: true, only: [LEGACY], now: NOW });
      assert.deepEqual(outcome.changes.map((c) => `${c.action} ${c.file}`), [`edit ${file}`]);
      // Someone else's edit after the last item: every line fix would cut is where it was.
      const theirs = dump.replace(/\n$/, ' \n');
      await writeFile(file, theirs);
      const refused = await writeFixes(outcome.changes);
      assert.deepEqual(refused.map((r) => r.source), [file]);
      assert.match(refused[0]!.message, /changed since it was read/);
      assert.equal(await readFile(file, 'utf8'), theirs);
    });
  });

  it('is refused when the dump was rewritten with the same bytes after fix read it, and written by a fresh fix', async () => {
    await withTempTree({ 'dump.json': dump }, async (dir) => {
      const file = join(dir, 'dump.json');
      const outcome = await planFixes({ paths: [dir], unsafe: true, only: [LEGACY], now: NOW });
      await writeFile(file, dump);
      await utimes(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
      assert.match((await writeFixes(outcome.changes))[0]?.message ?? '', /changed since it was read/);
      assert.equal(await readFile(file, 'utf8'), dump);
      const fresh = await planFixes({ paths: [dir], unsafe: true, only: [LEGACY], now: NOW });
      assert.deepEqual(await writeFixes(fresh.changes), []);
      assert.equal(await readFile(file, 'utf8'), list(items));
    });
  });

  it('a text longer than a write chunk keeps a character whose UTF-16 pair straddles the chunk end', async () => {
    // 8 MiB of characters, then a pair whose first half is the chunk's last character.
    const text = `# ${'a'.repeat(8 * 1024 * 1024 - 3)}\u{1F510} fixed\n`;
    await withTempTree({}, async (dir) => {
      const file = join(dir, 'big.yaml');
      assert.deepEqual(await writeFixes([{ file, action: 'add', checks: [], safety: 'safe', after: text }]), []);
      assert.ok((await readFile(file)).equals(Buffer.from(text, 'utf8')));
    });
  });
});
