import { Checklist } from '../checklist.js';
import type { ClusterDeps } from '../types.js';
import { localContextStep } from './local-context.js';
import type { ReleaseRecord } from './record.js';
import { listReleases } from './store.js';

export interface HistoryOptions {
  namespace: string;
  allowContext?: string;
}

/** `nx run k8s-manifests:history`: the releases recorded in the app's namespace, newest first. */
export async function runHistory(options: HistoryOptions, deps: ClusterDeps): Promise<{ ok: boolean; releases: ReleaseRecord[] }> {
  const checklist = new Checklist();
  await localContextStep(checklist, deps, options.allowContext, 'read the releases of');
  const { releases, unreadable } = await listReleases(deps.kubeApi(), options.namespace);
  if (releases.length === 0 && unreadable.length === 0) {
    deps.out.line(`no release recorded in namespace ${options.namespace} yet: a deploy records one (npx nx run k8s-manifests:deploy-minikube)`);
  } else {
    for (const line of formatHistory(releases)) deps.out.line(line);
  }
  for (const problem of unreadable) deps.out.line(`⚠ ${problem}`);
  return { ok: unreadable.length === 0, releases };
}

const COLUMNS = ['REVISION', 'UPDATED', 'STATUS', 'COMMIT', 'IMAGE', 'PROFILE', 'DIGEST', 'DESCRIPTION'] as const;

/** A table like `helm history`: one release a line, newest first, every column padded to its widest cell. */
export function formatHistory(releases: readonly ReleaseRecord[]): string[] {
  const rows = [...releases]
    .sort((a, b) => b.revision - a.revision)
    .map((r) => [
      String(r.revision),
      r.time.replace(/\.\d+Z$/, 'Z'),
      r.status,
      r.git ? `${r.git.commit.slice(0, 12)}${r.git.dirty ? '+dirty' : ''}` : 'unknown',
      r.imageId ? r.imageId.replace(/^sha256:/, '').slice(0, 12) : 'unknown',
      r.profile,
      r.digest.replace(/^sha256:/, '').slice(0, 12),
      r.description,
    ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), ...rows.map(line)];
}
