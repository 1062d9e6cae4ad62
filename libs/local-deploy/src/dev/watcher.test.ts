import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDevWorkspace } from '../testing/dev-workspace.js';
import { deriveWatchSet } from './watch-set.js';
import { watchSources, type Burst, type SourceWatcher } from './watcher.js';

const ENTRY = { entryPoints: ['apps/api/src/main.ts', 'apps/api/src/app-bundle.ts'], tsConfig: 'tsconfig.json' };
const DEBOUNCE_MS = 100;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function watched(options: { rearmMs?: number } = {}) {
  const root = makeDevWorkspace('1'.repeat(64));
  const set = await deriveWatchSet(root, ENTRY);
  const bursts: Burst[] = [];
  const notices: string[] = [];
  const watcher: SourceWatcher = watchSources(set, (b) => bursts.push(b), {
    debounceMs: DEBOUNCE_MS,
    onNotice: (line) => notices.push(line),
    root,
    ...options,
  });
  cleanups.push(() => {
    watcher.close();
    rmSync(root, { recursive: true, force: true });
  });
  const path = (file: string) => join(root, file);
  /** One save, then the debounce and some: the burst is out (or never will be). */
  const settle = () => sleep(DEBOUNCE_MS * 3);
  return { root, set, bursts, notices, watcher, path, settle };
}

/** The ways editors and tools save a file: each leaves `path` holding `text`. */
const SAVES: Record<string, (path: string, text: string) => void | Promise<void>> = {
  'in place (truncate and write)': (path, text) => writeFileSync(path, text),
  'sed -i (a temp file renamed over it)': (path, text) => {
    const sed = spawnSync('sed', ['-i', `s/.*/${text.trim()}/`, path]);
    if (sed.status !== 0) throw new Error(sed.stderr.toString());
  },
  "vim's backupcopy=no (the old file renamed to a backup, a new one written)": (path, text) => {
    renameSync(path, `${path}~`);
    writeFileSync(path, text);
    rmSync(`${path}~`);
  },
  'safe write (write a temp file, rename it over)': (path, text) => {
    writeFileSync(`${path}.tmp.4242`, text);
    renameSync(`${path}.tmp.4242`, path);
  },
  'delete, then create': async (path, text) => {
    rmSync(path);
    await sleep(20);
    writeFileSync(path, text);
  },
  'a formatter’s burst (rename-over and in-place writes 10 ms apart)': async (path, text) => {
    for (let i = 0; i < 4; i++) {
      writeFileSync(`${path}.tmp.${i}`, `${text}// pass ${i}\n`);
      renameSync(`${path}.tmp.${i}`, path);
      await sleep(10);
      writeFileSync(path, text);
    }
  },
};

describe('the source watcher (real files, real fs.watch)', () => {
  it('sees every save, three in a row each way an editor saves, all in one run of the watcher', async () => {
    const w = await watched();
    const file = w.path('apps/api/src/port.ts');
    let expected = 0;
    for (const [way, save] of Object.entries(SAVES)) {
      for (let i = 0; i < 3; i++) {
        await save(file, `export const port = ${8000 + expected};\n`);
        await w.settle();
        expected += 1;
        expect(w.bursts.map((b) => b.files).length, `${way}, save ${i + 1}`).toBe(expected);
        expect(w.bursts.at(-1)?.files, `${way}, save ${i + 1}`).toEqual([file]);
      }
    }
    expect(w.notices).toEqual([]);
  });

  it('keeps seeing saves after the watch set changes, to other folders and back', async () => {
    const w = await watched();
    const port = w.path('apps/api/src/port.ts');
    const greeting = w.path('libs/greeting/src/index.ts');
    const onlyApp = { files: new Set([port]), dirs: [w.path('apps/api/src')] };
    for (const set of [onlyApp, w.set, onlyApp, w.set]) {
      w.watcher.update(set);
      const before = w.bursts.length;
      SAVES['safe write (write a temp file, rename it over)']?.(port, `export const port = ${before};\n`);
      SAVES['safe write (write a temp file, rename it over)']?.(greeting, `export const greet = () => '${before}';\n`);
      await w.settle();
      expect(w.bursts.slice(before).map((b) => b.files)).toEqual([set === onlyApp ? [port] : [greeting, port].sort()]);
    }
  });

  it('a folder removed and re-created (a branch switch): says so, sees its files as saved when it is back, and every save after', async () => {
    const w = await watched({ rearmMs: 50 });
    const greetingDir = w.path('libs/greeting/src');
    const greeting = join(greetingDir, 'index.ts');
    rmSync(greetingDir, { recursive: true });
    await w.settle();
    expect(w.notices).toEqual(['⚠ watcher: libs/greeting/src is gone (moved or deleted); watching for it to come back']);
    const before = w.bursts.length;
    mkdirSync(greetingDir, { recursive: true });
    writeFileSync(greeting, "export const greet = () => 'back';\n");
    await w.settle();
    expect(w.notices.at(-1)).toBe('👀 watcher: libs/greeting/src is back; watching it again');
    expect(w.bursts.slice(before).flatMap((b) => b.files)).toContain(greeting);
    for (let i = 0; i < 2; i++) {
      const count = w.bursts.length;
      SAVES['sed -i (a temp file renamed over it)']?.(greeting, `export const greet = () => '${i}';`);
      await w.settle();
      expect(w.bursts.slice(count).map((b) => b.files)).toEqual([[greeting]]);
    }
  });

  it('watches a folder made after it started: a file of the set saved there counts', async () => {
    const w = await watched();
    const nested = w.path('apps/api/src/routes/health.ts');
    w.watcher.update({ files: new Set([...w.set.files, nested]), dirs: w.set.dirs });
    mkdirSync(w.path('apps/api/src/routes'));
    writeFileSync(nested, 'export const health = 1;\n');
    await w.settle();
    expect(w.watcher.watching).toContain(w.path('apps/api/src/routes'));
    const count = w.bursts.length;
    SAVES['safe write (write a temp file, rename it over)']?.(nested, 'export const health = 2;\n');
    await w.settle();
    expect(w.bursts.slice(count).map((b) => b.files)).toEqual([[nested]]);
  });
});
