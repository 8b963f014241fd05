// Checks that read what a source could not list report not-evaluated, never a pass.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Inventory } from '../../inventory/inventory.js';
import { inventoryFromYaml, runExample } from '../../testing/index.js';
import { checks as cloudMetadata } from '../cloud-metadata/index.js';
import { checks as resourceQuota } from '../resource-quota/index.js';
import { checks as networkAccess } from './index.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: NodePort, ports: [{port: 80}]}`;

const GAPS = ['networkpolicies', 'pods', 'services', 'resourcequotas', 'limitranges'].map((scope) => ({ scope, reason: 'forbidden (403)' }));

describe('checks on resources the source could not list', () => {
  for (const check of [...networkAccess, ...cloudMetadata, ...resourceQuota]) {
    it(`${check.id} reports not-evaluated, never pass or fail`, async () => {
      const results = await runExample(check, { description: 'gaps', build: () => new Inventory([...inventoryFromYaml(YAML).items], { gaps: GAPS }) });
      assert.equal(results.length, 1, JSON.stringify(results));
      assert.equal(results[0]!.status, 'not-evaluated');
      // Checks of a component's or node's settings (in these sections too) lack the component, not a listing.
      assert.match((results[0] as { reason: string }).reason, /forbidden \(403\)|in the input; scan (a node )?with --node-root/);
    });
  }
});
