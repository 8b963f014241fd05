// Shared by the checks that judge the provider each resources entry writes with.

import type { Item } from '../../inventory/types.js';
import { fail, pass, subjectAtField } from '../define.js';
import type { CheckContext, CheckResult, FailResult } from '../types.js';
import { coveringEntry, forEachEncryptionConfig, providerType, type EncryptionConfiguration, type ProviderConfig } from './encryption-config.js';

export interface WritingEntry {
  index: number;
  resources: string[];
  provider: ProviderConfig;
  /** Whether Secrets are written through this entry. */
  holdsSecrets: boolean;
}

/** Every resources entry whose first (writing) provider is judged bad, one failure per config. */
export function* judgeWritingProviders(
  ctx: CheckContext,
  isBad: (provider: ProviderConfig) => boolean,
  describe: (entries: WritingEntry[], config: Item<EncryptionConfiguration>) => { message: string } & Pick<FailResult, 'severity' | 'cis' | 'cisNote'>,
): Iterable<CheckResult> {
  yield* forEachEncryptionConfig(ctx, function* ({ config }) {
    const secretsEntry = coveringEntry(config.object, 'secrets')?.index;
    const bad: WritingEntry[] = [];
    (config.object.resources ?? []).forEach((entry, index) => {
      const provider = entry.providers?.[0];
      if (provider && providerType(provider) && isBad(provider)) {
        bad.push({ index, resources: entry.resources ?? [], provider, holdsSecrets: index === secretsEntry });
      }
    });
    if (bad.length === 0) {
      yield pass(subjectAtField(config));
      return;
    }
    const field = `resources[${bad[0]!.index}].providers[0]`;
    const { message, ...extra } = describe(bad, config);
    yield fail(subjectAtField(config, field), message, { field, ...extra });
  });
}

export function listResources(entries: WritingEntry[]): string {
  return entries.map((e) => e.resources.join(', ')).join('; ');
}
