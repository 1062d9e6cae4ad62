import { UsageError } from '@llmops-rag/platform';
import { PreflightError } from '../preflight-error.js';
import type { ReleaseRecord } from './record.js';
import { currentRelease } from './store.js';

/** A release that rolled out: one a rollback can return to by default. */
const rolledOut = (r: ReleaseRecord) => r.status === 'deployed' || r.status === 'superseded';

/**
 * The release a rollback returns to: `--to=N`, or by default the newest release that rolled out
 * (`deployed` or `superseded`) older than the one the cluster holds now (the `deployed` one, or a failed
 * one a --no-atomic deploy left in place). When the newest release was interrupted (pending, its process
 * gone), the cluster may hold part of it: the default is then the `deployed` one, the last known state.
 */
export function rollbackTarget(releases: readonly ReleaseRecord[], namespace: string, to?: number): ReleaseRecord {
  const revisions = releases.map((r) => r.revision).sort((a, b) => a - b);
  if (to !== undefined) {
    const named = releases.find((r) => r.revision === to);
    if (named) return named;
    throw new UsageError(
      `--to=${to}: no revision ${to} in namespace ${namespace}; the revisions there are ${revisions.length ? revisions.join(', ') : 'none'}\n` +
        'fix: pick one of them (`npx nx run k8s-manifests:history` lists them)',
    );
  }
  if (releases.length === 0) {
    throw new PreflightError([
      {
        thing: 'release history',
        problem: `no release is recorded in namespace ${namespace}`,
        fix: 'deploy first: `npx nx run k8s-manifests:deploy-minikube`',
      },
    ]);
  }
  const deployed = currentRelease(releases);
  const newest = releases[0];
  if (deployed && newest && (newest.status === 'pending' || newest.status === 'interrupted')) return deployed;
  const current = deployed ?? newest;
  const earlier = releases.find((r) => r.revision < (current?.revision ?? 0) && rolledOut(r));
  if (earlier) return earlier;
  throw new PreflightError([
    {
      thing: 'release history',
      problem: `revision ${current?.revision} is what the cluster holds and no earlier release rolled out (revisions: ${revisions.join(', ')})`,
      fix: 'name one with --to=<revision> (`npx nx run k8s-manifests:history` lists them)',
    },
  ]);
}
