import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanNodePath } from '../inventory/host.js';
import { readRegularFile, resolveInRoot } from './confined-fs.js';

describe('resolveInRoot', () => {
  let base: string;
  let root: string;
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'kubeward-confined-')));
    root = join(base, 'root');
    mkdirSync(join(root, 'etc/kubernetes/pki'), { recursive: true });
    mkdirSync(join(root, 'var/lib/kubelet/pki'), { recursive: true });
    writeFileSync(join(root, 'etc/kubernetes/pki/ca.crt'), 'inside');
    writeFileSync(join(root, 'var/lib/kubelet/pki/kubelet-2026.pem'), 'inside');
    writeFileSync(join(base, 'outside.txt'), 'outside');
    symlinkSync('/var/lib/kubelet/pki/kubelet-2026.pem', join(root, 'var/lib/kubelet/pki/current.pem'));
    symlinkSync('../../..', join(root, 'var/lib/kubelet/up'));
    symlinkSync('../../../../outside.txt', join(root, 'etc/kubernetes/escape'));
    symlinkSync(join(base, 'outside.txt'), join(root, 'etc/kubernetes/absolute'));
    symlinkSync('loop', join(root, 'etc/kubernetes/loop'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('applies .. and links inside the root, absolute targets from the root', async () => {
    assert.equal(await resolveInRoot(root, '/../../../etc/kubernetes/pki/ca.crt'), join(root, 'etc/kubernetes/pki/ca.crt'));
    assert.equal(await resolveInRoot(root, '/var/lib/kubelet/pki/current.pem'), join(root, 'var/lib/kubelet/pki/kubelet-2026.pem'));
    assert.equal(await resolveInRoot(root, '/var/lib/kubelet/up/etc/kubernetes/pki/ca.crt'), join(root, 'etc/kubernetes/pki/ca.crt'));
    assert.equal(await resolveInRoot(root, '/var/lib/kubelet/pki/current.pem', { followLast: false }), join(root, 'var/lib/kubelet/pki/current.pem'));
  });

  it('never leaves the root: a link out of it is dangling, named at the link', async () => {
    for (const name of ['escape', 'absolute']) {
      await assert.rejects(resolveInRoot(root, `/etc/kubernetes/${name}`), (e: NodeJS.ErrnoException & { nodePath?: string }) => {
        assert.equal(e.code, 'EDANGLING');
        assert.equal(e.nodePath, `/etc/kubernetes/${name}`);
        return true;
      });
    }
    await assert.rejects(resolveInRoot(root, '/etc/kubernetes/loop'), { code: 'ELOOP' });
    await assert.rejects(resolveInRoot(root, '/etc/kubernetes/pki/ca.crt/x'), { code: 'ENOTDIR' });
    await assert.rejects(resolveInRoot(root, '/etc/missing/x'), { code: 'ENOENT' });
  });

  it('cleans node paths lexically, never above /', () => {
    assert.deepEqual(['/../../tmp/x', 'etc//kubernetes/', '/', '/a/./b/../c'].map(cleanNodePath), ['/tmp/x', '/etc/kubernetes', '/', '/a/c']);
  });
});

describe('readRegularFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeward-read-'));
    writeFileSync(join(dir, 'small'), 'hello');
    writeFileSync(join(dir, 'big'), '');
    truncateSync(join(dir, 'big'), 1024 * 1024);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('small', join(dir, 'link'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads regular files within the limit and refuses the rest without blocking', async () => {
    assert.equal((await readRegularFile(join(dir, 'small'), 5)).toString(), 'hello');
    assert.equal((await readRegularFile(join(dir, 'link'), 5)).toString(), 'hello');
    await assert.rejects(readRegularFile(join(dir, 'small'), 4), { code: 'EFBIG', message: 'file is 5 bytes, over the 4-byte limit; not read' });
    await assert.rejects(readRegularFile(join(dir, 'big'), 1000), { code: 'EFBIG' });
    await assert.rejects(readRegularFile(join(dir, 'fifo'), 1000), { code: 'ENOTREGULAR', message: 'a FIFO, not a regular file; not read' });
    await assert.rejects(readRegularFile(dir, 1000), { code: 'ENOTREGULAR', message: 'a directory, not a regular file; not read' });
    await assert.rejects(readRegularFile(join(dir, 'link'), 1000, { noFollow: true }), { code: 'ENOTREGULAR', message: 'a symlink, not a regular file; not read' });
  });

  it('stops at the limit when the size lies (/proc files report 0)', async () => {
    assert.ok((await readRegularFile('/proc/self/status', 1024 * 1024)).toString().includes('VmHWM'));
    await assert.rejects(readRegularFile('/proc/self/status', 16), { code: 'EFBIG', message: 'file is over the 16-byte limit; not read' });
  });
});
