import { watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import type { WatchSet } from './watch-set.js';

/** Files editors write next to the real one while saving (vim's swap/backup and 4913 probe, emacs locks, `~` backups, atomic-save temps). */
export function isEditorTempFile(path: string): boolean {
  const name = basename(path);
  return (
    name.startsWith('.#') ||
    name.endsWith('~') ||
    /\.(swp|swo|swx|tmp|bak|orig)$/i.test(name) ||
    name === '4913' ||
    /^#.*#$/.test(name) ||
    /\.~\w+$/.test(name) ||
    /\.tmp\.\d+/.test(name)
  );
}

export interface SourceWatcher {
  /**
   * Watch another set (the app's imports changed after a rebuild). `anyFile`: after a failed rebuild, any file saved
   * under the folders counts (the fix may be a file the bundle could not find yet, so not in the set).
   */
  update(set: WatchSet, options?: { anyFile?: boolean }): void;
  close(): void;
}

export interface Burst {
  /** Changed files of the set, absolute, sorted. */
  files: string[];
  /** performance.now() of the burst's first save: where "save → answering" starts. */
  firstAt: number;
}

/**
 * Node's recursive fs.watch on each folder of the set. A save is a change to a file of the set (editor temp files and
 * anything else the bundle does not read are ignored); saves closer together than `debounceMs` are one burst, handed
 * to `onBurst` once the folder has been quiet that long.
 */
export function watchSources(initial: WatchSet, onBurst: (burst: Burst) => void, options: { debounceMs: number; now?: () => number }): SourceWatcher {
  const now = options.now ?? (() => performance.now());
  let set = initial;
  let anyFile = false;
  let watchers: FSWatcher[] = [];
  let pending = new Set<string>();
  let firstAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const files = [...pending].sort();
    pending = new Set();
    if (files.length > 0) onBurst({ files, firstAt });
  };
  const onEvent = (dir: string, filename: string | Buffer | null) => {
    if (!filename) return;
    const path = join(dir, filename.toString());
    if (isEditorTempFile(path) || (!anyFile && !set.files.has(path))) return;
    if (pending.size === 0) firstAt = now();
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs);
  };
  const start = () => {
    watchers = set.dirs.map((dir) => {
      const watcher = watch(dir, { recursive: true }, (_event, filename) => onEvent(dir, filename));
      watcher.on('error', () => undefined);
      return watcher;
    });
  };
  const stop = () => {
    for (const watcher of watchers) watcher.close();
    watchers = [];
  };
  start();
  return {
    update(next, updateOptions) {
      anyFile = updateOptions?.anyFile ?? false;
      const same = next.dirs.length === set.dirs.length && next.dirs.every((d, i) => d === set.dirs[i]);
      set = next;
      if (!same) {
        stop();
        start();
      }
    },
    close() {
      stop();
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = new Set();
    },
  };
}
