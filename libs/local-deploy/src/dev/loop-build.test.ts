import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { workspaceRoot } from '@llmops-rag/platform';
import { describe, expect, it } from 'vitest';
import { build, type BuildOptions } from 'esbuild';
import { appBuildOptions, bundleApp, disposeBundlers } from './bundle-app.js';
import { IMAGE_ARCHIVE_SCRIPT } from './loop-build.js';
import { SYNTH, type BundleEntry } from './watch-set.js';

const ROOT = workspaceRoot();
const project = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, name, 'project.json'), 'utf8')) as { targets: Record<string, { command?: string; options?: Record<string, unknown> }> };

describe('the full loop builds what a plain deploy builds', () => {
  it('runs the program of the docker-archive target (the Dockerfile, so the same base, user, code cache and entrypoint) and synth as its target does', () => {
    expect(project('apps/rag-api').targets['docker-archive']?.command).toBe(`tsx ${IMAGE_ARCHIVE_SCRIPT}`);
    expect(project('libs/k8s-manifests').targets.synth?.command).toBe(`tsx --tsconfig ${SYNTH.tsConfig} ${SYNTH.entry} --out ${SYNTH.out}`);
  });

  it('bundles with the esbuild options @nx/esbuild makes from rag-api’s build target (its own buildEsbuildOptions, compared)', async () => {
    const options = project('apps/rag-api').targets.build?.options as Record<string, unknown> & {
      main: string;
      additionalEntryPoints: string[];
      tsConfig: string;
    };
    const entry: BundleEntry = { entryPoints: [options.main, ...options.additionalEntryPoints], tsConfig: options.tsConfig, options };
    const ours = await appBuildOptions(ROOT, entry);
    // The executor's own function (not exported by the package: loaded by its path), with the same config module's options.
    const require = createRequire(import.meta.url);
    const { buildEsbuildOptions } = require(join(ROOT, 'node_modules/@nx/esbuild/dist/src/executors/esbuild/lib/build-esbuild-options.js')) as {
      buildEsbuildOptions: (format: string, options: Record<string, unknown>, context: { root: string }) => BuildOptions;
    };
    const user = Object.fromEntries(
      Object.entries(ours).filter(([key]) =>
        ['logLevel', 'legalComments', 'write', 'define', 'minifyWhitespace', 'minifySyntax', 'minifyIdentifiers', 'plugins'].includes(key),
      ),
    );
    const nx = buildEsbuildOptions(
      'cjs',
      { ...options, external: [], singleEntry: false, userDefinedBuildOptions: { ...user, outExtension: { '.js': '.js' } } },
      { root: ROOT },
    );
    expect(ours).toEqual({ ...nx, outdir: join(ROOT, nx.outdir as string) });
    expect(ours.outExtension).toEqual({ '.js': '.js' });
    expect((ours.plugins ?? []).map((p) => p.name)).toEqual(['lazy-builtins', 'lazy-modules', 'publish-bundle']);
  });

  it('writes the same bytes as a build with those @nx/esbuild options: the image copies what `nx run rag-api:build` would have written', async () => {
    const options = project('apps/rag-api').targets.build?.options as Record<string, unknown> & {
      main: string;
      additionalEntryPoints: string[];
      tsConfig: string;
    };
    const entry: BundleEntry = { entryPoints: [options.main, ...options.additionalEntryPoints], tsConfig: options.tsConfig, options };
    const require = createRequire(import.meta.url);
    const { buildEsbuildOptions } = require(join(ROOT, 'node_modules/@nx/esbuild/dist/src/executors/esbuild/lib/build-esbuild-options.js')) as {
      buildEsbuildOptions: (format: string, options: Record<string, unknown>, context: { root: string }) => BuildOptions;
    };
    // Two folders at the same depth, so the source maps' relative paths match too.
    const ours = 'tmp/dev-loop/compare-loop';
    const theirs = 'tmp/dev-loop/compare-nx';
    try {
      await bundleApp(ROOT, entry, ours);
      const loaded = await appBuildOptions(ROOT, entry, theirs);
      const nx = buildEsbuildOptions(
        'cjs',
        { ...options, outputPath: theirs, external: [], singleEntry: false, userDefinedBuildOptions: { ...loaded, outExtension: { '.js': '.js' } } },
        { root: ROOT },
      );
      await build({ ...nx, outdir: join(ROOT, theirs) });
      const files = (dir: string) =>
        readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name).slice(join(ROOT, dir).length + 1))
          .sort();
      expect(files(ours)).toEqual(files(theirs));
      expect(files(ours)).toContain('app-bundle.js');
      for (const file of files(ours)) expect(readFileSync(join(ROOT, ours, file)).equals(readFileSync(join(ROOT, theirs, file))), file).toBe(true);
    } finally {
      await disposeBundlers();
      for (const dir of [ours, theirs]) rmSync(join(ROOT, dir), { recursive: true, force: true });
    }
  }, 60_000);
});
