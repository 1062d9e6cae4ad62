import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
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
  /** The folders watched right now (each one non-recursively). */
  readonly watching: readonly string[];
  close(): void;
}

export interface Burst {
  /** Changed files of the set, absolute, sorted. */
  files: string[];
  /** performance.now() of the burst's first save: where "save → answering" starts. */
  firstAt: number;
}

export interface WatchOptions {
  debounceMs: number;
  now?: () => number;
  /** What the watcher has to say while it runs: a folder gone or back, a watch that failed and was re-armed. */
  onNotice?: (line: string) => void;
  /** The watcher cannot watch any more (re-arming failed `maxRearms` times in a row): the loop must not go on deaf. */
  onFatal?: (message: string) => void;
  /** How often a folder that is gone, or a watch that failed, is tried again (default 500 ms). */
  rearmMs?: number;
  /** Failed re-arms in a row before `onFatal` (default 10). */
  maxRearms?: number;
  /** Folders are named relative to this in notices (the workspace root). */
  root?: string;
}

/** Every folder under `root` (itself first), leaving out node_modules and dot-folders. */
function foldersUnder(root: string): string[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    let entries;
    try {
      entries = readdirSync(found[i] as string, { withFileTypes: true });
    } catch {
      continue; // removed while we looked: the next sync sees it gone
    }
    for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) found.push(join(found[i] as string, e.name));
  }
  return found;
}

/**
 * Watches every folder under the set's folders, each with its own non-recursive fs.watch, and filters the events by
 * file name. A folder's watch sees a name change whatever the editor does to the file (writes it in place, writes a
 * temp file and renames it over, deletes and re-creates it), because it watches the folder, never the file's inode:
 * Node's recursive fs.watch on Linux watches the files themselves and goes deaf after the first rename-over save.
 *
 * A save is a change to a file of the set (editor temp files and anything the bundle does not read are ignored);
 * saves closer together than `debounceMs` are one burst, handed to `onBurst` once the folders have been quiet that
 * long. A folder created later is watched from then on (its files of the set count as saved); a watched root that is
 * removed is announced and looked for every `rearmMs` until it is back (its files then count as saved); a watch that
 * fails is announced and re-armed, and `onFatal` is called when re-arming keeps failing. It never goes quiet.
 */
export function watchSources(initial: WatchSet, onBurst: (burst: Burst) => void, options: WatchOptions): SourceWatcher {
  const now = options.now ?? (() => performance.now());
  const notice = options.onNotice ?? (() => undefined);
  const rearmMs = options.rearmMs ?? 500;
  const maxRearms = options.maxRearms ?? 10;
  let set = initial;
  let anyFile = false;
  let closed = false;
  const watchers = new Map<string, FSWatcher>();
  const missing = new Set<string>();
  let failures = 0;
  let pending = new Set<string>();
  let firstAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  let rearmTimer: NodeJS.Timeout | undefined;
  const shown = (dir: string) => relative(options.root ?? process.cwd(), dir) || dir;

  const counts = (path: string) => !isEditorTempFile(path) && (set.files.has(path) || (anyFile && set.dirs.some((dir) => path.startsWith(dir + sep))));
  const flush = () => {
    timer = undefined;
    const files = [...pending].sort();
    pending = new Set();
    if (files.length > 0) onBurst({ files, firstAt });
  };
  const saved = (path: string) => {
    if (closed || !counts(path)) return;
    if (pending.size === 0) firstAt = now();
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs);
  };
  /** The files of the set in a folder that appeared (or came back): they may have changed while nobody watched. */
  const savedIn = (dir: string) => {
    for (const file of set.files) if (file.startsWith(dir + '/') && existsSync(file)) saved(file);
    if (anyFile) for (const e of safeList(dir)) if (e.isFile()) saved(join(dir, e.name));
  };
  const scheduleSync = (ms: number) => {
    if (closed || syncTimer) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      sync(true);
    }, ms);
  };
  const unwatch = (dir: string) => {
    watchers.get(dir)?.close();
    watchers.delete(dir);
  };
  const arm = (dir: string): boolean => {
    try {
      const watcher = watch(dir, { persistent: true }, (event, filename) => {
        if (filename) saved(join(dir, filename.toString()));
        // A name came or went: a folder may have been created or removed under this one (or this one removed).
        if (event === 'rename') scheduleSync(20);
      });
      watcher.on('error', (error: NodeJS.ErrnoException) => {
        if (watchers.get(dir) !== watcher) return;
        unwatch(dir);
        if (existsSync(dir)) notice(`⚠ watcher: watching ${shown(dir)} failed (${error.code ?? error.message}); re-arming`);
        scheduleSync(rearmMs);
      });
      watchers.set(dir, watcher);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return true; // gone between the walk and the watch: the next sync says so
      notice(`⚠ watcher: cannot watch ${shown(dir)} (${code ?? String(error)}); trying again in ${rearmMs} ms`);
      return false;
    }
  };
  /**
   * Watches exactly the folders that exist under the set's roots now; announces roots that are gone or back.
   * `appeared`: called on a file-system event or a re-arm, so a folder watched only now was created (or came back)
   * and its files count as saved; not on `update()`, whose new folders were just built from.
   */
  const sync = (appeared = true) => {
    if (closed) return;
    const wanted = new Set<string>();
    for (const root of set.dirs) {
      if (!existsSync(root)) {
        if (!missing.has(root)) notice(`⚠ watcher: ${shown(root)} is gone (moved or deleted); watching for it to come back`);
        missing.add(root);
        continue;
      }
      if (missing.delete(root)) notice(`👀 watcher: ${shown(root)} is back; watching it again`);
      for (const dir of foldersUnder(root)) wanted.add(dir);
    }
    for (const dir of set.flatDirs ?? []) if (existsSync(dir)) wanted.add(dir);
    for (const dir of [...watchers.keys()]) if (!wanted.has(dir)) unwatch(dir);
    let ok = true;
    const fresh: string[] = [];
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      if (arm(dir)) fresh.push(dir);
      else ok = false;
    }
    if (appeared) for (const dir of fresh) savedIn(dir);
    failures = ok ? 0 : failures + 1;
    if (failures >= maxRearms) {
      options.onFatal?.(`the file watcher could not watch ${set.dirs.map(shown).join(', ')} after ${failures} tries: saves would go unseen`);
      return;
    }
    if (rearmTimer) clearTimeout(rearmTimer);
    rearmTimer = !ok || missing.size > 0 ? setTimeout(() => sync(), rearmMs) : undefined;
  };
  sync(false);

  return {
    update(next, updateOptions) {
      anyFile = updateOptions?.anyFile ?? false;
      set = next;
      sync(false);
    },
    get watching() {
      return [...watchers.keys()].sort();
    },
    close() {
      closed = true;
      for (const dir of [...watchers.keys()]) unwatch(dir);
      for (const t of [timer, syncTimer, rearmTimer]) if (t) clearTimeout(t);
      timer = syncTimer = rearmTimer = undefined;
      pending = new Set();
    },
  };
}

function safeList(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
