import { describeSecretKeys, secretFromEnv } from '@llmops-rag/k8s-manifests';
import type { KubeObject } from '@llmops-rag/contract';
import type { Output } from '../types.js';
import type { ReleaseRecord } from './record.js';
import { secretChecksum } from './redact.js';

export interface RollbackSecret {
  secret: KubeObject;
  checksum: string;
  /** The checksum equals the one recorded for the revision (same values as when it was deployed). */
  matches: boolean;
  /** The live Secret's values were kept (otherwise: built from the environment/.env). */
  kept: boolean;
}

/**
 * A rolled-back Secret's values: a release records none. The live Secret's values are kept when it has
 * exactly the revision's keys; otherwise the Secret is built from the environment/.env for the revision's
 * keys, exactly as the deploy builds it. Says which, and whether the result's checksum equals the revision's.
 */
export function rollbackSecret(
  recorded: KubeObject,
  release: ReleaseRecord,
  live: KubeObject | undefined,
  sources: { env: Readonly<Record<string, string | undefined>>; dotEnv: Readonly<Record<string, string>>; appEnv: string },
  out: Output,
): RollbackSecret {
  const name = recorded.metadata.name;
  const summary = release.secrets[name] ?? { keys: [], checksum: '' };
  const liveData = (live?.data ?? undefined) as Record<string, string> | undefined;
  const liveKeys = Object.keys(liveData ?? {}).sort();
  let data: Record<string, string>;
  const kept = Boolean(liveData && liveKeys.join('\n') === summary.keys.join('\n'));
  if (liveData && kept) {
    data = { ...liveData };
    out.line(`  Secret ${name}: kept the live values (same keys as revision ${release.revision}: ${summary.keys.join(', ') || 'none'})`);
  } else {
    const why = liveData
      ? `the live Secret has keys ${liveKeys.join(', ') || 'none'}, revision ${release.revision} has ${summary.keys.join(', ')}`
      : 'no live Secret';
    out.line(`  Secret ${name}: built from the environment/.env (${why})`);
    const built = secretFromEnv({ template: recorded, keys: summary.keys, env: sources.env, dotEnv: sources.dotEnv, appEnv: sources.appEnv });
    for (const line of describeSecretKeys(built.keys)) out.line(`    ${line}`);
    data = built.secret.data as Record<string, string>;
  }
  const checksum = secretChecksum(data);
  const matches = checksum === summary.checksum;
  out.line(
    matches
      ? `  Secret ${name}: checksum ${checksum} equals revision ${release.revision}'s`
      : `  Secret ${name}: checksum ${checksum} differs from revision ${release.revision}'s ${summary.checksum}: the values changed since; the pod template's checksum/secret follows the values applied now`,
  );
  return { secret: { ...recorded, data } as KubeObject, checksum, matches, kept };
}
