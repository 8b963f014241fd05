// Compliance frameworks a scan can be read against (`kubeward scan --framework ID`): today the
// CIS Kubernetes Benchmark 1.12. A check names the controls it evaluates (Check.cis); a result may
// narrow or overrule that per control (CheckResult.cis). framework.ts turns results into verdicts.

import { CIS_1_12_CONTROLS, CIS_1_12_GROUPS, cisGroupOf, type Cis112ControlId } from './cis-1.12.js';

export const FRAMEWORK_IDS = ['cis-1.12'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface FrameworkControl {
  id: Cis112ControlId;
  title: string;
  group: string;
  /** CIS's label: Automated or Manual. */
  assessment: 'Automated' | 'Manual';
  /** Whether kube-bench runs an audit for it (users compare with kube-bench). */
  audited: boolean;
}

export interface FrameworkDefinition {
  id: FrameworkId;
  title: string;
  /** The key of Check.cis and CheckResult.cis. */
  cisVersion: '1.12';
  groups: readonly { id: string; title: string }[];
  controls: readonly FrameworkControl[];
}

const CIS_1_12: FrameworkDefinition = {
  id: 'cis-1.12',
  title: 'CIS Kubernetes Benchmark v1.12.0',
  cisVersion: '1.12',
  groups: CIS_1_12_GROUPS,
  controls: CIS_1_12_CONTROLS.map((c) => ({ ...c, group: cisGroupOf(c.id) })),
};

export function frameworkDefinition(id: FrameworkId): FrameworkDefinition {
  switch (id) {
    case 'cis-1.12':
      return CIS_1_12;
  }
}
