// kubeward's JSON report contract (schema/report.schema.json, shipped in the package) as a
// validator, for tests; and the shared original it extends, which it must never break.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './index.js';

export const REPORT_SCHEMA = join(REPO_ROOT, 'schema/report.schema.json');

export function schemaValidator(path: string) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path, 'utf8')));
}

export function reportValidator() {
  return schemaValidator(REPORT_SCHEMA);
}
