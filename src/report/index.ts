// Formatter registry: every `--format` of `kubeward scan`.

import { ALL_CHECKS } from '../checks/registry.js';
import { formatJson, jsonChunks } from './json.js';
import { formatJunit } from './junit.js';
import { formatPolicyReports, type ReportApi } from './policyreport.js';
import { formatSarif } from './sarif.js';
import { formatFrameworkTable } from './framework-table.js';
import { formatTable } from './table.js';
import type { ReportViews } from './html/views.js';
import type { Report } from './types.js';

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'html', 'policyreport'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  verbose?: boolean;
  /** The command's flags, named without dashes: the table names those a not-evaluated result needs. */
  flags?: readonly string[];
  /** SARIF file locations are relative to it (default: the current directory). */
  cwd?: string;
  /** policyreport: which API's kinds (default wgpolicy); a node agent's Node name. */
  reportApi?: ReportApi;
  node?: string;
}

/**
 * Every format; HTML's renderer and its layout libraries load only when it is asked for. JSON
 * comes in pieces, since a large scan's report outgrows one string.
 */
export async function renderReport(report: Report, format: Format, options: FormatOptions & { views?: ReportViews }): Promise<string | Iterable<string>> {
  if (format === 'json') return jsonChunks(report);
  if (format !== 'html') return formatReport(report, format, options);
  const { formatHtml } = await import('./html/index.js');
  return formatHtml(report, options.views);
}

export function formatReport(report: Report, format: Exclude<Format, 'html'>, options: FormatOptions): string {
  switch (format) {
    case 'table':
      return report.framework ? formatFrameworkTable(report, options) : formatTable(report, options);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { catalogue: ALL_CHECKS, cwd: options.cwd ?? process.cwd() });
    case 'junit':
      return formatJunit(report);
    case 'policyreport':
      return formatPolicyReports(report, { api: options.reportApi ?? 'wgpolicy', ...(options.node ? { node: options.node } : {}) });
  }
}
