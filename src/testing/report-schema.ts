// The JSON report contract (../shared/spec/report.schema.json) as a validator, for tests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SHARED } from './index.js';

export function reportValidator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(SHARED, 'spec/report.schema.json'), 'utf8')));
}
