// The AdmissionConfiguration: defaults, validation with file and line, the exceptions file.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.js';
import { tempTree } from '../testing/cli.js';
import { actionFor, defaultConfig, loadConfig, parseConfig } from './config.js';

const HEAD = 'apiVersion: kubeward.io/v1alpha1\nkind: AdmissionConfiguration\n';

describe('AdmissionConfiguration', () => {
  it('defaults: enforce at high and critical, warn below; restricted at latest; allow when the state is unknown', () => {
    const config = defaultConfig();
    assert.equal(actionFor(config, { id: 'a', section: 'api-authz', severity: 'critical' }), 'enforce');
    assert.equal(actionFor(config, { id: 'a', section: 'api-authz', severity: 'high' }), 'enforce');
    assert.equal(actionFor(config, { id: 'a', section: 'api-authz', severity: 'medium' }), 'warn');
    assert.deepEqual(config.podSecurity, { level: 'restricted', version: 'latest' });
    assert.equal(config.state.whenUnavailable, 'allow');
  });

  it('a check\'s own action wins over its section\'s', () => {
    const config = parseConfig(`${HEAD}actions:\n  pod-privileges: audit\n  pod-violates-baseline-pod-security: warn\n`, 'c.yaml');
    assert.equal(actionFor(config, { id: 'pod-violates-baseline-pod-security', section: 'pod-privileges', severity: 'high' }), 'warn');
    assert.equal(actionFor(config, { id: 'writable-sensitive-host-path', section: 'pod-privileges', severity: 'high' }), 'audit');
  });

  it('names the file, the line and the field of every mistake', () => {
    const cases: [string, RegExp][] = [
      ['apiVersion: v1\nkind: AdmissionConfiguration\n', /^c\.yaml:1: apiVersion: must be kubeward\.io\/v1alpha1/],
      [`${HEAD}actions:\n  no-such-check: enforce\n`, /^c\.yaml:4: actions\.no-such-check: no check/],
      [`${HEAD}actions:\n  pod-privileges: block\n`, /^c\.yaml:4: actions\.pod-privileges: must be one of enforce, warn, audit, off/],
      [`${HEAD}podSecurity:\n  level: strict\n`, /^c\.yaml:4: podSecurity\.level: must be one of privileged, baseline, restricted/],
      [`${HEAD}podSecurity: {version: "1.30"}\n`, /^c\.yaml:3: podSecurity\.version: must be "latest" or v1\.MINOR/],
      [`${HEAD}exemptions:\n  namespace: [a]\n`, /^c\.yaml:4: exemptions\.namespace: unknown field/],
      [`${HEAD}timeoutSeconds: 31\n`, /^c\.yaml:3: timeoutSeconds: must be an integer from 1 to 30/],
      [`${HEAD}colour: blue\n`, /^c\.yaml:3: colour: unknown field/],
      [`${HEAD}actions: [a\n`, /^c\.yaml:[34]: Flow sequence/],
    ];
    for (const [text, expected] of cases) {
      assert.throws(() => parseConfig(text, 'c.yaml'), (e: Error) => e instanceof UsageError && expected.test(e.message), text);
    }
  });

  it('reads the exceptions file scan takes, relative to where it runs', async () => {
    const tree = tempTree({ 'exceptions.yaml': 'exceptions:\n- {check: container-can-load-kernel-modules, namespace: drivers, reason: loads the GPU driver}\n' });
    try {
      const file = join(tree.dir, 'config.yaml');
      writeFileSync(file, `${HEAD}exceptions: ${join(tree.dir, 'exceptions.yaml')}\n`);
      const config = await loadConfig(file, new Date());
      assert.deepEqual(config.exceptions.active, [{ check: 'container-can-load-kernel-modules', namespace: 'drivers', reason: 'loads the GPU driver' }]);
      await assert.rejects(loadConfig(join(tree.dir, 'missing.yaml'), new Date()), /--config .*missing\.yaml: /);
    } finally {
      tree.cleanup();
    }
  });
});
