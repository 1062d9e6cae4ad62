import { relative } from 'node:path';
import type { WatchSet } from './watch-set.js';

/** Which way a rebuild goes, and why, in words the loop prints. */
export type LoopPath = { path: 'live' | 'full'; why: string; synth: boolean };

/**
 * The path for a burst of changed files. Live (the new bundle into the running pod, the app restarted in place) when
 * every file is an app source the bundle reads and the pod can take it; full (image, synth when its inputs changed,
 * rollout) when any file is a manifest source, a dependency, the Dockerfile or a build setting, or a file the bundle
 * did not read before (the fix after a failure), or when the pod cannot take a live update (`liveBlocked`).
 */
export function choosePath(files: readonly string[], set: WatchSet, root: string, liveBlocked?: string): LoopPath {
  const shown = (file: string) => relative(root, file);
  const full = files.filter((file) => set.full?.has(file));
  const synth = full.some((file) => set.full?.get(file)?.startsWith('a manifest source'));
  if (full.length > 0) {
    const first = full[0] as string;
    const more = full.length > 1 ? ` (and ${full.length - 1} more)` : '';
    return { path: 'full', why: `${shown(first)} is ${set.full?.get(first)}${more}`, synth };
  }
  // After a failed round any saved file counts: one the loop did not know may be a new manifest source too.
  const unknown = files.find((file) => !set.files.has(file));
  if (unknown) return { path: 'full', why: `${shown(unknown)} was not part of the bundle before`, synth: true };
  if (liveBlocked) return { path: 'full', why: liveBlocked, synth: false };
  return { path: 'live', why: 'only app sources changed', synth: false };
}
