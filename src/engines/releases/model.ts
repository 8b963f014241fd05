// Kubernetes release support and known CVEs, judged against a version: pure functions over the
// shipped data (release schedule, end-of-life dates, the official CVE feed) and a date.

import { compareVersions, parseKubeVersion, type KubeVersion } from '../../inventory/version.js';

export interface MinorRelease {
  minor: string;
  releaseDate: string;
  maintenanceModeStartDate?: string;
  endOfLifeDate: string;
  latestPatch: string;
  latestPatchDate: string;
  source: string;
}

export interface ReleaseData {
  snapshotDate: string;
  minors: MinorRelease[];
}

export type CveRange = { introduced: string; fixed: string } | { introduced: string; lastAffected: string };

export interface Cve {
  id: string;
  summary: string;
  component: 'kube-apiserver' | 'kube-controller-manager' | 'kubelet';
  /** Only nodes of this OS are affected. */
  platform?: 'windows';
  severity: 'critical' | 'high' | 'medium' | 'low';
  cvss: string;
  /** What else must hold for a cluster to be exposed, in words. */
  condition?: string;
  /** The condition (or the part of it that decides exposure) as the input can show it: one key. */
  requires?:
    | { storageClassProvisioner: string }
    | { featureGate: string }
    | { admissionPlugin: string }
    | { serviceAccountAnnotation: string };
  affected: CveRange[];
  fixed: string[];
  url: string;
  published: string;
}

export interface CveFeed {
  snapshotDate: string;
  cves: Cve[];
}

export type SupportStatus =
  | { state: 'supported'; release: MinorRelease; latestPatch: KubeVersion; behindPatch: boolean }
  | { state: 'end-of-life'; release?: MinorRelease; endOfLifeDate?: string; latestPatch?: KubeVersion }
  /** A minor newer than the data knows: nothing can be said. */
  | { state: 'unknown'; reason: string };

/** Whether `version` is supported at `now`, and whether it is behind its minor's latest known patch. */
export function supportStatus(version: KubeVersion, data: ReleaseData, now: Date): SupportStatus {
  const minor = `${version.major}.${version.minor}`;
  const release = data.minors.find((m) => m.minor === minor);
  if (!release) {
    const oldest = data.minors.map((m) => parseKubeVersion(m.minor)!).sort(compareVersions)[0]!;
    if (compareVersions(version, oldest) < 0) return { state: 'end-of-life' };
    return { state: 'unknown', reason: `the release data (snapshot ${data.snapshotDate}) does not know Kubernetes ${minor}` };
  }
  const latestPatch = parseKubeVersion(release.latestPatch)!;
  if (now.getTime() >= Date.parse(`${release.endOfLifeDate}T00:00:00Z`)) {
    return { state: 'end-of-life', release, endOfLifeDate: release.endOfLifeDate, latestPatch };
  }
  return { state: 'supported', release, latestPatch, behindPatch: compareVersions(version, latestPatch) < 0 };
}

/**
 * The version skew policy: a kubelet must not be newer than kube-apiserver and may be up to three
 * minor versions older (two before the policy of v1.28, and always two for kubelets older than
 * v1.25). https://kubernetes.io/releases/version-skew-policy/#kubelet
 */
export function maxKubeletMinorSkew(apiServer: KubeVersion, kubelet: KubeVersion): number {
  return apiServer.major === 1 && apiServer.minor >= 28 && kubelet.minor >= 25 ? 3 : 2;
}

export type SkewJudgement = { ok: true } | { ok: false; reason: 'newer' | 'too-old'; allowed: number; behind: number };

export function judgeKubeletSkew(apiServer: KubeVersion, kubelet: KubeVersion): SkewJudgement {
  const behind = (apiServer.major - kubelet.major) * 100 + apiServer.minor - kubelet.minor;
  const allowed = maxKubeletMinorSkew(apiServer, kubelet);
  if (behind < 0) return { ok: false, reason: 'newer', allowed, behind };
  if (behind > allowed) return { ok: false, reason: 'too-old', allowed, behind };
  return { ok: true };
}

function inRange(version: KubeVersion, range: CveRange): boolean {
  const introduced = range.introduced === '0' ? undefined : parseKubeVersion(range.introduced);
  if (introduced && compareVersions(version, introduced) < 0) return false;
  if ('fixed' in range) return compareVersions(version, parseKubeVersion(range.fixed)!) < 0;
  return compareVersions(version, parseKubeVersion(range.lastAffected)!) <= 0;
}

/** The CVEs of the feed that affect `component` at `version` (on `os`, for node components). */
export function affectingCves(feed: CveFeed, component: Cve['component'], version: KubeVersion, os?: string): Cve[] {
  return feed.cves.filter(
    (cve) => cve.component === component && (!cve.platform || cve.platform === os) && cve.affected.some((r) => inRange(version, r)),
  );
}

/** The fixed version in the running minor, if the CVE was fixed there. */
export function fixFor(cve: Cve, version: KubeVersion): string | undefined {
  return cve.fixed.find((f) => {
    const v = parseKubeVersion(f);
    return v !== undefined && v.major === version.major && v.minor === version.minor;
  });
}
