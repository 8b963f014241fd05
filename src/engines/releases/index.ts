// Release support, version skew and known CVEs of Kubernetes versions.

export { cveFeed, releaseData } from './data.js';
export {
  affectingCves, fixFor, judgeKubeletSkew, maxKubeletMinorSkew, supportStatus,
  type Cve, type CveFeed, type CveRange, type MinorRelease, type ReleaseData, type SkewJudgement, type SupportStatus,
} from './model.js';
