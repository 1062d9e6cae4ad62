import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { workspaceRoot } from '@llmops-rag/platform';
import { describe, expect, it } from 'vitest';
import type { BuildOptions } from 'esbuild';
import { appBuildOptions } from './bundle-app.js';
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
});
