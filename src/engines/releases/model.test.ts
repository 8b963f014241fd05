import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubeVersion, type KubeVersion } from '../../inventory/version.js';
import { cveFeed, releaseData } from './data.js';
import { affectingCves, fixFor, judgeKubeletSkew, supportStatus } from './model.js';

const v = (text: string): KubeVersion => parseKubeVersion(text)!;
const at = (date: string): Date => new Date(`${date}T00:00:00Z`);

describe('shipped release data', () => {
  it('is dated, and every minor is consistent', () => {
    const data = releaseData();
    assert.match(data.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
    for (const m of data.minors) {
      assert.ok(v(m.latestPatch).minor === v(m.minor).minor, `${m.minor}: latest patch ${m.latestPatch}`);
      for (const d of [m.releaseDate, m.endOfLifeDate, m.latestPatchDate]) assert.ok(!Number.isNaN(Date.parse(d)), `${m.minor}: ${d}`);
      assert.ok(m.releaseDate < m.endOfLifeDate, `${m.minor} ends before it starts`);
      assert.ok(m.latestPatchDate <= data.snapshotDate);
    }
  });

  it('CVE entries name fixed versions outside their own affected ranges', () => {
    const feed = cveFeed();
    assert.match(feed.snapshotDate, /^\d{4}-\d{2}-\d{2}$/);
    for (const cve of feed.cves) {
      assert.match(cve.id, /^CVE-\d{4}-\d+$/);
      assert.match(cve.url, /^https:\/\/github\.com\/kubernetes\/kubernetes\/issues\/\d+$/);
      for (const fixed of cve.fixed) assert.deepEqual(affectingCves({ snapshotDate: '', cves: [{ ...cve, platform: undefined }] }, cve.component, v(fixed)), [], `${cve.id} still affects its fix ${fixed}`);
    }
  });
});

describe('supportStatus', () => {
  const data = releaseData();
  it('is end of life from the end-of-life date on', () => {
    assert.equal(supportStatus(v('v1.33.11'), data, at('2026-06-27')).state, 'supported');
    const eol = supportStatus(v('v1.33.11'), data, at('2026-06-28'));
    assert.equal(eol.state, 'end-of-life');
    assert.equal(eol.state === 'end-of-life' && eol.endOfLifeDate, '2026-06-28');
    assert.equal(supportStatus(v('v1.12.10'), data, at('2026-01-01')).state, 'end-of-life');
  });
  it('tells a patch behind the latest known one', () => {
    const behind = supportStatus(v('v1.35.8'), data, at('2026-09-20'));
    assert.ok(behind.state === 'supported' && behind.behindPatch && behind.latestPatch.text === 'v1.35.9');
    const current = supportStatus(v('v1.35.9-eks-1'), data, at('2026-09-20'));
    assert.ok(current.state === 'supported' && !current.behindPatch);
  });
  it('does not judge a minor newer than the data', () => {
    const future = supportStatus(v('v1.40.0'), data, at('2026-09-20'));
    assert.equal(future.state, 'unknown');
    assert.match(future.state === 'unknown' ? future.reason : '', /snapshot 2026-09-15.*1\.40/);
  });
});

describe('judgeKubeletSkew', () => {
  it('allows three minors since 1.28 for kubelets from 1.25, two otherwise', () => {
    assert.deepEqual(judgeKubeletSkew(v('1.28.0'), v('1.25.16')), { ok: true });
    assert.deepEqual(judgeKubeletSkew(v('1.28.0'), v('1.24.17')), { ok: false, reason: 'too-old', allowed: 2, behind: 4 });
    assert.deepEqual(judgeKubeletSkew(v('1.27.16'), v('1.24.17')), { ok: false, reason: 'too-old', allowed: 2, behind: 3 });
    assert.deepEqual(judgeKubeletSkew(v('1.35.0'), v('1.31.14')), { ok: false, reason: 'too-old', allowed: 3, behind: 4 });
    assert.deepEqual(judgeKubeletSkew(v('1.35.0'), v('1.35.9')), { ok: true });
    assert.deepEqual(judgeKubeletSkew(v('1.34.9'), v('1.35.0')), { ok: false, reason: 'newer', allowed: 3, behind: -1 });
  });
});

describe('affectingCves', () => {
  const feed = cveFeed();
  const ids = (component: 'kubelet' | 'kube-apiserver' | 'kube-controller-manager', version: string, os?: string) => affectingCves(feed, component, v(version), os).map((c) => c.id).sort();
  it('matches introduced/fixed and introduced/lastAffected bounds exactly', () => {
    assert.deepEqual(ids('kubelet', '1.30.2', 'linux'), ['CVE-2024-10220', 'CVE-2025-0426']);
    assert.deepEqual(ids('kubelet', '1.30.3', 'linux'), ['CVE-2025-0426']);
    assert.deepEqual(ids('kube-apiserver', '1.33.3'), ['CVE-2025-5187']);
    assert.deepEqual(ids('kube-apiserver', '1.33.4'), []);
    assert.deepEqual(ids('kube-apiserver', '1.21.14'), ['CVE-2022-3172', 'CVE-2023-2727', 'CVE-2023-2728']);
  });
  it('applies Windows-only CVEs to Windows nodes only', () => {
    assert.ok(!ids('kubelet', '1.27.4', 'linux').includes('CVE-2023-3676'));
    assert.ok(ids('kubelet', '1.27.4', 'windows').includes('CVE-2023-3676'));
  });
  it('names the fix of the running minor', () => {
    const cve = feed.cves.find((c) => c.id === 'CVE-2025-0426')!;
    assert.equal(fixFor(cve, v('1.31.2')), '1.31.6');
    assert.equal(fixFor(cve, v('1.28.2')), undefined);
  });
});
