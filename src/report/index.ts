// Formatter registry: every `--format` of `kubeward scan`.

import { formatJson } from './json.js';
import { formatTable } from './table.js';
import type { Report } from './types.js';

export const FORMATS = ['table', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(report: Report, format: Format, options: { color: boolean; verbose?: boolean }): string {
  switch (format) {
    case 'table':
      return formatTable(report, options);
    case 'json':
      return formatJson(report);
  }
}
