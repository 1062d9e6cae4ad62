import { systemClock } from '../clock.js';
import { Checklist } from '../checklist.js';
import { seconds } from '../lock/holder.js';
import { isFree, type LeaseState } from '../lock/lease.js';
import { describeLease } from '../lock/namespace-lock.js';
import type { ClusterDeps } from '../types.js';
import { describeInterruption, isInProgress, readLock } from './interrupted.js';
import { localContextStep } from './local-context.js';
import type { ReleaseRecord } from './record.js';
import { listReleases } from './store.js';

export interface HistoryOptions {
  namespace: string;
  allowContext?: string;
}

/**
 * `nx run k8s-manifests:history`: the releases recorded in the app's namespace, newest first, read without the lock.
 * A `pending` release is shown as in progress while its operation holds the lock, as `interrupted` once it does not
 * (its process died), with what that means and how to recover.
 */
export async function runHistory(options: HistoryOptions, deps: ClusterDeps): Promise<{ ok: boolean; releases: ReleaseRecord[] }> {
  const checklist = new Checklist();
  await localContextStep(checklist, deps, options.allowContext, 'read the releases of');
  const api = deps.kubeApi();
  const { releases, unreadable } = await listReleases(api, options.namespace);
  const lease = await readLock(api, options.namespace);
  const now = (deps.lock?.clock ?? systemClock).now();
  if (releases.length === 0 && unreadable.length === 0) {
    deps.out.line(`no release recorded in namespace ${options.namespace} yet: a deploy records one (npx nx run k8s-manifests:deploy-minikube)`);
  } else {
    for (const line of formatHistory(releases, lease, now)) deps.out.line(line);
  }
  if (lease && !isFree(lease, now))
    deps.out.line(`🔒 namespace ${options.namespace} is locked by ${describeLease(lease)} (renewed ${seconds(now - lease.renewedAt)} ago)`);
  const interrupted = releases.filter((r) => r.status === 'pending' && !isInProgress(r, lease, now));
  for (const record of interrupted) deps.out.line(`⚠ ${describeInterruption(record)}`);
  if (interrupted.length) {
    deps.out.line(
      '  fix: a plain deploy (npx nx run k8s-manifests:deploy-minikube) or a rollback brings the namespace to a recorded release; history then shows it as interrupted',
    );
  }
  for (const problem of unreadable) deps.out.line(`⚠ ${problem}`);
  return { ok: unreadable.length === 0, releases };
}

/** The STATUS and DESCRIPTION a pending release is shown with: in progress (its operation holds the lock) or interrupted. */
function shown(r: ReleaseRecord, lease: LeaseState | undefined, now: number): { status: string; description: string } {
  if (r.status !== 'pending') return { status: r.status, description: r.description };
  if (isInProgress(r, lease, now)) return { status: 'pending', description: `${r.description} (in progress: ${r.phase ?? 'applying'}, ${r.by ?? 'unknown'})` };
  return { status: 'interrupted', description: `${r.description} (interrupted while ${r.phase ?? 'applying'}; not yet recovered)` };
}

const COLUMNS = ['REVISION', 'UPDATED', 'STATUS', 'COMMIT', 'IMAGE', 'PROFILE', 'DIGEST', 'DESCRIPTION'] as const;

/** A table like `helm history`: one release a line, newest first, every column padded to its widest cell. */
export function formatHistory(releases: readonly ReleaseRecord[], lease?: LeaseState, now = Date.now()): string[] {
  const rows = [...releases]
    .sort((a, b) => b.revision - a.revision)
    .map((r) => [
      String(r.revision),
      r.time.replace(/\.\d+Z$/, 'Z'),
      shown(r, lease, now).status,
      r.git ? `${r.git.commit.slice(0, 12)}${r.git.dirty ? '+dirty' : ''}` : 'unknown',
      r.imageId ? r.imageId.replace(/^sha256:/, '').slice(0, 12) : 'unknown',
      r.profile,
      r.digest.replace(/^sha256:/, '').slice(0, 12),
      shown(r, lease, now).description,
    ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)];
}
