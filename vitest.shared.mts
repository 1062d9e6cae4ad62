import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const RESULTS_DIR = fileURLToPath(new URL('./dist/test-results/', import.meta.url));

/**
 * Settings every project's vitest.config.mts starts from: resolve the
 * workspace's tsconfig `paths` (so `@llmops-rag/config` is the source, not a
 * build), run in Node, and write a JSON result per project that
 * `tools/test/run-all.ts` sums into one closing line.
 */
export function projectTestConfig(projectName: string, overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { tsconfigPaths: true },
    test: {
      name: projectName,
      environment: 'node',
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 10_000,
      reporters: ['default', ['json', { outputFile: `${RESULTS_DIR}${projectName}.json` }]],
    },
  });
}
