// Formatter registry: every `--format` of `kubeward scan`.

import { ALL_CHECKS } from '../checks/registry.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';
import type { Report } from './types.js';

export const FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  verbose?: boolean;
  /** SARIF file locations are relative to it (default: the current directory). */
  cwd?: string;
}

export function formatReport(report: Report, format: Format, options: FormatOptions): string {
  switch (format) {
    case 'table':
      return formatTable(report, options);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { catalogue: ALL_CHECKS, cwd: options.cwd ?? process.cwd() });
    case 'junit':
      return formatJunit(report);
  }
}
