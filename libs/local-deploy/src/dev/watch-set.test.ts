import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDevWorkspace } from '../testing/dev-workspace.js';
import { coveringDirs, deriveWatchSet } from './watch-set.js';
import { isEditorTempFile, watchSources, type Burst } from './watcher.js';

const roots: string[] = [];
/** As `nx show project` gives it for the dev workspace: rag-api's main.ts does not import app-bundle.ts, the build bundles both. */
const ENTRY = { entryPoints: ['apps/api/src/main.ts', 'apps/api/src/app-bundle.ts'], tsConfig: 'tsconfig.json' };
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('the watch set', () => {
  it('is what the bundle reads: the entries, their own imports and the workspace library behind a tsconfig path, not node_modules or unimported files', async () => {
    const root = makeDevWorkspace('1'.repeat(64));
    roots.push(root);
    const set = await deriveWatchSet(root, ENTRY);
    expect([...set.files].filter((f) => !set.full?.has(f)).sort()).toEqual(
      ['apps/api/src/app-bundle.ts', 'apps/api/src/main.ts', 'apps/api/src/port.ts', 'apps/api/src/routes.ts', 'libs/greeting/src/index.ts'].map((f) =>
        join(root, f),
      ),
    );
    expect(set.dirs).toEqual(['apps/api/src', 'libs/greeting/src', 'libs/k8s-manifests/src/charts', 'libs/k8s-manifests/src/cmd'].map((d) => join(root, d)));

    writeFileSync(join(root, 'apps/api/src/port.ts'), "export { unused as port } from './unused.ts';\n");
    const grown = await deriveWatchSet(root, ENTRY);
    expect(grown.files.has(join(root, 'apps/api/src/unused.ts'))).toBe(true);
  });

  it('names what needs the full loop: what synth reads (from its entry), the dependencies, the Dockerfile and the build settings', async () => {
    const root = makeDevWorkspace('1'.repeat(64));
    roots.push(root);
    const set = await deriveWatchSet(root, { ...ENTRY, options: { esbuildConfig: 'apps/api/esbuild.config.ts' } });
    expect(Object.fromEntries([...(set.full ?? [])].map(([f, what]) => [f.slice(root.length + 1), what]))).toEqual({
      'libs/k8s-manifests/src/cmd/synth.ts': 'a manifest source (synth reads it)',
      'libs/k8s-manifests/src/charts/deployment.ts': 'a manifest source (synth reads it)',
      'package.json': 'a dependency change',
      'package-lock.json': 'a dependency change',
      '.dockerignore': 'the image build',
      'apps/api/Dockerfile': 'the image build',
      'apps/api/project.json': "the bundle's build settings",
      'tsconfig.json': "the bundle's build settings",
      'apps/api/esbuild.config.ts': "the bundle's build settings",
    });
    // The root is watched for package.json, but not with every folder under it.
    expect(set.flatDirs).toEqual([root, join(root, 'apps/api')]);
  });

  it('folds nested folders into their ancestor', () => {
    expect(coveringDirs(['/w/apps/a/src/routes', '/w/apps/a/src', '/w/libs/b/src', '/w/libs/b/src2', '/w/apps/a/src'])).toEqual([
      '/w/apps/a/src',
      '/w/libs/b/src',
      '/w/libs/b/src2',
    ]);
  });

  it('knows the files editors write while saving', () => {
    for (const temp of ['a/.main.ts.swp', 'a/main.ts.swo', 'a/main.ts~', 'a/4913', 'a/.#main.ts', 'a/#main.ts#', 'a/main.ts.tmp.1234.5678', 'a/main.ts.orig']) {
      expect(isEditorTempFile(temp), temp).toBe(true);
    }
    for (const real of ['a/main.ts', 'a/swap.ts', 'a/tmp.ts', 'a/4913.ts']) expect(isEditorTempFile(real), real).toBe(false);
  });

  it('reports a burst of saves to files of the set once, after the folder is quiet (real fs.watch)', async () => {
    const root = makeDevWorkspace('1'.repeat(64));
    roots.push(root);
    const set = await deriveWatchSet(root, ENTRY);
    const bursts: Burst[] = [];
    const watcher = watchSources(set, (b) => bursts.push(b), { debounceMs: 150 });
    try {
      for (let i = 0; i < 4; i++) {
        writeFileSync(join(root, 'apps/api/src/port.ts'), `export const port = ${i};\n`);
        writeFileSync(join(root, 'apps/api/src/.port.ts.swp'), 'swap');
        await new Promise((r) => setTimeout(r, 40));
      }
      await new Promise((r) => setTimeout(r, 400));
      expect(bursts.map((b) => b.files)).toEqual([[join(root, 'apps/api/src/port.ts')]]);
      writeFileSync(join(root, 'apps/api/src/unused.ts'), 'export const unused = 3;\n');
      await new Promise((r) => setTimeout(r, 400));
      expect(bursts).toHaveLength(1);
    } finally {
      watcher.close();
    }
  });
});
