import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { appImageTags, imageBuildArgs } from '@llmops-rag/workspace-tools';
import bundleOptions from '../esbuild.config.js';
import { startBundle, waitForOutput } from './support/bundle-process.js';

/**
 * A version bump in libs/contract reaches the bundle's `GET /` and the image's tags and label
 * (the prod manifest's tag: libs/k8s-manifests/src/profiles/prod.test.ts). Each part is given
 * a version nothing else uses, so a part that hard-codes the version fails here.
 */
const { BUMPED } = vi.hoisted(() => ({ BUMPED: '9.8.7-contract-test' }));

vi.mock('@llmops-rag/contract', async (importOriginal) => ({ ...(await importOriginal<typeof import('@llmops-rag/contract')>()), APP_VERSION: BUMPED }));

/** Resolves `@llmops-rag/contract` to the real module with APP_VERSION replaced, as a bump would. */
function bumpedContract(): Plugin {
  const real = join(import.meta.dirname, '../../../libs/contract/src/index.ts');
  return {
    name: 'bumped-contract',
    setup(b) {
      b.onResolve({ filter: /^@llmops-rag\/contract$/ }, () => ({ path: 'contract', namespace: 'bumped' }));
      b.onLoad({ filter: /.*/, namespace: 'bumped' }, () => ({
        contents: `export * from ${JSON.stringify(real)};\nexport const APP_VERSION = ${JSON.stringify(BUMPED)};\n`,
        loader: 'ts',
        resolveDir: import.meta.dirname,
      }));
    },
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'rag-api-bumped-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the version has one owner: libs/contract', () => {
  it("the image's tags and its version label build argument follow it", () => {
    expect(appImageTags()).toEqual(['llmops-rag-api:latest', `llmops-rag-api:${BUMPED}`]);
    expect(imageBuildArgs('base:1')).toMatchObject({ APP_VERSION: BUMPED });
  });

  it('a bundle built from it reports it at GET /', { timeout: 60_000 }, async () => {
    const { outExtension, define, legalComments } = bundleOptions;
    await build({
      // main.js loads the app from app-bundle.js, as in the real build (project.json).
      entryPoints: [join(import.meta.dirname, '../src/main.ts'), join(import.meta.dirname, '../src/app-bundle.ts')],
      outdir: scratch,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      logLevel: 'error',
      tsconfig: join(import.meta.dirname, '../tsconfig.app.json'),
      outExtension,
      define,
      legalComments,
      plugins: [bumpedContract()],
    });
    const proc = await startBundle({ APP_ENV: 'dev', LOG_LEVEL: 'info' }, join(scratch, 'main.js'));
    try {
      await waitForOutput(proc, 'Application startup complete', 30_000);
      const body = (await (await fetch(`${proc.baseUrl}/`)).json()) as { version: string };
      expect(body.version).toBe(BUMPED);
      expect(proc.output()).toContain(`"version":"${BUMPED}"`);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });
});
