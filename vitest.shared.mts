import { defineConfig } from 'vitest/config';

/**
 * Settings every project's vitest.config.mts starts from: resolve the
 * workspace's tsconfig `paths` (so `@llmops-rag/config` is the source, not a
 * build) and run in Node.
 */
export function projectTestConfig(projectName: string, overrides: { testTimeout?: number; include?: string[] } = {}) {
  return defineConfig({
    resolve: { tsconfigPaths: true },
    test: {
      name: projectName,
      environment: 'node',
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 10_000,
      reporters: ['default'],
    },
  });
}
